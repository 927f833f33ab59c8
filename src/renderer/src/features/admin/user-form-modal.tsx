import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../../../shared/contract';
import type { Role } from '../../../../shared/domain/roles';
import { fieldErrors } from '../../core/api/errors';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { validateNewPassword, validateReason, validateRequired, validateUserId } from '../../ui/validators';
import { RolePicker } from './role-picker';
import { EnrolmentSignature } from '../../ui/enrolment-signature';

/** Create a user (no `user`) or edit printed name and roles (with a reason). */
export function UserFormModal({
  opened,
  onClose,
  user,
}: {
  opened: boolean;
  onClose: () => void;
  user: UserView | null;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={user ? t('users.editTitle', { userId: user.userId }) : t('users.createTitle')}
    >
      {opened ? <UserForm user={user} onClose={onClose} /> : null}
    </Modal>
  );
}

function UserForm({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const create = useMutationCall('users.create');
  const update = useMutationCall('users.update');
  const form = useForm({
    initialValues: {
      userId: user?.userId ?? '',
      printedName: user?.printedName ?? '',
      roles: (user?.roles ?? []) as Role[],
      password: '',
      reason: '',
      adminPassword: '',
    },
    validate: {
      userId: (v) => (user ? null : validateUserId(t, v)),
      printedName: (v) => validateRequired(t, v),
      roles: (v) => (v.length > 0 ? null : t('validation.rolesRequired')),
      password: (v, values) => (user ? null : validateNewPassword(t, v, values.userId)),
      reason: (v) => (user ? validateReason(t, v) : null),
      adminPassword: (v) => (v ? null : t('validation.required')),
    },
  });
  const mutation = user ? update : create;

  const done = (u: UserView, key: string) => {
    notifications.show({ color: 'green', message: t(key, { userId: u.userId }) });
    void qc.invalidateQueries({ queryKey: ['users.list'] });
    onClose();
  };

  const submit = form.onSubmit((v) => {
    const onError = (e: unknown) => {
      form.setFieldValue('adminPassword', '');
      form.setErrors(fieldErrors(t, e));
    };
    // The administrator's signature: identity verified and enrolled (21 CFR 11.100(b)).
    const signature = { password: v.adminPassword, meaning: 'enrolled' as const };
    if (user) {
      update.mutate(
        { userId: user.userId, printedName: v.printedName.trim(), roles: v.roles, reason: v.reason.trim(), signature },
        { onSuccess: (u) => done(u, 'users.updated'), onError },
      );
    } else {
      create.mutate(
        { userId: v.userId.trim(), printedName: v.printedName.trim(), roles: v.roles, password: v.password, signature },
        { onSuccess: (u) => done(u, 'users.created'), onError },
      );
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {user ? (
          <Text size="sm">
            {t('common.userId')}: <b>{user.userId}</b>
          </Text>
        ) : (
          <TextInput
            label={t('common.userId')}
            description={t('setup.userIdHelp')}
            autoComplete="off"
            data-testid="user-form-id"
            withAsterisk
            {...form.getInputProps('userId')}
          />
        )}
        <TextInput
          label={t('common.printedName')}
          description={t('setup.printedNameHelp')}
          data-testid="user-form-name"
          withAsterisk
          {...form.getInputProps('printedName')}
        />
        <RolePicker
          value={form.values.roles}
          onChange={(v) => form.setFieldValue('roles', v)}
          error={form.errors.roles as string | undefined}
        />
        {user ? (
          <Textarea
            label={t('common.reason')}
            description={t('common.reasonHelp')}
            autosize
            minRows={2}
            data-testid="user-form-reason"
            withAsterisk
            {...form.getInputProps('reason')}
          />
        ) : (
          <PasswordInput
            label={t('users.initialPassword')}
            description={`${t('users.initialPasswordHelp')} ${t('setup.policy')}`}
            autoComplete="new-password"
            data-testid="user-form-password"
            withAsterisk
            {...form.getInputProps('password')}
          />
        )}
        <EnrolmentSignature
          value={form.values.adminPassword}
          onChange={(v) => form.setFieldValue('adminPassword', String(v))}
          error={form.errors.adminPassword}
        />
        <ErrorAlert error={mutation.error} testId="user-form-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={mutation.isPending} data-testid="user-form-submit">
            {user ? t('common.save') : t('users.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
