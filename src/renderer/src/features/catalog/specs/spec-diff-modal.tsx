import { Alert, Badge, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatDiffValue } from './spec-format';

/** What changed between two versions: added, removed, and changed items field by field. */
export function SpecDiffModal({
  fromId,
  toId,
  opened,
  onClose,
}: {
  fromId: string;
  toId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={<Title order={4}>{t('specs.compare')}</Title>}>
      {opened ? <Diff fromId={fromId} toId={toId} /> : null}
    </Modal>
  );
}

function Diff({ fromId, toId }: { fromId: string; toId: string }) {
  const { t } = useTranslation();
  const q = useCall('specs.diff', { fromVersionId: fromId, toVersionId: toId });
  if (q.isPending) return <Loader size="sm" />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const d = q.data;
  const nothing = d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
  return (
    <Stack data-testid="spec-diff">
      <Text fw={600} data-testid="spec-diff-title">
        {t('diff.title', { from: d.from.version, to: d.to.version })}
      </Text>
      {nothing ? (
        <Alert color="gray" variant="light" data-testid="spec-diff-none">
          {t('diff.none')}
        </Alert>
      ) : null}
      {d.added.length ? (
        <Stack gap={4} data-testid="spec-diff-added">
          <Text fw={600} c="green.8">
            {t('diff.added')} ({d.added.length})
          </Text>
          <Group gap={4}>
            {d.added.map((c) => (
              <Badge key={c} color="green" variant="light" tt="none">
                + {c}
              </Badge>
            ))}
          </Group>
        </Stack>
      ) : null}
      {d.removed.length ? (
        <Stack gap={4} data-testid="spec-diff-removed">
          <Text fw={600} c="red.8">
            {t('diff.removed')} ({d.removed.length})
          </Text>
          <Group gap={4}>
            {d.removed.map((c) => (
              <Badge key={c} color="red" variant="light" tt="none">
                − {c}
              </Badge>
            ))}
          </Group>
        </Stack>
      ) : null}
      {d.changed.length ? (
        <Stack gap={4} data-testid="spec-diff-changed">
          <Text fw={600} c="blue.8">
            {t('diff.changed')} ({d.changed.length})
          </Text>
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('specs.cols.code')}</Table.Th>
                <Table.Th>{t('diff.field')}</Table.Th>
                <Table.Th>{t('diff.before', { version: d.from.version })}</Table.Th>
                <Table.Th>{t('diff.after', { version: d.to.version })}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.changed.flatMap((c) =>
                c.fields.map((f, n) => (
                  <Table.Tr key={`${c.code}.${f.field}`} data-testid={`spec-diff-${c.code}-${f.field}`}>
                    <Table.Td>
                      {n === 0 ? (
                        <Text ff="monospace" size="sm" fw={600}>
                          {c.code}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{t(`itemEditor.${f.field}`, { defaultValue: f.field })}</Table.Td>
                    <Table.Td c="red.8" style={{ wordBreak: 'break-word' }}>
                      {formatDiffValue(t, f.field, f.before)}
                    </Table.Td>
                    <Table.Td c="green.8" style={{ wordBreak: 'break-word' }}>
                      {formatDiffValue(t, f.field, f.after)}
                    </Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
    </Stack>
  );
}
