import type { ReactNode } from 'react';
import { Anchor, Badge, Code, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { machineReason } from '../../../../shared/i18n/words';
import { formatTimeIn, formatValue, localTimeZone, formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { actionLabel, entityLabel } from './filter';

/** One audit entry: who, when, where, what, why, and the field-by-field difference. */
export function AuditEntryDetail({ seq, onNavigate }: { seq: number; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const q = useCall('audit.entry', { seq }, { staleTime: Infinity });
  if (q.isPending) return <Loader size="sm" />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const { entry, before, after, changes, signature } = q.data;
  // A new record has no `before`: show every field it was created with.
  const rows =
    changes.length > 0
      ? changes
      : before === null
        ? Object.entries(after).map(([field, value]) => ({ field, before: undefined, after: value }))
        : [];
  const zone = localTimeZone();
  return (
    <Stack data-testid="audit-detail">
      <SimpleGrid cols={2} spacing="sm">
        <Item label={t('audit.who')}>
          <Text data-testid="audit-detail-who">
            {entry.actorName} ({entry.actorId})
          </Text>
        </Item>
        <Item label={t('audit.at')}>
          <Text data-testid="audit-detail-at">{t('time.local', { time: formatTime(entry.at), zone })}</Text>
          {entry.timeZone && entry.timeZone !== zone ? (
            <Text size="xs" c="dimmed">
              {t('time.local', { time: formatTimeIn(entry.at, entry.timeZone), zone: entry.timeZone })}
            </Text>
          ) : null}
        </Item>
        <Item label={t('audit.workstation')}>
          <Text>{entry.workstation}</Text>
        </Item>
        <Item label={t('audit.action')}>
          <Badge variant="light" tt="none" data-testid="audit-detail-action">
            {actionLabel(t, entry.action)}
          </Badge>
        </Item>
        <Item label={t('audit.record')}>
          <Text data-testid="audit-detail-record">
            {entityLabel(t, entry.entity)} / {entry.entityId}
          </Text>
        </Item>
        <Item label={t('audit.reason')}>
          <Text data-testid="audit-detail-reason" title={entry.reason ?? undefined}>
            {entry.reason ? machineReason(t, entry.reason) : t('common.none')}
          </Text>
        </Item>
      </SimpleGrid>
      {signature ? <PersonalSignature s={signature} /> : null}
      <Anchor
        href={href('/audit', { tab: 'trail', entity: entry.entity, id: entry.entityId })}
        onClick={onNavigate}
        data-testid="audit-history-link"
      >
        {t('audit.history')}
      </Anchor>
      <Title order={5}>{t('audit.changes')}</Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('audit.noChanges')}
        </Text>
      ) : (
        <Table striped withTableBorder data-testid="audit-changes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.field')}</Table.Th>
              <Table.Th>{t('audit.before')}</Table.Th>
              <Table.Th>{t('audit.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.field} data-testid={`audit-change-${c.field}`}>
                <Table.Td>
                  <Code>{c.field}</Code>
                </Table.Td>
                {/* Long values (hashes, signatures) wrap anywhere; a short one (null) keeps its column. */}
                <Table.Td c="red.8" style={valueCell}>
                  {formatValue(c.before)}
                </Table.Td>
                <Table.Td c="green.8" style={valueCell}>
                  {formatValue(c.after)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Item label={t('audit.hash')}>
        <Code style={{ wordBreak: 'break-all' }}>{entry.hash}</Code>
      </Item>
    </Stack>
  );
}

const valueCell = { overflowWrap: 'anywhere', minWidth: '6rem' } as const;

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {children}
    </Stack>
  );
}

/**
 * A signature entry's personal signature (issue 18 §2): checked in main against the signer's
 * key on record; shown with the key's fingerprint so an inspector can compare it with the
 * registrations `lotseal verify` prints.
 */
function PersonalSignature({
  s,
}: {
  s: {
    personal: 'verified' | 'legacy' | 'invalid';
    keyFingerprint: string | null;
    keyId: string | null;
    headSeq: number | null;
  };
}) {
  const { t } = useTranslation();
  const color = s.personal === 'verified' ? 'green' : s.personal === 'legacy' ? 'gray' : 'red';
  return (
    <Stack gap={4} data-testid="audit-signature">
      <Badge color={color} variant="light" tt="none" data-testid="audit-signature-state" data-state={s.personal}>
        {t(`trust.signature_${s.personal}`)}
      </Badge>
      {s.keyFingerprint ? (
        <Text size="sm">
          {t('trust.signedWithKey')}:{' '}
          <Text
            span
            ff="monospace"
            size="sm"
            style={{ wordBreak: 'break-all' }}
            data-testid="audit-signature-fingerprint"
            title={s.keyFingerprint}
          >
            {s.keyFingerprint}
          </Text>
        </Text>
      ) : null}
      {s.headSeq !== null ? (
        <Text size="xs" c="dimmed">
          {t('trust.witnessesHead', { seq: s.headSeq })}
        </Text>
      ) : null}
    </Stack>
  );
}
