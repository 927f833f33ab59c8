import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SpecTableView, SpecVersionView } from '../../../../../shared/contract/channels/catalog';
import { standardEdition } from '../../../../../shared/catalog/spec-tables';
import { call } from '../../../core/api/client';
import { formatTime } from '../../../ui/format';
import { SignatureDialog } from '../../../ui/signature-dialog';
import { storeVersionView } from './spec-cache';
import { formatLimit, itemName } from './spec-format';

/**
 * The tables a specification's values come from (issue 22 §4): per standard and table, how
 * many values are confirmed, unverified or missing, and one signature that confirms the whole
 * table once the QA manager has compared it with the official text.
 */
export function SpecTablesPanel({ view, canConfirm }: { view: SpecVersionView; canConfirm: boolean }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<SpecTableView | null>(null);
  if (view.tables.length === 0) return null;
  return (
    <Paper withBorder p="md" data-testid="spec-tables">
      <Title order={4}>{t('specTables.title')}</Title>
      <Text size="sm" c="dimmed" mb="sm" maw={900}>
        {t('specTables.intro')}
      </Text>
      <Table verticalSpacing={6} withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('specTables.table')}</Table.Th>
            <Table.Th>{t('specTables.values')}</Table.Th>
            <Table.Th>{t('specTables.state')}</Table.Th>
            <Table.Th>{t('specTables.lastConfirmation')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.tables.map((tb) => (
            <TableRow
              key={`${tb.standard}|${tb.table}`}
              view={view}
              table={tb}
              canConfirm={canConfirm}
              onConfirm={setConfirming}
            />
          ))}
        </Table.Tbody>
      </Table>
      {confirming ? <ConfirmDialog view={view} table={confirming} onClose={() => setConfirming(null)} /> : null}
    </Paper>
  );
}

function TableRow({
  view,
  table: tb,
  canConfirm,
  onConfirm,
}: {
  view: SpecVersionView;
  table: SpecTableView;
  canConfirm: boolean;
  onConfirm: (t: SpecTableView) => void;
}) {
  const { t, i18n } = useTranslation();
  const id = `${tb.standard} ${tb.table}`;
  const empty = view.items.filter((i) => tb.itemIds.includes(i.id) && i.verification === 'missing');
  const allConfirmed = tb.confirmed === tb.count;
  return (
    <Table.Tr data-testid={`spec-table-${id}`} data-confirmed={tb.confirmed} data-count={tb.count}>
      <Table.Td>
        <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
          {tb.standard} · {tb.table}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{t('specTables.count', { count: tb.count })}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {tb.confirmed ? (
            <Badge color="green" variant="light" tt="none">
              {t('specTables.confirmed', { count: tb.confirmed })}
            </Badge>
          ) : null}
          {tb.unverified ? (
            <Badge color="orange" tt="none">
              {t('specTables.unverified', { count: tb.unverified })}
            </Badge>
          ) : null}
          {tb.missing ? (
            <Badge color="red" tt="none">
              {t('specTables.missing', { count: tb.missing })}
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {tb.lastConfirmation ? (
          <Text size="xs" data-testid={`spec-table-confirmation-${id}`}>
            {t('specTables.confirmedBy', {
              user: tb.lastConfirmation.confirmedByName,
              time: formatTime(tb.lastConfirmation.confirmedAt),
              count: tb.lastConfirmation.itemCount,
            })}
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            {t('specTables.never')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {canConfirm && !allConfirmed ? (
          <Stack gap={2} align="flex-start">
            <Button
              size="xs"
              color="green"
              variant="light"
              disabled={tb.withoutValue > 0}
              onClick={() => onConfirm(tb)}
              data-testid={`spec-table-confirm-${id}`}
            >
              {t('specTables.confirm')}
            </Button>
            {tb.withoutValue > 0 ? (
              <Text size="xs" c="red.8" maw={320}>
                {t('specTables.enterFirst', {
                  count: tb.withoutValue,
                  items: empty.map((i) => itemName(i18n.language, i)).join('、'),
                })}
              </Text>
            ) : null}
          </Stack>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function ConfirmDialog({
  view,
  table: tb,
  onClose,
}: {
  view: SpecVersionView;
  table: SpecTableView;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const items = view.items.filter((i) => tb.itemIds.includes(i.id));
  const { standard, edition } = standardEdition(tb.standard);
  return (
    <SignatureDialog
      opened
      onClose={onClose}
      meanings={['values_confirmed']}
      size="lg"
      summary={
        <Stack gap={4}>
          <Text fw={700} data-testid="spec-table-sign-summary">
            {t('specTables.statement', { standard, edition: edition || '—', table: tb.table, count: tb.count })}
          </Text>
          <Table fz="xs" verticalSpacing={2} withTableBorder data-testid="spec-table-sign-values">
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.origin?.row ?? itemName(i18n.language, i)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatLimit(t, i)}</Table.Td>
                  <Table.Td>{t(`specs.verification.${i.verification}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      }
      onSign={async ({ password, comment }) => {
        const next = await call('specs.confirmTable', {
          versionId: view.id,
          standard: tb.standard,
          table: tb.table,
          itemIds: tb.itemIds,
          signature: { password, meaning: 'values_confirmed', ...(comment ? { comment } : {}) },
        });
        storeVersionView(qc, next);
        notifications.show({
          color: 'green',
          message: t('specTables.done', { standard: tb.standard, table: tb.table, count: tb.count }),
        });
      }}
    >
      <Text size="sm">{t('specTables.meaning')}</Text>
    </SignatureDialog>
  );
}
