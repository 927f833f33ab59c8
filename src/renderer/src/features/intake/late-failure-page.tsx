import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
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
import { LotLink, StatusBadge } from '../../ui/lot';
import { num } from '../../ui/format';
import { intakeHref, IntakeTabs, nameOf } from './intake-format';

type Late = ChannelOutput<'intake.lateFailures.get'>;

/**
 * `#/intake/late/<lotCode>`: a tanker whose retrospective result (plate count, somatic cells,
 * AFM1 sent out) failed after it was accepted. Everything made from it — silos and other
 * intermediates, batches, finished lots, shipments — comes from the trace engine; the QA
 * manager holds the tanker and the chosen lots with one signature (`held`).
 */
export function LateFailurePage({ lotCode }: { lotCode: string }) {
  const { t } = useTranslation();
  const d = useCall('intake.lateFailures.get', { lotCode }, { staleTime: 0, retry: false });
  if (d.isLoading) return <Loader />;
  if (!d.data)
    return (
      <Stack>
        <IntakeTabs active={null} />
        <ErrorAlert error={d.error} />
        <Anchor href={intakeHref(lotCode)}>{t('lateFailure.backToTanker')}</Anchor>
      </Stack>
    );
  return <LateFailureView key={`${d.data.holds.length}-${d.data.status}`} d={d.data} />;
}

