import { useState } from 'react';
import { ItemName } from '../../ui/item-name';
import { Alert, Anchor, Button, Checkbox, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Readiness } from '../../../../shared/contract/channels/disposition';
import { ApiError, call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { LotLink, StatusBadge, traceHref } from '../../ui/lot';
import { decisionColor, decisionMeaning, lineTitle, type Decision } from './disposition-format';

/** Every query a decision changes: the lot everywhere it shows, the queue, trace and cards. */
export async function invalidateLotViews(qc: ReturnType<typeof useQueryClient>): Promise<void> {
  const keys = [
    'disposition.readiness',
    'disposition.queue',
    'disposition.auditEntries',
    'disposition.forward',
    'lots.get',
    'lots.list',
    'trace.run',
    'documents.list',
    'results.completeness',
  ];
  await Promise.all(keys.map((key) => qc.invalidateQueries({ queryKey: [key] })));
}

/** "Not ready: audit_review, ledger" from the server, with the lines named in the user's language. */
function withLineTitles(t: TFunction, e: unknown): unknown {
  if (!(e instanceof ApiError) || e.error.messageKey !== 'errors.lot_not_ready') return e;
  const failing = String(e.error.details?.['failing'] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => lineTitle(t, k as Parameters<typeof lineTitle>[1]))
    .join(t('disposition.listSeparator'));
  return new ApiError({ ...e.error, details: { ...e.error.details, failing } });
}

/**
 * The signed decisions the server allows for this lot now (`allowedDecisions`), each in the
 * signature dialog with its meaning. Release is shown disabled, with the reason, while a
 * readiness line fails: there is no override (for infant formula none at all).
 */
export function DecisionActions({ readiness }: { readiness: Readiness }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [done, setDone] = useState<{ decision: Decision; held: string[]; status: string } | null>(null);
  const canDecide = hasPermission(session, 'lots.decide') && !session.readOnly;
  const canHold = hasPermission(session, 'lots.hold') && !session.readOnly;
  const r = readiness;
  const allowed = r.allowedDecisions.filter((d) => (d === 'hold' ? canHold : canDecide));
  // Not ready: the positive decision the lot waits for, shown disabled with the reason.
  const waiting: Decision | null =
    !r.ready && canDecide
      ? r.lotStatus === 'on_hold' && r.lotKind !== 'raw_milk'
        ? r.lotKind === 'finished' || r.lotKind === 'intermediate'
          ? 'release'
          : 'release_from_hold'
        : r.lotStatus === 'quarantine' && r.lotKind !== 'raw_milk'
          ? 'accept'
          : null
      : null;
  const failing = r.lines.filter((l) => !l.ok).map((l) => lineTitle(t, l.key));

  if (!canHold && !canDecide) {
    return (
      <Paper withBorder p="md" data-testid="decision-panel">
        <Title order={4}>{t('disposition.decisionTitle')}</Title>
        <Text size="sm" c="dimmed">
          {session.readOnly ? t('disposition.readOnly') : t('disposition.noPermission')}
        </Text>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="md" data-testid="decision-panel">
      <Title order={4}>{t('disposition.decisionTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {allowed.length > 0 || waiting
          ? t('disposition.decisionHelp')
          : t('disposition.noDecision', { status: t(`lots.status.${r.lotStatus}`, { defaultValue: r.lotStatus }) })}
      </Text>
      <Group gap="xs">
        {waiting ? (
          <Button color="green" disabled data-testid={`decide-${waiting}`} data-disabled-reason="not_ready">
            {t(`disposition.decisions.${waiting}`)}
          </Button>
        ) : null}
        {allowed.map((d) => (
          <Button key={d} color={decisionColor[d]} onClick={() => setDecision(d)} data-testid={`decide-${d}`}>
            {t(`disposition.decisions.${d}`)}
          </Button>
        ))}
      </Group>
      {waiting ? (
        <Alert color="red" variant="light" mt="sm" p="xs" data-testid="release-blocked">
          <Text size="sm">
            {t(r.imf ? 'disposition.releaseBlockedImf' : 'disposition.releaseBlocked', {
              lines: failing.join(t('disposition.listSeparator')),
            })}
          </Text>
        </Alert>
      ) : null}
      {!canDecide && canHold && r.allowedDecisions.includes('hold') ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('disposition.reviewerHoldNote')}
        </Text>
      ) : null}
      {done ? (
        <Alert color={decisionColor[done.decision]} variant="light" mt="sm" data-testid="decision-done">
          <Text size="sm">
            {t('disposition.decided', {
              code: r.lotCode,
              status: t(`lots.status.${done.status}`, { defaultValue: done.status }),
            })}
          </Text>
          {done.held.length > 1 ? (
            <Text size="sm" data-testid="decision-held">
              {t('disposition.heldAlso', { count: done.held.length - 1, lots: done.held.slice(1).join(', ') })}
            </Text>
          ) : null}
        </Alert>
      ) : null}
      <DecisionDialog
        readiness={r}
        decision={decision}
        onClose={() => setDecision(null)}
        onDone={(d, held, status) => {
          setDone({ decision: d, held, status });
          void invalidateLotViews(qc);
        }}
      />
    </Paper>
  );
}

function DecisionDialog({
  readiness: r,
  decision,
  onClose,
  onDone,
}: {
  readiness: Readiness;
  decision: Decision | null;
  onClose: () => void;
  onDone: (d: Decision, held: string[], status: string) => void;
}) {
  const { t } = useTranslation();
  const [propagate, setPropagate] = useState<boolean | null>(null);
  const hold = decision === 'hold';
  const forward = useCall('disposition.forward', { lotCode: r.lotCode }, { enabled: hold, staleTime: 0 });
  const holdable = (forward.data?.unshipped ?? []).filter((u) => u.holdable);
  // Every holdable forward lot is held too unless the person unticks it.
  const willPropagate = propagate ?? holdable.length > 0;
  const reasonLabel =
    decision === 'release_from_hold'
      ? t('disposition.resolution')
      : decision === 'hold'
        ? t('disposition.holdReason')
        : decision === 'reject'
          ? t('disposition.rejectReason')
          : t('disposition.releaseReason');
  return (
    <SignatureDialog
      opened={decision !== null}
      onClose={() => {
        setPropagate(null);
        onClose();
      }}
      size={hold ? 'xl' : 'lg'}
      meanings={decision ? [decisionMeaning(decision, r.lotKind)] : ['released']}
      commentRequired
      commentLabel={reasonLabel}
      commentDescription={t(`disposition.reasonHelp.${decision ?? 'release'}`)}
      summary={
        <Stack gap={2}>
          <Text fw={700} data-testid="decision-summary">
            {decision ? t(`disposition.summary.${decision}`, { code: r.lotCode }) : ''}
          </Text>
          <Text size="sm" c="dimmed">
            {r.itemCode} · <ItemName code={r.itemCode} recorded={r.itemName} /> ·{' '}
            {t('disposition.statusNow', { status: t(`lots.status.${r.lotStatus}`, { defaultValue: r.lotStatus }) })}
          </Text>
        </Stack>
      }
      onSign={async (v) => {
        if (!decision) return;
        try {
          const out = await call('disposition.decide', {
            lotCode: r.lotCode,
            decision,
            reason: v.comment ?? '',
            propagate: hold && willPropagate,
            signature: { password: v.password, meaning: v.meaning },
            // The lot and its checklist as this page shows them: a change since is refused
            // with the new state, never decided on old facts (D-097, D-110).
            ...(r.lotRev !== undefined ? { expectedRev: r.lotRev } : {}),
            ...(r.basis ? { expectedBasis: r.basis } : {}),
          });
          notifications.show({
            color: decisionColor[decision],
            message: t('disposition.decided', {
              code: r.lotCode,
              status: t(`lots.status.${out.readiness.lotStatus}`, { defaultValue: out.readiness.lotStatus }),
            }),
          });
          setPropagate(null);
          onDone(decision, out.held, out.readiness.lotStatus);
        } catch (e) {
          throw withLineTitles(t, e);
        }
      }}
    >
      {hold ? (
        <HoldReach
          loading={forward.isLoading}
          error={forward.error}
          data={forward.data}
          propagate={willPropagate}
          onPropagate={setPropagate}
        />
      ) : null}
    </SignatureDialog>
  );
}

const nowrap = { whiteSpace: 'nowrap' } as const;

type Forward = NonNullable<ReturnType<typeof useCall<'disposition.forward'>>['data']>;

/** What a hold reaches (issue 11 §3, issue 19 §2): the forward lots with stock left to hold with it, shipped before or not, and the shipped ones with their customers. */
function HoldReach({
  loading,
  error,
  data,
  propagate,
  onPropagate,
}: {
  loading: boolean;
  error: unknown;
  data: Forward | undefined;
  propagate: boolean;
  onPropagate: (v: boolean) => void;
}) {
  const { t } = useTranslation();
  if (loading) return <Loader size="sm" />;
  if (!data) return <ErrorAlert error={error} />;
  const holdable = data.unshipped.filter((u) => u.holdable);
  const customers = data.shipped.flatMap((s) => s.customers.map((c) => ({ lot: s.lot, ...c })));
  return (
    <Stack gap="xs" data-testid="hold-reach">
      <Paper withBorder p="xs">
        <Checkbox
          checked={propagate}
          disabled={holdable.length === 0}
          onChange={(e) => onPropagate(e.currentTarget.checked)}
          label={
            holdable.length > 0
              ? t('disposition.hold.propagate', { count: holdable.length })
              : t('disposition.hold.nothingToPropagate')
          }
          description={holdable.length > 0 ? t('disposition.hold.propagateHelp') : undefined}
          data-testid="hold-propagate"
        />
        {data.unshipped.length > 0 ? (
          <Table fz="xs" verticalSpacing={2} mt="xs" data-testid="hold-unshipped">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('disposition.hold.lot')}</Table.Th>
                <Table.Th>{t('disposition.hold.item')}</Table.Th>
                <Table.Th>{t('disposition.hold.depth')}</Table.Th>
                <Table.Th>{t('disposition.hold.status')}</Table.Th>
                <Table.Th>{t('disposition.hold.effect')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.unshipped.map((u) => (
                <Table.Tr key={u.lot} data-testid={`hold-unshipped-${u.lot}`} data-holdable={String(u.holdable)}>
                  <Table.Td style={nowrap}>
                    <LotLink code={u.lot} />
                  </Table.Td>
                  <Table.Td ff="monospace">{u.itemCode ?? '—'}</Table.Td>
                  <Table.Td>{u.depth}</Table.Td>
                  <Table.Td style={nowrap}>
                    <StatusBadge status={u.status} size="xs" />
                  </Table.Td>
                  <Table.Td>
                    {u.holdable ? (
                      <Text size="xs" fw={600} c={propagate ? 'orange.8' : 'dimmed'}>
                        {propagate ? t('disposition.hold.willHold') : t('disposition.hold.wouldHold')}
                      </Text>
                    ) : (
                      <Text size="xs" c="dimmed">
                        {t('disposition.hold.notHoldable')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>
      {data.shipped.length > 0 ? (
        <Alert
          color="red"
          variant="light"
          p="xs"
          title={t('disposition.hold.shippedTitle', { count: data.shipped.length })}
        >
          <Text size="xs" mb={4}>
            {t('disposition.hold.shippedHelp')}
          </Text>
          <Table fz="xs" verticalSpacing={2} bg="white" withTableBorder data-testid="hold-shipped">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('disposition.hold.lot')}</Table.Th>
                <Table.Th>{t('disposition.hold.customer')}</Table.Th>
                <Table.Th>{t('disposition.hold.contact')}</Table.Th>
                <Table.Th ta="right">{t('disposition.hold.quantity')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.map((c, i) => (
                <Table.Tr key={`${c.lot}-${c.code}-${i}`} data-testid={`hold-shipped-${c.lot}`}>
                  <Table.Td style={nowrap}>
                    <LotLink code={c.lot} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" fw={600}>
                      {c.name ?? c.code}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {c.code}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{c.contact ?? '—'}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {c.phone ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {c.quantity} {c.unit}
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={traceHref(c.lot)} size="xs">
                      {t('disposition.hold.trace')}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      ) : (
        <Text size="xs" c="dimmed" data-testid="hold-none-shipped">
          {t('disposition.hold.noneShipped')}
        </Text>
      )}
    </Stack>
  );
}
