import { useState } from 'react';
import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../shared/contract';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime, shortFingerprint } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { ReasonModal } from '../../ui/reason-modal';
import { UserFormModal } from './user-form-modal';

type Action = { kind: 'deactivate' | 'unlock' | 'reset'; user: UserView };

const statusColor = { active: 'green', locked: 'red', deactivated: 'gray' } as const;
const statusKey = {
  active: 'users.statusActive',
  locked: 'users.statusLocked',
  deactivated: 'users.statusDeactivated',
} as const;

export function AccountsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const canManage = hasPermission(session, 'users.manage') && !session.readOnly;
  const users = useCall('users.list', {});
  const [form, setForm] = useState<{ user: UserView | null } | null>(null);
  const [action, setAction] = useState<Action | null>(null);

  const refresh = () => void qc.invalidateQueries({ queryKey: ['users.list'] });

  const confirm = async ({
    reason,
    newPassword,
    password,
  }: {
    reason: string;
    newPassword: string;
    password: string;
  }) => {
    if (!action) return;
    const { userId } = action.user;
    if (action.kind === 'deactivate') await call('users.deactivate', { userId, reason });
    else if (action.kind === 'unlock') await call('users.unlock', { userId, reason });
    else
      await call('users.resetPassword', { userId, reason, newPassword, signature: { password, meaning: 'enrolled' } });
    notifications.show({ color: 'green', message: t('users.updated', { userId }) });
    refresh();
  };

  return (
    <Stack>
      {canManage ? (
        <Group>
          <Button onClick={() => setForm({ user: null })} data-testid="users-create">
            {t('users.create')}
          </Button>
        </Group>
      ) : null}
      <ErrorAlert error={users.error} />
      <DataTable<UserView>
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={160}
        fetching={users.isFetching}
        idAccessor="userId"
        records={users.data ?? []}
        noRecordsText={t('users.empty')}
        customRowAttributes={(u) => ({ 'data-testid': `user-row-${u.userId}` })}
        columns={[
          {
            accessor: 'userId',
            title: t('common.userId'),
            render: (u) => (
              <a href={href('/audit', { entity: 'user', id: u.userId })} title={t('audit.history')}>
                {u.userId}
              </a>
            ),
          },
          { accessor: 'printedName', title: t('common.printedName') },
          {
            accessor: 'roles',
            title: t('common.roles'),
            render: (u) => (
              <Group gap={4}>
                {u.roles.map((r) => (
                  <Badge key={r} variant="light" size="sm" tt="none">
                    {t(`roles.${r}`)}
                  </Badge>
                ))}
              </Group>
            ),
          },
          {
            accessor: 'status',
            title: t('common.status'),
            render: (u) => (
              <Stack gap={2}>
                <Badge color={statusColor[u.status]} variant="light" tt="none" data-testid={`user-status-${u.userId}`}>
                  {t(statusKey[u.status])}
                </Badge>
                {u.mustChangePassword ? (
                  <Text size="xs" c="dimmed">
                    {t('users.mustChange')}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
          {
            accessor: 'keyFingerprint',
            title: t('trust.personalKey'),
            render: (u) =>
              u.keyFingerprint ? (
                <Text size="xs" ff="monospace" title={u.keyFingerprint} data-testid={`user-key-${u.userId}`}>
                  <code>{shortFingerprint(u.keyFingerprint)}</code>
                </Text>
              ) : (
                <Text size="xs" c="dimmed">
                  {t('trust.noKeyYet')}
                </Text>
              ),
          },
          {
            accessor: 'lastSignInAt',
            title: t('users.lastSignIn'),
            render: (u) => (u.lastSignInAt ? formatTime(u.lastSignInAt) : t('common.never')),
          },
          ...(canManage
            ? [
                {
                  accessor: 'actions',
                  title: t('common.actions'),
                  render: (u: UserView) => (
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => setForm({ user: u })}
                        data-testid={`user-edit-${u.userId}`}
                      >
                        {t('users.edit')}
                      </Button>
                      {u.status === 'locked' ? (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="orange"
                          onClick={() => setAction({ kind: 'unlock', user: u })}
                          data-testid={`user-unlock-${u.userId}`}
                        >
                          {t('users.unlock')}
                        </Button>
                      ) : null}
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => setAction({ kind: 'reset', user: u })}
                        data-testid={`user-reset-${u.userId}`}
                      >
                        {t('users.resetPassword')}
                      </Button>
                      {u.status !== 'deactivated' ? (
                        <Button
                          size="compact-xs"
                          variant="light"
                          color="red"
                          onClick={() => setAction({ kind: 'deactivate', user: u })}
                          data-testid={`user-deactivate-${u.userId}`}
                        >
                          {t('users.deactivate')}
                        </Button>
                      ) : null}
                    </Group>
                  ),
                },
              ]
            : []),
        ]}
      />
      <UserFormModal opened={form !== null} user={form?.user ?? null} onClose={() => setForm(null)} />
      <ReasonModal
        opened={action !== null}
        onClose={() => setAction(null)}
        title={
          action
            ? t(
                action.kind === 'deactivate'
                  ? 'users.deactivateTitle'
                  : action.kind === 'unlock'
                    ? 'users.unlockTitle'
                    : 'users.resetTitle',
                {
                  userId: action.user.userId,
                },
              )
            : ''
        }
        help={
          action
            ? t(
                action.kind === 'deactivate'
                  ? 'users.deactivateHelp'
                  : action.kind === 'unlock'
                    ? 'users.unlockHelp'
                    : 'users.resetHelp',
              )
            : ''
        }
        confirmLabel={
          action
            ? t(
                action.kind === 'deactivate'
                  ? 'users.deactivate'
                  : action.kind === 'unlock'
                    ? 'users.unlock'
                    : 'users.resetPassword',
              )
            : ''
        }
        color={action?.kind === 'deactivate' ? 'red' : undefined}
        {...(action?.kind === 'reset' ? { newPasswordFor: action.user.userId, signed: true } : {})}
        onConfirm={confirm}
      />
    </Stack>
  );
}
