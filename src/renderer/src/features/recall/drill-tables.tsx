import { Badge, Box, Group, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { KindLabel, LotLink, StatusBadge, qty } from '../../ui/lot';
import { num } from '../../ui/format';
import { pctTone, type DrillDetail } from './drills-format';
import { massBalanceRows } from '../../../../shared/contract/channels/trace';
import { signatureTime } from '../../ui/format';

/** A section that waits for its step: until the step is run, it says so instead of showing data. */
export function StepSection({
  title,
  help,
  ready,
  testId,
  extra,
  children,
}: {
  title: string;
  help?: string;
  ready: boolean;
  testId: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid={testId} data-ready={String(ready)}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <div>
          <Title order={5}>{title}</Title>
          {help ? (
            <Text size="xs" c="dimmed">
              {help}
            </Text>
          ) : null}
        </div>
        {extra}
      </Group>
      {ready ? (
        children
      ) : (
        <Text size="sm" c="dimmed" fs="italic">
          {t('drills.view.runStepFirst')}
        </Text>
      )}
    </Paper>
  );
}

const dirColor = { root: 'dark', backward: 'blue', forward: 'grape' } as const;

/** Affected lots with their stock by location (steps 1–2). */
export function LotsTable({ detail, showStock }: { detail: DrillDetail; showStock: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped withTableBorder fz="sm" verticalSpacing={4} data-testid="drill-lots">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('drills.lots.direction')}</Table.Th>
            <Table.Th style={num}>{t('drills.lots.depth')}</Table.Th>
            <Table.Th>{t('drills.lots.lot')}</Table.Th>
            <Table.Th>{t('drills.lots.kind')}</Table.Th>
            <Table.Th>{t('drills.lots.item')}</Table.Th>
            <Table.Th>{t('drills.lots.status')}</Table.Th>
            <Table.Th style={num}>{t('drills.lots.remaining')}</Table.Th>
            <Table.Th>{t('drills.lots.location')}</Table.Th>
            <Table.Th>{t('drills.lots.shipped')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.lots.map((l) => (
            <Table.Tr key={`${l.direction}-${l.lot}`} data-testid={`drill-lot-${l.lot}`} data-direction={l.direction}>
              <Table.Td>
                <Badge
                  color={dirColor[l.direction]}
                  variant={l.direction === 'root' ? 'filled' : 'light'}
                  tt="none"
                  size="sm"
                >
                  {t(`drills.lots.dir.${l.direction}`)}
                </Badge>
              </Table.Td>
              <Table.Td style={num}>{l.depth}</Table.Td>
              <Table.Td>
                <LotLink code={l.lot} />
              </Table.Td>
              <Table.Td>
                {l.kind ? (
                  <KindLabel kind={l.kind} />
                ) : (
                  <Text c="red.8" size="sm">
                    {t('drills.lots.noRecord')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace">{l.itemCode ?? '—'}</Table.Td>
              <Table.Td>
                <StatusBadge status={l.status} size="sm" />
              </Table.Td>
              <Table.Td style={num} ff="monospace" c={l.remaining?.startsWith('-') ? 'red.8' : undefined}>
                {showStock ? qty(l.remaining, l.unit) : '…'}
              </Table.Td>
              <Table.Td>{showStock ? (l.location ?? '—') : '…'}</Table.Td>
              <Table.Td>
                {l.shipped ? (
                  <Badge color="orange" variant="light" tt="none" size="sm">
                    {t('drills.lots.shippedYes')}
                  </Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('drills.lots.shippedNo')}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Customers who received affected lots, with their contacts (step 3). */
export function CustomersTable({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  if (detail.customers.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="drill-customers-none">
        {t('drills.customers.none')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table withTableBorder withRowBorders fz="sm" verticalSpacing={4} data-testid="drill-customers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('drills.customers.customer')}</Table.Th>
            <Table.Th>{t('drills.customers.contact')}</Table.Th>
            <Table.Th>{t('drills.customers.phone')}</Table.Th>
            <Table.Th>{t('drills.customers.shipments')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.customers.map((c) => (
            <Table.Tr key={c.code} data-testid={`drill-customer-${c.code}`} style={{ verticalAlign: 'top' }}>
              <Table.Td>
                <Text size="sm" ff="monospace" fw={700}>
                  {c.code}
                </Text>
                <Text size="xs" c={c.name ? 'dimmed' : 'red.8'}>
                  {c.name ?? t('drills.customers.notInCatalogue')}
                </Text>
              </Table.Td>
              <Table.Td>
                {c.contact ?? (
                  <Text span size="sm" c="red.8">
                    {t('drills.customers.noContact')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace" fw={700}>
                {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—'}
              </Table.Td>
              <Table.Td>
                {c.shipments.map((s) => (
                  <Text key={`${s.shipment}-${s.lot}`} size="xs" ff="monospace">
                    {s.date} · {s.shipment} · {s.lot} · {qty(s.quantity, s.unit)}
                  </Text>
                ))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The accounted percentage against the drill's tolerance band: a scale with the band shaded
 * and a marker, so "inside" or "outside" reads at a glance.
 */
export function ToleranceBand({ pct, min, max }: { pct: string | null; min: string; max: string }) {
  const { t } = useTranslation();
  const tone = pctTone(pct, min, max);
  const v = pct === null ? null : Number(pct);
  const lo = Math.min(80, Number(min) - 5, v ?? 100);
  const hi = Math.max(110, Number(max) + 5, v ?? 100);
  const at = (x: number) => `${((Math.min(hi, Math.max(lo, x)) - lo) / (hi - lo)) * 100}%`;
  return (
    <Box data-testid="tolerance-band" data-tone={tone} data-pct={pct ?? ''}>
      <Group justify="space-between" mb={4}>
        <Text size="xs" c="dimmed">
          {t('drills.massBalance.band', { min, max })}
        </Text>
        <Text
          fw={800}
          fz={22}
          c={tone === 'green' ? 'green.8' : tone === 'red' ? 'red.8' : 'dimmed'}
          data-testid="accounted-pct"
        >
          {pct === null ? '—' : `${pct} %`}
        </Text>
      </Group>
      <Box pos="relative" h={18} bg="gray.2" style={{ borderRadius: 4 }}>
        <Box
          pos="absolute"
          top={0}
          bottom={0}
          bg="green.3"
          style={{ left: at(Number(min)), width: `calc(${at(Number(max))} - ${at(Number(min))})`, borderRadius: 2 }}
        />
        {v !== null ? (
          <Box
            pos="absolute"
            top={-4}
            bottom={-4}
            w={4}
            bg={tone === 'green' ? 'green.9' : 'red.7'}
            style={{ left: `calc(${at(v)} - 2px)`, borderRadius: 2 }}
          />
        ) : null}
      </Box>
      <Group justify="space-between" mt={2}>
        <Text size="xs" c="dimmed" ff="monospace">
          {lo} %
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {hi} %
        </Text>
      </Group>
    </Box>
  );
}

const mbRows = massBalanceRows;

/** The root lot's mass balance (step 4): where every kilogram went, and the accounted % against the tolerance. */
export function MassBalanceTable({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  const mb = detail.massBalance ?? {};
  const unit = mb['unit'] ?? '';
  const d = detail.drill;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" data-testid="drill-mass-balance">
      <Table striped withTableBorder withColumnBorders fz="sm" verticalSpacing={3}>
        <Table.Tbody>
          {mbRows.map((r) => (
            <Table.Tr
              key={r}
              data-testid={`drill-mb-${r}`}
              fw={r === 'accounted' || r === 'received_or_produced' ? 700 : undefined}
            >
              <Table.Td>{t(`trace.massBalance.${r}`)}</Table.Td>
              <Table.Td style={num} ff="monospace">
                {r === 'returned' && mb[r] && mb[r] !== '0' ? '−' : ''}
                {qty(mb[r], unit)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <div>
        <ToleranceBand pct={mb['accounted_pct'] ?? d.accountedPct} min={d.toleranceMin} max={d.toleranceMax} />
        <Text size="xs" c="dimmed" mt="sm">
          {t('trace.massBalance.formula')}
        </Text>
      </div>
    </SimpleGrid>
  );
}

/** The records behind the drill (step 5): receipts, batch records, results, decisions, shipments. */
export function DocumentsTable({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped withTableBorder fz="sm" verticalSpacing={3} data-testid="drill-documents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>{t('drills.documents.kind')}</Table.Th>
            <Table.Th>{t('drills.documents.record')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {detail.documents.map((x, i) => (
            <Table.Tr key={`${x.kind}-${x.ref}-${i}`} data-testid={`drill-doc-${x.kind}`}>
              <Table.Td>
                <Badge variant="light" color="gray" tt="none" size="sm">
                  {t(`drills.docKinds.${x.kind}`, { defaultValue: x.kind })}
                </Badge>
              </Table.Td>
              <Table.Td ff="monospace" fz="xs">
                {x.meaning ? `${t(`meanings.${x.meaning}`, { defaultValue: x.meaning })} · ` : ''}
                {x.label}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The signatures on the drill (completion) as every signed record shows them. */
export function DrillSignatures({ detail }: { detail: DrillDetail }) {
  const { t } = useTranslation();
  if (detail.signatures.length === 0) return null;
  return (
    <Box data-testid="drill-signatures">
      {detail.signatures.map((s) => (
        <Text key={s.id} size="sm" data-testid="drill-signature" data-meaning={s.meaning} data-valid={String(s.valid)}>
          <b>{s.printedName}</b> ({s.userId}) · {t(`meanings.${s.meaning}`)} · {signatureTime(s)}
          {s.comment ? ` · ${s.comment}` : ''}
          {!s.valid ? (
            <Badge ml="xs" color="red" size="xs">
              {t('drills.view.signatureInvalid')}
            </Badge>
          ) : null}
        </Text>
      ))}
    </Box>
  );
}
