import { useState } from 'react';
import { ItemName } from '../../ui/item-name';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SignatureMeaning } from '../../../../shared/domain/roles';
import type { lotDecisions } from '../../../../shared/contract/channels/lots';
import { ApiError, call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { buildGenealogy, graphSize, GRAPH_MAX_NODES } from '../../ui/trace/genealogy';
import { GenealogyGraph } from '../../ui/trace/genealogy-graph';
import { GenealogyTree } from '../../ui/trace/genealogy-tree';
import { MassBalance } from '../../ui/trace/mass-balance';
import { CustomersTable, ShipmentsTable } from '../../ui/trace/trace-parts';
import { KindLabel, LotLink, StatusBadge, qty, traceHref } from '../../ui/lot';
import { LotControlBadges, LotStops } from './lot-controls';
import { LotCompleteness, LotRetentionFlag } from '../../core/slots';
import { releaseHref } from '../../ui/lot';
import { signatureTime } from '../../ui/format';

type Decision = (typeof lotDecisions)[number];
const received = new Set(['raw_milk', 'ingredient', 'packaging']);

/** The signature meaning of each decision (release from hold returns a bought-in lot to accepted). */
export function decisionMeaning(decision: Decision, kind: string): SignatureMeaning {
  switch (decision) {
    case 'accept':
      return 'accepted';
    case 'release':
      return 'released';
    case 'hold':
      return 'held';
    case 'reject':
      return 'rejected';
    case 'release_from_hold':
      return received.has(kind) ? 'accepted' : 'released';
  }
}

const decisionColor: Record<Decision, string> = {
  accept: 'green',
  release: 'green',
  release_from_hold: 'green',
  hold: 'orange',
  reject: 'red',
};

export function LotPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const detail = useCall('lots.get', { code }, { staleTime: 0, retry: false });
  const trace = useCall('trace.run', { code }, { staleTime: 0, retry: false, enabled: detail.isSuccess });
  const notFound = detail.error instanceof ApiError && detail.error.code === 'not_found';

  if (detail.isLoading) return <Loader />;
  if (!detail.data) {
    return (
      <Stack>
        <Anchor href={href('/lots')}>← {t('lots.backToList')}</Anchor>
        {notFound ? (
          <Alert color="red" title={t('trace.notFoundTitle')} data-testid="lot-not-found">
            {t('trace.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={detail.error} />
        )}
      </Stack>
    );
  }
  const { lot, receipt, batch, movements, signatures, allowedDecisions } = detail.data;
  const canRecord = hasPermission(session, 'lots.record') && !session.readOnly;

  return (
    <Stack data-testid="lot-page" data-lot={lot.code}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={6}>
            <Group gap="sm">
              <KindLabel kind={lot.kind} />
              <Title order={2} ff="monospace" data-testid="lot-code">
                {lot.code}
              </Title>
              <StatusBadge status={lot.status} size="lg" held={lot.decision?.meaning === 'held'} />
              <LotControlBadges lot={lot} />
            </Group>
            <Text>
              <Text span ff="monospace" fw={600}>
                {lot.itemCode}
              </Text>{' '}
              · <ItemName code={lot.itemCode} recorded={lot.itemName} />
            </Text>
            <LotStops lot={lot} />
          </Stack>
          <Group gap="xs">
            {['finished', 'ingredient', 'packaging'].includes(lot.kind) ? (
              <Button
                component="a"
                href={releaseHref(lot.code)}
                variant="light"
                color="green"
                data-testid="lot-open-release"
              >
                {t('disposition.openDecision')}
              </Button>
            ) : null}
            <Button component="a" href={traceHref(lot.code)} variant="light" data-testid="lot-open-trace">
              {t('lots.openTrace')}
            </Button>
            {canRecord ? (
              <Button
                component="a"
                href={href('/stock', { lot: lot.code })}
                variant="default"
                data-testid="lot-record-stock"
              >
                {t('lots.actions.stock')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} mt="md" data-testid="lot-facts">
          <Fact label={t('lots.fields.quantity')} value={qty(lot.quantity, lot.unit)} testId="lot-quantity" />
          <Fact label={t('lots.fields.remaining')} value={qty(lot.remaining, lot.unit)} testId="lot-remaining" strong />
          <Fact
            label={received.has(lot.kind) ? t('lots.fields.receivedOn') : t('lots.fields.producedOn')}
            value={lot.date}
          />
          <Fact label={t('lots.fields.expiry')} value={lot.expiryDate ?? '—'} />
          <Fact label={t('lots.fields.supplier')} value={lot.supplierCode ?? '—'} />
          <Fact label={t('lots.fields.supplierLot')} value={lot.supplierLot ?? '—'} />
          <Fact label={t('lots.fields.location')} value={lot.location ?? '—'} />
          <Fact label={t('lots.fields.origin')} value={t(`lots.origins.${lot.origin}`, { defaultValue: lot.origin })} />
        </SimpleGrid>
      </Paper>

      <LotRetentionFlag code={lot.code} kind={lot.kind} />

      {lot.kind !== 'packaging' ? <LotCompleteness lotCode={lot.code} /> : null}

      <Decisions
        code={lot.code}
        kind={lot.kind}
        status={lot.status}
        allowed={allowedDecisions}
        canDecide={hasPermission(session, 'lots.decide')}
      />

      {receipt ? <ReceiptDetails receipt={receipt} /> : null}
      {batch ? (
        <Paper withBorder p="sm" data-testid="lot-batch">
          <Title order={5}>{t('lots.batchTitle')}</Title>
          <Text size="sm">
            {t('lots.batchLine', { code: batch.code, line: batch.line })} ·{' '}
            {t(`batches.status.${batch.status}`, { defaultValue: batch.status })}
            {batch.status === 'open' ? (
              <>
                {' '}
                · <Anchor href={href('/batches')}>{t('lots.openBatch')}</Anchor>
              </>
            ) : null}
          </Text>
        </Paper>
      ) : null}

      <Paper withBorder p="sm" data-testid="lot-signatures">
        <Title order={5} mb="xs">
          {t('lots.signaturesTitle')}
        </Title>
        {signatures.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('lots.noSignatures')}
          </Text>
        ) : (
          <Stack gap={4}>
            {signatures.map((s) => (
              <Group key={s.id} gap="xs" data-testid="lot-signature">
                <Text size="sm" fw={600}>
                  {s.printedName}
                </Text>
                <Text size="sm">/</Text>
                <Text size="sm">{signatureTime(s)}</Text>
                <Text size="sm">/</Text>
                <Badge variant="light" tt="none">
                  {t(`meanings.${s.meaning}`)}
                </Badge>
                {s.comment ? (
                  <Text size="sm" c="dimmed">
                    — {s.comment}
                  </Text>
                ) : null}
                {!s.valid ? (
                  <Badge color="red" tt="none">
                    {t('lots.signatureInvalid')}
                  </Badge>
                ) : null}
              </Group>
            ))}
          </Stack>
        )}
      </Paper>

      <Movements movements={movements} />

      <Title order={3} mt="sm">
        {t('trace.genealogy.title')}
      </Title>
      {trace.isLoading ? <Loader size="sm" /> : null}
      <ErrorAlert error={trace.error} />
      {trace.data ? <LotGenealogy trace={trace.data} /> : null}
    </Stack>
  );
}

function LotGenealogy({ trace }: { trace: NonNullable<ReturnType<typeof useCall<'trace.run'>>['data']> }) {
  const { t } = useTranslation();
  const g = buildGenealogy(trace);
  const small = graphSize(g) <= GRAPH_MAX_NODES;
  const [view, setView] = useState<'tree' | 'graph'>('tree');
  return (
    <Stack data-testid="lot-genealogy">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('trace.genealogy.summary', {
            backward: trace.backward.length,
            forward: trace.forward.length,
            ms: trace.elapsed_ms.toFixed(1),
          })}
        </Text>
        <SegmentedControl
          value={view}
          onChange={(v) => setView(v as 'tree' | 'graph')}
          data={[
            { value: 'tree', label: t('trace.genealogy.treeView') },
            { value: 'graph', label: t('trace.genealogy.graphView'), disabled: !small },
          ]}
          data-testid="genealogy-view"
        />
      </Group>
      {view === 'graph' && small ? (
        <GenealogyGraph g={g} />
      ) : (
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <GenealogyTree g={g} direction="backward" />
          <GenealogyTree g={g} direction="forward" />
        </SimpleGrid>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack>
          <ShipmentsTable shipments={trace.shipments} title={t('lots.shipmentsTitle')} />
          <CustomersTable trace={trace} />
        </Stack>
        <MassBalance mb={trace.mass_balance} lot={trace.root.lot} />
      </SimpleGrid>
    </Stack>
  );
}

function Fact({ label, value, testId, strong }: { label: string; value: string; testId?: string; strong?: boolean }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong ? 700 : 500} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

function Decisions({
  code,
  kind,
  status,
  allowed,
  canDecide,
}: {
  code: string;
  kind: string;
  status: string;
  allowed: Decision[];
  canDecide: boolean;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [decision, setDecision] = useState<Decision | null>(null);
  if (!canDecide) return null;
  return (
    <Paper withBorder p="sm" data-testid="lot-decisions">
      <Title order={5}>{t('lots.decisionsTitle')}</Title>
      <Text size="xs" c="dimmed" mb="xs">
        {allowed.length > 0
          ? t('lots.decisionsHelp')
          : t('lots.noDecisions', { status: t(`lots.status.${status}`, { defaultValue: status }) })}
      </Text>
      <Group gap="xs">
        {allowed.map((d) => (
          <Button key={d} color={decisionColor[d]} onClick={() => setDecision(d)} data-testid={`decide-${d}`}>
            {t(`lots.decisions.${d}`)}
          </Button>
        ))}
      </Group>
      <SignatureDialog
        opened={decision !== null}
        onClose={() => setDecision(null)}
        meanings={decision ? [decisionMeaning(decision, kind)] : ['accepted']}
        commentRequired
        commentLabel={t('lots.decisionReason')}
        commentDescription={t('lots.decisionReasonHelp')}
        summary={
          <Stack gap={2}>
            <Text fw={700} data-testid="decision-summary">
              {decision ? t(`lots.decisionSummary.${decision}`, { code }) : ''}
            </Text>
            <Text size="sm" c="dimmed">
              {t(`lots.kinds.${kind}`, { defaultValue: kind })} ·{' '}
              {t('lots.statusNow', { status: t(`lots.status.${status}`, { defaultValue: status }) })}
            </Text>
          </Stack>
        }
        onSign={async (v) => {
          if (!decision) return;
          const lot = await call('lots.decide', {
            code,
            decision,
            reason: v.comment ?? '',
            signature: { password: v.password, meaning: v.meaning },
          });
          notifications.show({
            color: 'green',
            message: t('lots.decided', { code, status: t(`lots.status.${lot.status}`) }),
          });
          await qc.invalidateQueries({ queryKey: ['lots.get'] });
          await qc.invalidateQueries({ queryKey: ['trace.run'] });
          await qc.invalidateQueries({ queryKey: ['lots.list'] });
        }}
      />
    </Paper>
  );
}

function ReceiptDetails({ receipt }: { receipt: Record<string, unknown> }) {
  const { t } = useTranslation();
  const s = (k: string) =>
    receipt[k] === null || receipt[k] === undefined || receipt[k] === '' ? '—' : String(receipt[k]);
  const tanker = receipt['kind'] === 'tanker';
  const compartments = Array.isArray(receipt['compartments'])
    ? (receipt['compartments'] as Array<{ no: number; seal: string; sealIntact: boolean }>)
    : [];
  const farms = Array.isArray(receipt['farms']) ? (receipt['farms'] as string[]) : [];
  return (
    <Paper withBorder p="sm" data-testid="lot-receipt">
      <Title order={5} mb="xs">
        {tanker ? t('lots.receipt.tankerTitle') : t('lots.receipt.deliveryTitle')}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Fact
          label={t('lots.receipt.receivedAt')}
          value={typeof receipt['received_at'] === 'string' ? formatTime(receipt['received_at']) : '—'}
        />
        <Fact label={t('lots.receipt.quantity')} value={qty(s('quantity'), s('unit'))} />
        <Fact label={t('lots.receipt.temperature')} value={receipt['temperature'] ? `${s('temperature')} °C` : '—'} />
        {tanker ? (
          <>
            <Fact label={t('lots.receipt.vehicle')} value={s('vehicle')} />
            <Fact label={t('lots.receipt.farms')} value={farms.join(', ') || '—'} />
            <Fact
              label={t('lots.receipt.seals')}
              value={t(`lots.receipt.conditions.${s('condition')}`, { defaultValue: s('condition') })}
            />
          </>
        ) : (
          <>
            <Fact label={t('lots.receipt.containers')} value={s('containers')} />
            <Fact
              label={t('lots.receipt.condition')}
              value={t(`receiving.conditions.${s('condition')}`, { defaultValue: s('condition') })}
            />
          </>
        )}
      </SimpleGrid>
      {tanker && compartments.length > 0 ? (
        <Table withTableBorder mt="sm" fz="sm" data-testid="lot-compartments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('receiving.tanker.compartment')}</Table.Th>
              <Table.Th>{t('receiving.tanker.seal')}</Table.Th>
              <Table.Th>{t('receiving.tanker.intact')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {compartments.map((c) => (
              <Table.Tr key={c.no}>
                <Table.Td>{c.no}</Table.Td>
                <Table.Td ff="monospace">{c.seal}</Table.Td>
                <Table.Td>
                  <Badge color={c.sealIntact ? 'green' : 'red'} variant="light" tt="none">
                    {c.sealIntact ? t('common.yes') : t('common.no')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {!tanker ? (
        <Stack gap={2} mt="sm" data-testid="lot-coa">
          <Text size="xs" c="dimmed">
            {t('lots.receipt.coa')}
          </Text>
          {receipt['coa_file'] ? (
            <>
              <Text size="sm" fw={600}>
                {s('coa_file')}
              </Text>
              <Code style={{ wordBreak: 'break-all' }}>SHA-256 {s('coa_sha256')}</Code>
            </>
          ) : (
            <Text size="sm">{t('lots.receipt.noCoa')}</Text>
          )}
        </Stack>
      ) : null}
      {receipt['note'] ? (
        <Text size="sm" mt="xs">
          {t('lots.receipt.note')}: {s('note')}
        </Text>
      ) : null}
    </Paper>
  );
}

type Movement = NonNullable<ReturnType<typeof useCall<'lots.get'>>['data']>['movements'][number];

function Movements({ movements }: { movements: Movement[] }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="lot-movements">
      <Title order={5} mb="xs">
        {t('lots.movementsTitle')}
      </Title>
      {movements.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('lots.noMovements')}
        </Text>
      ) : (
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('lots.movement.date')}</Table.Th>
              <Table.Th>{t('lots.movement.type')}</Table.Th>
              <Table.Th>{t('lots.movement.other')}</Table.Th>
              <Table.Th ta="right">{t('lots.movement.quantity')}</Table.Th>
              <Table.Th>{t('lots.movement.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {movements.map((m) => (
              <Table.Tr key={m.id} data-testid={`movement-${m.type}`}>
                <Table.Td>{m.date.length > 10 ? formatTime(m.date) : m.date}</Table.Td>
                <Table.Td>{t(`lots.movement.types.${m.type}`)}</Table.Td>
                <Table.Td>
                  {m.otherLot ? <LotLink code={m.otherLot} /> : null}
                  {m.customer ? (
                    <Text span size="sm">
                      {m.reference ? `${m.reference} → ` : ''}
                      {m.customer}
                    </Text>
                  ) : null}
                  {!m.otherLot && !m.customer ? '—' : null}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {qty(m.quantity, m.unit)}
                </Table.Td>
                <Table.Td>{m.reason ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
