import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime, shortFingerprint } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';

/**
 * Administration → This workstation (issue 18 §5, §6): this host's signing key and whether it is
 * enrolled in the database; the enrolment (an administrator's signature `enrolled`); an anchor
 * conflict (the database was replaced by an older copy) and its signed acknowledgement; and
 * the host and personal keys on record with their fingerprints.
 */
export function WorkstationTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const canManage = hasPermission(session, 'settings.manage') && !session.readOnly;
  const status = useCall('host.status', {});
  const keys = useCall('keys.list', {}, { enabled: hasPermission(session, 'users.read') });
  const [name, setName] = useState('');
  const [dialog, setDialog] = useState<'enrol' | 'acknowledge' | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['host.status'] });
    void qc.invalidateQueries({ queryKey: ['keys.list'] });
    void qc.invalidateQueries({ queryKey: ['app.status'] });
    void qc.invalidateQueries({ queryKey: ['ledger.status'] });
  };
  const s = status.data;
  const conflict = s?.anchorConflict ?? null;

  return (
    <Stack>
      <ErrorAlert error={status.error ?? keys.error} />
      {s ? (
        <Paper withBorder p="md" data-testid="workstation-card">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4}>{t('trust.thisWorkstation')}</Title>
              <Badge
                color={s.enrolled ? 'green' : 'orange'}
                variant="light"
                tt="none"
                data-testid="workstation-enrolled"
              >
                {s.enrolled ? t('trust.enrolled') : t('trust.notEnrolled')}
              </Badge>
            </Group>
            <Text size="sm">
              {t('trust.host')}:{' '}
              <b>
                <code>{s.host}</code>
              </b>
            </Text>
            <Text size="sm">
              {t('trust.keyFingerprint')}:{' '}
              <Text span ff="monospace" size="sm" data-testid="workstation-fingerprint" title={s.fingerprint}>
                {s.fingerprint}
              </Text>
            </Text>
            {!s.enrolled ? (
              <Alert color="orange" variant="light" data-testid="workstation-not-enrolled">
                <Stack gap="xs">
                  <Text size="sm">{t('trust.enrolHelp')}</Text>
                  {canManage ? (
                    <Group align="flex-end">
                      <TextInput
                        label={t('trust.hostName')}
                        description={t('trust.hostNameHelp')}
                        placeholder={s.host.replace(/^[a-z]+@/, '')}
                        value={name}
                        onChange={(e) => setName(e.currentTarget.value)}
                        data-testid="workstation-name"
                      />
                      <Button onClick={() => setDialog('enrol')} data-testid="workstation-enrol">
                        {t('trust.enrol')}
                      </Button>
                    </Group>
                  ) : null}
                </Stack>
              </Alert>
            ) : null}
            {conflict ? (
              <Alert color="red" variant="light" title={t('trust.rollbackTitle')} data-testid="workstation-rollback">
                <Stack gap="xs">
                  <Text size="sm">
                    {t(
                      conflict.finding === 'anchor_behind'
                        ? 'errors.anchor_ahead_of_database'
                        : 'errors.anchor_differs_from_database',
                      {
                        anchorSeq: conflict.anchorSeq,
                        anchorAt: formatTime(conflict.anchorAt),
                        dbSeq: conflict.dbSeq,
                      },
                    )}
                  </Text>
                  <Text size="sm">{t('trust.rollbackChoice')}</Text>
                  {canManage ? (
                    <Group>
                      <Button
                        color="red"
                        variant="light"
                        onClick={() => setDialog('acknowledge')}
                        data-testid="workstation-acknowledge"
                      >
                        {t('trust.acknowledge')}
                      </Button>
                    </Group>
                  ) : null}
                </Stack>
              </Alert>
            ) : null}
          </Stack>
        </Paper>
      ) : null}

      {keys.data ? (
        <Paper withBorder p="md">
          <Stack gap="xs">
            <Title order={4}>{t('trust.keysOnRecord')}</Title>
            <Text size="sm" c="dimmed">
              {t('trust.keysHelp')}
            </Text>
            <Table striped data-testid="host-keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('trust.host')}</Table.Th>
                  <Table.Th>{t('trust.keyFingerprint')}</Table.Th>
                  <Table.Th>{t('trust.validFrom')}</Table.Th>
                  <Table.Th>{t('trust.enrolledBy')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.hosts.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>
                      <code>
                        {k.hostKind}@{k.host}
                      </code>
                    </Table.Td>
                    <Table.Td ff="monospace" title={k.fingerprint}>
                      <code>{shortFingerprint(k.fingerprint)}</code>
                    </Table.Td>
                    <Table.Td>{formatTime(k.validFrom)}</Table.Td>
                    <Table.Td>{k.enrolledBy ?? t('trust.atCreation')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Table striped data-testid="personal-keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.userId')}</Table.Th>
                  <Table.Th>{t('trust.keyFingerprint')}</Table.Th>
                  <Table.Th>{t('trust.validFrom')}</Table.Th>
                  <Table.Th>{t('trust.enrolment')}</Table.Th>
                  <Table.Th>{t('trust.retired')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.personal.map((k) => (
                  <Table.Tr key={k.id} data-testid={`personal-key-${k.id}`}>
                    <Table.Td>{k.userId}</Table.Td>
                    <Table.Td ff="monospace" title={k.fingerprint}>
                      <code>{shortFingerprint(k.fingerprint)}</code>
                    </Table.Td>
                    <Table.Td>{formatTime(k.validFrom)}</Table.Td>
                    <Table.Td>{t(`trust.enrolment_${k.enrolment}`)}</Table.Td>
                    <Table.Td>
                      {k.validTo ? `${formatTime(k.validTo)}${k.retiredReason ? ` — ${k.retiredReason}` : ''}` : '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        </Paper>
      ) : null}

      <SignatureDialog
        opened={dialog === 'enrol'}
        onClose={() => setDialog(null)}
        meanings={['enrolled']}
        summary={
          <Text size="sm">
            {t('trust.enrolSummary', {
              host: name.trim() || (s?.host.replace(/^[a-z]+@/, '') ?? ''),
              fingerprint: s ? shortFingerprint(s.fingerprint) : '',
            })}
          </Text>
        }
        onSign={async (v) => {
          await call('host.enrol', {
            ...(name.trim() ? { name: name.trim() } : {}),
            signature: { password: v.password, meaning: v.meaning },
          });
          notifications.show({ color: 'green', message: t('trust.enrolDone') });
          refresh();
        }}
      />
      <SignatureDialog
        opened={dialog === 'acknowledge'}
        onClose={() => setDialog(null)}
        meanings={['acknowledged']}
        commentRequired
        commentLabel={t('trust.acknowledgeReason')}
        commentDescription={t('trust.acknowledgeReasonHelp')}
        summary={
          conflict ? (
            <Text size="sm">
              {t('trust.acknowledgeSummary', { anchorSeq: conflict.anchorSeq, dbSeq: conflict.dbSeq })}
            </Text>
          ) : null
        }
        onSign={async (v) => {
          await call('host.acknowledgeRollback', {
            reason: v.comment ?? '',
            signature: { password: v.password, meaning: v.meaning },
          });
          notifications.show({ color: 'green', message: t('trust.acknowledgeDone') });
          refresh();
        }}
      />
    </Stack>
  );
}
