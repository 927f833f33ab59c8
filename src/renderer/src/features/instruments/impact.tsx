import { useState } from 'react';
import { Anchor, Badge, Button, Checkbox, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { SignatureDialog } from '../../ui/signature-dialog';
import { testingSampleHref } from '../../ui/result';

/**
 * What a failed daily check or calibration casts doubt on (issue 19 §5, D-059): every result
 * measured on the instrument since its last good check, captured or typed, whether each still
 * stands, the lots they belong to, and one signed hold of the released or accepted ones.
 */
export function ImpactModal({ eventId, onClose }: { eventId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={eventId !== null} onClose={onClose} title={t('instruments.impact.title')} size="xl">
      {eventId ? <ImpactBody eventId={eventId} /> : null}
    </Modal>
  );
}

function ImpactBody({ eventId }: { eventId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const impact = useCall('instruments.impact', { eventId }, { staleTime: 0 });
  const canHold = hasPermission(session, 'lots.decide') && !session.readOnly;
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [signing, setSigning] = useState(false);
  if (impact.isLoading) return <Loader />;
  if (!impact.data) return <ErrorAlert error={impact.error} testId="impact-error" />;
  const i = impact.data;
  const holdable = i.lots.filter((l) => l.holdable).map((l) => l.code);
  const selected = picked ?? new Set(holdable);
  return (
    <Stack data-testid="impact" data-event={eventId}>
      <Text size="sm">
        {t(i.kind === 'calibration' ? 'instruments.impact.introCalibration' : 'instruments.impact.introCheck', {
          code: i.instrumentCode,
          at: formatTime(i.performedAt),
          since: i.since ? formatTime(i.since) : t('instruments.impact.sinceNone'),
        })}
      </Text>
      <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="impact-results">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th>{t('instruments.impact.lot')}</Table.Th>
            <Table.Th>{t('instruments.impact.sample')}</Table.Th>
            <Table.Th>{t('instruments.impact.item')}</Table.Th>
            <Table.Th>{t('instruments.impact.how')}</Table.Th>
            <Table.Th>{t('instruments.impact.reported')}</Table.Th>
            <Table.Th>{t('instruments.impact.standing')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {i.results.map((r) => (
            <Table.Tr key={r.resultId} data-testid={`impact-result-${r.sampleCode}-${r.itemCode}`}>
              <Table.Td ff="monospace">{r.lotCode ?? '—'}</Table.Td>
              <Table.Td ff="monospace">
                <Anchor href={testingSampleHref(r.sampleCode)} size="sm">
                  {r.sampleCode}
                </Anchor>
              </Table.Td>
              <Table.Td ff="monospace">{r.itemCode}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={r.how === 'captured' ? 'blue' : 'grape'} tt="none">
                  {t(`instruments.impact.hows.${r.how}`)}
                </Badge>
              </Table.Td>
              <Table.Td ff="monospace">{r.reported ?? '—'}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={r.standing ? 'red' : 'gray'} tt="none" data-standing={String(r.standing)}>
                  {r.standing ? t('instruments.impact.stands') : t('instruments.impact.remeasured')}
                </Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {i.results.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('instruments.impact.none')}
        </Text>
      ) : null}
      <Table withTableBorder verticalSpacing={4} fz="sm" data-testid="impact-lots">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th w={40} />
            <Table.Th>{t('instruments.impact.lot')}</Table.Th>
            <Table.Th>{t('instruments.impact.lotStatus')}</Table.Th>
            <Table.Th>{t('instruments.impact.results')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {i.lots.map((l) => (
            <Table.Tr key={l.code} data-testid={`impact-lot-${l.code}`}>
              <Table.Td>
                <Checkbox
                  size="xs"
                  disabled={!l.holdable || !canHold}
                  checked={selected.has(l.code)}
                  aria-label={l.code}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.currentTarget.checked) next.add(l.code);
                    else next.delete(l.code);
                    setPicked(next);
                  }}
                />
              </Table.Td>
              <Table.Td ff="monospace">
                <Anchor href={href(`/lots/${encodeURIComponent(l.code)}`)} size="sm">
                  {l.code}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {t(`lots.status.${l.status}`, { defaultValue: l.status })}
                {l.holdable ? null : (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    · {t('instruments.impact.notHoldable')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{l.results}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canHold ? (
        <Group justify="flex-end">
          <Button
            color="orange"
            disabled={selected.size === 0}
            onClick={() => setSigning(true)}
            data-testid="impact-hold"
          >
            {t('instruments.impact.hold', { count: selected.size })}
          </Button>
        </Group>
      ) : null}
      <SignatureDialog
        opened={signing}
        onClose={() => setSigning(false)}
        meanings={['held']}
        commentRequired
        commentLabel={t('instruments.impact.holdReason')}
        commentDescription={t('instruments.impact.holdReasonHelp')}
        summary={
          <Stack gap={2}>
            <Text fw={600}>
              {t('instruments.impact.holdSummary', { count: selected.size, code: i.instrumentCode })}
            </Text>
            <Text size="sm" ff="monospace" data-testid="impact-hold-lots">
              {[...selected].join(', ')}
            </Text>
          </Stack>
        }
        onSign={async (s) => {
          const r = await call('instruments.impact.hold', {
            eventId,
            lotCodes: [...selected],
            reason: s.comment!,
            signature: { password: s.password, meaning: s.meaning },
          });
          notifications.show({ color: 'orange', message: t('instruments.impact.held', { count: r.held.length }) });
          setPicked(null);
          void qc.invalidateQueries({ queryKey: ['instruments.impact'] });
          void qc.invalidateQueries({ queryKey: ['lots.list'] });
        }}
      />
    </Stack>
  );
}