function LateFailureView({ d }: { d: Late }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const canHold = hasPermission(session, 'lots.decide') && !session.readOnly;
  const open = d.status === 'open';
  const heldAlready = new Set(d.holds.flatMap((h) => h.heldLots));
  const tankerHoldable = d.lotStatus === 'accepted' || d.lotStatus === 'released';
  const holdable = [...(tankerHoldable ? [d.lotCode] : []), ...d.affected.filter((a) => a.holdable).map((a) => a.lot)];
  const [chosen, setChosen] = useState<string[]>(holdable);
  const [signing, setSigning] = useState(false);
  const toggle = (lot: string, on: boolean) =>
    setChosen((c) => (on ? [...new Set([...c, lot])] : c.filter((x) => x !== lot)));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['intake.lateFailures.get'] });
    void qc.invalidateQueries({ queryKey: ['intake.lateFailures.list'] });
    void qc.invalidateQueries({ queryKey: ['intake.get'] });
  };
  const groups: Array<{ key: string; rows: Late['affected'] }> = [
    { key: 'intermediate', rows: d.affected.filter((a) => a.kind === 'intermediate') },
    { key: 'finished', rows: d.affected.filter((a) => a.kind === 'finished') },
    { key: 'other', rows: d.affected.filter((a) => a.kind !== 'intermediate' && a.kind !== 'finished') },
  ];
  const batches = [...new Set(d.affected.map((a) => a.batchCode).filter(Boolean))];

  return (
    <Stack data-testid="late-failure-page" data-lot={d.lotCode} data-status={d.status} maw={1280}>
      <IntakeTabs active={null} />
      <Anchor href={intakeHref(d.lotCode)} size="sm">
        ← {t('lateFailure.backToTanker')}
      </Anchor>
      <Paper withBorder p="md" style={open ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('lateFailure.kicker')}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace">
                {d.lotCode}
              </Title>
              <Badge
                color={open ? 'red' : 'gray'}
                variant="filled"
                tt="none"
                size="lg"
                data-testid="late-failure-status"
              >
                {t(`lateFailure.status.${d.status}`)}
              </Badge>
              <Badge
                color={d.basis === 'national' ? 'red' : 'orange'}
                variant="light"
                tt="none"
                size="lg"
                data-testid="late-failure-basis"
              >
                {t(`lateFailure.basis.${d.basis}`)}
              </Badge>
              <StatusBadge status={d.lotStatus} size="lg" />
            </Group>
            <Text size="sm">
              {t('lateFailure.supplier', { supplier: `${d.supplierCode} ${d.supplierName ?? ''}`.trim() })} ·{' '}
              {t('lateFailure.acceptedAt', { at: formatTime(d.acceptedAt) })}
            </Text>
          </Stack>
        </Group>
        <Table mt="sm" fz="sm" withTableBorder data-testid="late-failure-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('intake.panel.check')}</Table.Th>
              <Table.Th>{t('intake.panel.result')}</Table.Th>
              <Table.Th>{t('intake.panel.limit')}</Table.Th>
              <Table.Th>{t('lateFailure.ruleCol')}</Table.Th>
              <Table.Th>{t('lateFailure.submittedAt')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.results.map((r) => (
              <Table.Tr key={r.resultId} bg="var(--mantine-color-red-0)" data-testid={`late-result-${r.itemCode}`}>
                <Table.Td fw={600}>{nameOf(r, i18n.language)}</Table.Td>
                <Table.Td ff="monospace" fw={700} c="red.8">
                  {r.reported ?? '—'} {r.unit}
                </Table.Td>
                <Table.Td ff="monospace">{r.limitText}</Table.Td>
                <Table.Td>{t(`lateFailure.basis.${r.rule}`)}</Table.Td>
                <Table.Td style={num}>{formatTime(r.submittedAt)}</Table.Td>
                <Table.Td>
                  <Badge color={r.held ? 'gray' : 'red'} variant="light" tt="none">
                    {r.held ? t('lateFailure.held') : t('lateFailure.notHeld')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {d.reportRequired ? (
          <Alert color="red" variant="light" mt="sm" data-testid="late-failure-report">
            {t('lateFailure.reportRequired')}{' '}
            <Anchor href={intakeHref(d.lotCode)} size="sm">
              {t('lateFailure.reportOpen')}
            </Anchor>
          </Alert>
        ) : (
          <Alert color="gray" variant="light" mt="sm">
            {t('lateFailure.reportNotRequired')}
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="md" data-testid="late-failure-affected">
        <Group justify="space-between" mb="xs">
          <div>
            <Title order={4}>{t('lateFailure.affectedTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('lateFailure.affectedIntro', { lots: d.affected.length, batches: batches.length })}
            </Text>
          </div>
          <Anchor href={href('/trace', { lot: d.lotCode })} size="sm">
            {t('lateFailure.openTrace')}
          </Anchor>
        </Group>
        {d.depthLimitReached ? (
          <Alert color="orange" mb="xs">
            {t('lateFailure.depthLimit')}
          </Alert>
        ) : null}
        <Table fz="sm" withTableBorder verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36} />
              <Table.Th>{t('lateFailure.lot')}</Table.Th>
              <Table.Th>{t('lateFailure.item')}</Table.Th>
              <Table.Th>{t('lateFailure.batch')}</Table.Th>
              <Table.Th>{t('lateFailure.lotStatus')}</Table.Th>
              <Table.Th>{t('lateFailure.shipped')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr data-testid={`late-lot-${d.lotCode}`} data-holdable={String(tankerHoldable)}>
              <Table.Td>
                {open && canHold && tankerHoldable ? (
                  <Checkbox
                    checked={chosen.includes(d.lotCode)}
                    onChange={(e) => toggle(d.lotCode, e.currentTarget.checked)}
                    data-testid={`late-check-${d.lotCode}`}
                  />
                ) : null}
              </Table.Td>
              <Table.Td>
                <LotLink code={d.lotCode} />
              </Table.Td>
              <Table.Td>{t('lateFailure.tankerItself')}</Table.Td>
              <Table.Td>—</Table.Td>
              <Table.Td>
                <StatusBadge status={d.lotStatus} />
              </Table.Td>
              <Table.Td>—</Table.Td>
            </Table.Tr>
            {groups.flatMap((g) =>
              g.rows.length === 0
                ? []
                : [
                    <Table.Tr key={`h-${g.key}`} bg="var(--mantine-color-gray-0)">
                      <Table.Td colSpan={6}>
                        <Text size="xs" fw={700} c="dimmed">
                          {t(`lateFailure.group.${g.key}`, { count: g.rows.length })}
                        </Text>
                      </Table.Td>
                    </Table.Tr>,
                    ...g.rows.map((a) => (
                      <Table.Tr key={a.lot} data-testid={`late-lot-${a.lot}`} data-holdable={String(a.holdable)}>
                        <Table.Td>
                          {open && canHold && a.holdable ? (
                            <Checkbox
                              checked={chosen.includes(a.lot)}
                              onChange={(e) => toggle(a.lot, e.currentTarget.checked)}
                              data-testid={`late-check-${a.lot}`}
                            />
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <LotLink code={a.lot} />
                        </Table.Td>
                        <Table.Td>{a.itemName ?? a.itemCode ?? '—'}</Table.Td>
                        <Table.Td ff="monospace">
                          {a.batchCode ?? '—'}
                          {a.line ? ` · ${a.line}` : ''}
                        </Table.Td>
                        <Table.Td>
                          {a.status ? <StatusBadge status={a.status} /> : '—'}
                          {heldAlready.has(a.lot) ? (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              {t('lateFailure.heldHere')}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          {a.shipped ? (
                            <Badge color="orange" variant="light" tt="none">
                              {t('lateFailure.shippedYes')}
                            </Badge>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                      </Table.Tr>
                    )),
                  ],
            )}
          </Table.Tbody>
        </Table>
        {d.shipments.length > 0 ? (
          <Stack gap={4} mt="sm" data-testid="late-failure-shipments">
            <Text size="sm" fw={600}>
              {t('lateFailure.shipmentsTitle')}
            </Text>
            {d.shipments.map((s, i) => (
              <Text key={i} size="sm">
                {s.lot} → {s.customerName ?? s.customer} ({s.customer}) · {s.quantity} {s.unit} · {s.date}
              </Text>
            ))}
          </Stack>
        ) : null}
        {open && canHold ? (
          <Group justify="flex-end" mt="sm">
            <Text size="sm" c="dimmed">
              {t('lateFailure.chosen', { count: chosen.length })}
            </Text>
            <Button color="red" onClick={() => setSigning(true)} data-testid="late-failure-hold">
              {t('lateFailure.hold')}
            </Button>
          </Group>
        ) : open ? (
          <Text size="sm" c="dimmed" mt="sm">
            {t('lateFailure.onlyQa')}
          </Text>
        ) : null}
      </Paper>

      {d.holds.length > 0 ? (
        <Paper withBorder p="md" data-testid="late-failure-holds">
          <Title order={5} mb="xs">
            {t('lateFailure.holdsTitle')}
          </Title>
          {d.holds.map((h) => (
            <Stack key={h.id} gap={2} mb="xs">
              <Text size="sm">
                {t('lateFailure.holdLine', {
                  at: formatTime(h.heldAt),
                  by: h.signatures[0]?.printedName ?? h.heldBy,
                  lots: h.heldLots.join('、') || t('lateFailure.noLots'),
                })}
              </Text>
              <Text size="sm" c="dimmed">
                {t('common.reason')}: {h.reason}
              </Text>
              {h.signatures.map((s) => (
                <Badge
                  key={s.id}
                  variant="light"
                  tt="none"
                  color="red"
                  data-testid="late-failure-signature"
                  data-meaning={s.meaning}
                >
                  {s.printedName} · {t(`meanings.${s.meaning}`)} · {formatTime(s.signedAt)}
                </Badge>
              ))}
            </Stack>
          ))}
        </Paper>
      ) : null}

      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['held']}
        commentRequired
        commentLabel={t('lateFailure.holdReason')}
        size="xl"
        summary={
          <Stack gap={2}>
            <Text fw={600}>{t('lateFailure.holdSummary', { lot: d.lotCode, count: chosen.length })}</Text>
            <Text size="sm" ff="monospace">
              {chosen.join('、') || t('lateFailure.noLots')}
            </Text>
          </Stack>
        }
        onSign={async (s) => {
          await call('intake.lateFailures.hold', {
            lotCode: d.lotCode,
            lotCodes: chosen,
            reason: s.comment!,
            signature: { password: s.password, meaning: s.meaning },
          });
          refresh();
        }}
      />
    </Stack>
  );
}

/** The bench and home: tankers with a late failure not yet held. */
export function LateFailuresCard() {
  const { t } = useTranslation();
  const list = useCall('intake.lateFailures.list', { status: 'open' }, { staleTime: 10_000 });
  const rows = list.data ?? [];
  if (rows.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="filled"
      title={t('lateFailure.cardTitle', { count: rows.length })}
      data-testid="late-failures-card"
    >
      <Stack gap={2}>
        {rows.map((r) => (
          <Group key={r.lotCode} gap="xs">
            <Anchor
              href={href(`/intake/late/${encodeURIComponent(r.lotCode)}`)}
              c="white"
              fw={700}
              ff="monospace"
              data-testid={`late-failure-link-${r.lotCode}`}
            >
              {r.lotCode}
            </Anchor>
            <Text size="sm" c="white">
              {r.supplierCode} · {r.items.join(', ')} · {t(`lateFailure.basis.${r.basis}`)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
