import { useState, type ReactNode } from 'react';
import { ItemName } from '../../ui/item-name';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { LotLink, StatusBadge, traceHref } from '../../ui/lot';
import { SampleLink } from '../../ui/sample';
import { zoneColorOf } from '../../ui/zone';
import { num } from '../../ui/format';
import { elapsedSince } from '../../ui/dates';
import { AlertStatusBadge, EnvTabs, targetName } from './env-format';

type Detail = ChannelOutput<'env.alerts.get'>;

/** `present (1/1)` → "Positive (1/1)" in the user's language. */
function screenResult(t: (k: string) => string, reported: string | null): string {
  if (!reported) return '';
  return reported.replace(/^present/, t('intake.panel.positive')).replace(/^absent/, t('intake.panel.negative'));
}
type AffectedLot = Detail['lots'][number];

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div data-testid={testId}>{children}</div>
    </Stack>
  );
}

/**
 * `#/environment/<code>`: a positive swab. The lots made on the site's line since the last
 * negative swab there, with a one-click signed hold of those not yet shipped (`held`), the
 * follow-up swabs, and closing the alert once they are negative.
 */
export function AlertPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const detail = useCall('env.alerts.get', { code }, { staleTime: 0, retry: false });
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [signing, setSigning] = useState(false);
  const [closing, setClosing] = useState(false);
  const zh = i18n.language.startsWith('zh');

  if (detail.isLoading) return <Loader />;
  if (!detail.data)
    return (
      <Stack>
        <EnvTabs active={null} />
        <ErrorAlert error={detail.error} testId="env-alert-error" />
        <Anchor href={href('/environment')}>{t('environment.alert.back')}</Anchor>
      </Stack>
    );
  const { alert: a, lots, followUps } = detail.data;
  const swabs = detail.data.swabs ?? [];
  const needed = a.swabsNeeded ?? 3;
  const negatives = a.negativeSwabs ?? 0;
  const closable = negatives >= needed && swabs[0]?.result !== 'pending';
  const open = a.status === 'open';
  const canHold = hasPermission(session, 'lots.decide') && !session.readOnly && open;
  // Closing is a QA manager's signed act (issue 19 §6); the service checks the signer again.
  const canClose = hasPermission(session, 'lots.decide') && !session.readOnly && open;
  const holdable = lots.filter((l) => l.holdable);
  // Every holdable lot is ticked until the person changes the choice.
  const selected = picked ?? new Set(holdable.map((l) => l.code));
  const toggle = (c: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(c);
    else next.delete(c);
    setPicked(next);
  };
  const noStock = (l: AffectedLot) => l.remaining !== undefined && !(Number(l.remaining) > 0);
  const whyNot = (l: AffectedLot) =>
    l.status === 'rejected'
      ? t('environment.alert.rejected')
      : l.status === 'on_hold'
        ? t('environment.alert.alreadyOnHold')
        : noStock(l)
          ? l.shipped
            ? t('environment.alert.notHoldableShipped')
            : t('environment.alert.noStock')
          : t('environment.alert.notHoldableStatus');

  return (
    <Stack data-testid="env-alert-page" data-alert={a.code} maw={1280}>
      <EnvTabs active={null} />
      <Anchor href={href('/environment')} size="sm">
        ← {t('environment.alert.back')}
      </Anchor>
      <Paper withBorder p="md" style={open ? { borderColor: 'var(--mantine-color-red-5)', borderWidth: 2 } : undefined}>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('environment.alert.kicker')}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="env-alert-code">
                {a.code}
              </Title>
              <AlertStatusBadge status={a.status} size="lg" />
              <Badge color="red" variant="light" size="lg" tt="none" data-testid="env-alert-target">
                {t('environment.alert.positiveFor', { target: targetName(t, a.target) })}
              </Badge>
            </Group>
          </Stack>
          <Stack gap={0} align="flex-end">
            <Text size="xs" c="dimmed">
              {t('environment.fields.raisedAt')}
            </Text>
            <Text fw={600} style={num}>
              {formatTime(a.raisedAt)}
            </Text>
          </Stack>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 3, lg: 6 }} mt="md" data-testid="env-alert-facts">
          <Fact label={t('environment.fields.site')}>
            <Anchor href={href('/sites', { site: a.siteCode })} ff="monospace" fw={700} size="sm">
              {a.siteCode}
            </Anchor>
            <Text size="sm">{zh ? a.siteName.zh : a.siteName.en}</Text>
          </Fact>
          <Fact label={t('environment.fields.zone')}>
            {a.zone ? (
              <Badge color={zoneColorOf(a.zone)} variant="filled" tt="none" data-testid="env-alert-zone">
                {t('sites.zoneN', { zone: a.zone })}
              </Badge>
            ) : null}
            {a.zone ? (
              <Text size="xs" c="dimmed" mt={2}>
                {t(`sites.zones.${a.zone}`)}
              </Text>
            ) : (
              '—'
            )}
          </Fact>
          <Fact label={t('environment.fields.lineRoom')}>
            <Text fw={500}>
              {a.line ?? '—'}
              {a.room ? ` · ${a.room}` : ''}
            </Text>
          </Fact>
          <Fact label={t('environment.fields.sample')}>
            <SampleLink code={a.sampleCode} />
            <Text size="xs" c="dimmed">
              {screenResult(t, a.reported)}
            </Text>
          </Fact>
          <Fact label={t('environment.fields.sinceNegative')} testId="env-alert-since">
            {a.sinceNegativeAt ? (
              <>
                <Text fw={600} size="sm" style={num} ta="left">
                  {formatTime(a.sinceNegativeAt)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('environment.alert.sinceAgo', { elapsed: elapsedSince(t, a.sinceNegativeAt) })}
                </Text>
              </>
            ) : (
              <Text size="sm" c="orange.8" fw={600}>
                {t('environment.alert.noNegative')}
              </Text>
            )}
          </Fact>
          <Fact label={t('environment.fields.affectedLots')}>
            <Text fw={700} size="lg" style={num} ta="left">
              {lots.length}
            </Text>
          </Fact>
        </SimpleGrid>
      </Paper>

      {a.status === 'closed' ? (
        <Alert color="gray" data-testid="env-alert-closed">
          {t('environment.alert.closedText', {
            by: a.closedBy ?? '—',
            at: formatTime(a.closedAt),
            reason: a.closeReason ?? '',
          })}
        </Alert>
      ) : (
        <Alert color="red" variant="light" data-testid="env-alert-next">
          <Text fw={600} size="sm">
            {holdable.length > 0
              ? t('environment.alert.nextHold', { count: holdable.length })
              : t('environment.alert.nextFollowUp')}
          </Text>
        </Alert>
      )}

      <Paper withBorder p="md" data-testid="env-alert-lots">
        <Group justify="space-between" mb="xs">
          <div>
            <Title order={4}>{t('environment.alert.lotsTitle', { count: lots.length, line: a.line ?? '—' })}</Title>
            <Text size="sm" c="dimmed">
              {a.sinceNegativeAt
                ? t('environment.alert.lotsIntro', { since: formatTime(a.sinceNegativeAt) })
                : t('environment.alert.lotsIntroNoNegative')}
            </Text>
          </div>
          {canHold ? (
            <Button
              color="orange"
              size="md"
              disabled={selected.size === 0}
              onClick={() => setSigning(true)}
              data-testid="env-hold-selected"
            >
              {t('environment.alert.holdSelected', { count: selected.size })}
            </Button>
          ) : null}
        </Group>
        {lots.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="env-alert-no-lots">
            {a.line ? t('environment.alert.noLots') : t('environment.alert.noLine')}
          </Text>
        ) : (
          <Table withTableBorder fz="sm" verticalSpacing={6} data-testid="env-lots-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  {canHold ? (
                    <Checkbox
                      aria-label={t('environment.alert.selectAll')}
                      checked={holdable.length > 0 && holdable.every((l) => selected.has(l.code))}
                      indeterminate={selected.size > 0 && !holdable.every((l) => selected.has(l.code))}
                      onChange={(e) =>
                        setPicked(e.currentTarget.checked ? new Set(holdable.map((l) => l.code)) : new Set())
                      }
                      data-testid="env-lots-select-all"
                    />
                  ) : null}
                </Table.Th>
                <Table.Th>{t('environment.fields.lot')}</Table.Th>
                <Table.Th>{t('environment.fields.product')}</Table.Th>
                <Table.Th>{t('environment.fields.lotDate')}</Table.Th>
                <Table.Th>{t('environment.fields.lotStatus')}</Table.Th>
                <Table.Th>{t('environment.fields.shipped')}</Table.Th>
                <Table.Th>{t('environment.alert.remaining')}</Table.Th>
                <Table.Th>{t('environment.fields.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lots.map((l) => (
                <Table.Tr
                  key={l.code}
                  data-testid={`env-lot-${l.code}`}
                  data-holdable={String(l.holdable)}
                  bg={l.shipped ? 'var(--mantine-color-orange-0)' : undefined}
                >
                  <Table.Td>
                    {canHold && l.holdable ? (
                      <Checkbox
                        aria-label={l.code}
                        checked={selected.has(l.code)}
                        onChange={(e) => toggle(l.code, e.currentTarget.checked)}
                        data-testid={`env-lot-check-${l.code}`}
                      />
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <LotLink code={l.code} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <ItemName code={l.itemCode} recorded={l.itemName} />
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {l.itemCode}
                    </Text>
                  </Table.Td>
                  <Table.Td style={num} ta="left">
                    {l.date}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={l.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    {l.shipped ? (
                      <Badge color="orange" variant="filled" tt="none" size="sm">
                        {t('environment.alert.shipped')}
                      </Badge>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('environment.alert.notShipped')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={num} data-testid={`env-lot-remaining-${l.code}`}>
                    {l.remaining !== undefined ? `${l.remaining} ${l.unit ?? ''}` : '—'}
                  </Table.Td>
                  <Table.Td>
                    {l.holdable ? (
                      <Text size="xs" c="orange.8" fw={600}>
                        {t('environment.alert.holdable')}
                      </Text>
                    ) : (
                      <Group gap={6}>
                        <Text size="xs" c="dimmed">
                          {whyNot(l)}
                        </Text>
                        {l.shipped && noStock(l) ? (
                          <Anchor href={traceHref(l.code)} size="xs" data-testid={`env-lot-trace-${l.code}`}>
                            {t('environment.alert.trace')}
                          </Anchor>
                        ) : null}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md" data-testid="env-followups">
          <Title order={4} mb={4}>
            {t('environment.alert.followUpsTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('environment.alert.followUpsIntro')}
          </Text>
          {followUps.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('environment.alert.noFollowUps')}
            </Text>
          ) : (
            <Table withTableBorder fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('environment.fields.site')}</Table.Th>
                  <Table.Th>{t('environment.fields.followUpKind')}</Table.Th>
                  <Table.Th>{t('environment.fields.nextDue')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {followUps.map((f) => (
                  <Table.Tr
                    key={f.scheduleId}
                    data-testid={`env-followup-${f.siteCode}`}
                    style={f.active ? undefined : { opacity: 0.6 }}
                  >
                    <Table.Td ff="monospace" fw={600}>
                      {f.siteCode}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={f.kind === 're_swab' ? 'red' : 'grape'} variant="light" tt="none" size="sm">
                        {t(`environment.followUpKinds.${f.kind}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={num} ta="left">
                      {f.active ? f.nextDue : t('environment.alert.followUpStopped')}
                    </Table.Td>
                    <Table.Td>
                      {f.active ? (
                        <Anchor
                          href={href('/samples', { kind: 'environmental_swab', site: f.siteCode, targets: a.target })}
                          size="xs"
                          data-testid={`env-followup-register-${f.siteCode}`}
                        >
                          {t('environment.alert.registerSwab')}
                        </Anchor>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
        <Paper withBorder p="md" data-testid="env-close" data-closable={String(closable)}>
          <Title order={4} mb={4}>
            {t('environment.alert.closeTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('environment.alert.closeIntro', { needed })}
          </Text>
          <Group gap="xs" mb="xs">
            <Badge
              color={negatives >= needed ? 'green' : 'orange'}
              variant="light"
              tt="none"
              size="lg"
              data-testid="env-close-negatives"
            >
              {t('environment.alert.negativesOf', { count: negatives, needed })}
            </Badge>
          </Group>
          {swabs.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="env-close-no-swabs">
              {t('environment.alert.noFollowUpSwabs')}
            </Text>
          ) : (
            <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="env-close-swabs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('environment.fields.sample')}</Table.Th>
                  <Table.Th>{t('environment.alert.takenAt')}</Table.Th>
                  <Table.Th>{t('environment.alert.swabResult')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {swabs.slice(0, 10).map((x) => (
                  <Table.Tr key={x.code} data-testid={`env-swab-${x.code}`} data-result={x.result}>
                    <Table.Td>
                      <SampleLink code={x.code} />
                    </Table.Td>
                    <Table.Td style={num} ta="left">
                      {formatTime(x.takenAt)}
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={x.result === 'negative' ? 'green' : x.result === 'positive' ? 'red' : 'gray'}
                        variant="light"
                        tt="none"
                        size="sm"
                      >
                        {t(`environment.alert.swabResults.${x.result}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {a.status === 'closed' && (a.closureSwabs ?? []).length > 0 ? (
            <Text size="sm" mt="xs" data-testid="env-closure-swabs">
              {t('environment.alert.closedOnSwabs', { swabs: (a.closureSwabs ?? []).join(', ') })}
            </Text>
          ) : null}
          {canClose ? (
            <Group justify="flex-end" mt="xs">
              <Button
                variant="light"
                disabled={!closable}
                onClick={() => setClosing(true)}
                data-testid="env-close-submit"
              >
                {t('environment.alert.close')}
              </Button>
            </Group>
          ) : null}
        </Paper>
      </SimpleGrid>

      <SignatureDialog
        opened={closing}
        onClose={() => setClosing(false)}
        meanings={['alert_closed']}
        commentRequired
        commentLabel={t('environment.alert.closeReason')}
        commentDescription={t('environment.alert.closeReasonHelp')}
        summary={
          <Text fw={600}>{t('environment.alert.closeSummary', { code: a.code, count: negatives, needed })}</Text>
        }
        onSign={async (s) => {
          await call('env.alerts.close', {
            code: a.code,
            reason: s.comment!,
            signature: { password: s.password, meaning: s.meaning },
          });
          notifications.show({ color: 'green', message: t('environment.alert.closed', { code }) });
          void qc.invalidateQueries({ queryKey: ['env.alerts.get'] });
          void qc.invalidateQueries({ queryKey: ['env.alerts.list'] });
        }}
      />

      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['held']}
        commentRequired
        commentLabel={t('environment.alert.holdReason')}
        commentDescription={t('environment.alert.holdReasonHelp')}
        summary={
          <Stack gap={2}>
            <Text fw={600}>{t('environment.alert.holdSummary', { count: selected.size, code: a.code })}</Text>
            <Text size="sm" ff="monospace" data-testid="env-hold-lots">
              {[...selected].join(', ')}
            </Text>
          </Stack>
        }
        onSign={async (s) => {
          const r = await call('env.alerts.hold', {
            code: a.code,
            lotCodes: [...selected],
            reason: s.comment!,
            signature: { password: s.password, meaning: s.meaning },
          });
          notifications.show({ color: 'orange', message: t('environment.alert.held', { count: r.held.length }) });
          setPicked(null);
          void qc.invalidateQueries({ queryKey: ['env.alerts.get'] });
          void qc.invalidateQueries({ queryKey: ['lots.list'] });
        }}
      />
    </Stack>
  );
}
