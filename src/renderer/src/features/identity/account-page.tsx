import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../core/session';
import { formatTime } from '../../ui/format';
import { ChangePasswordForm } from './change-password-form';

export function AccountPage() {
  const { t } = useTranslation();
  const s = useSession();
  return (
    <Stack maw={720}>
      <Title order={2}>{t('account.title')}</Title>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label={t('common.printedName')} value={s.printedName} testId="account-name" />
          <Field label={t('common.userId')} value={s.userId} />
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('common.roles')}
            </Text>
            <Group gap={4}>
              {s.roles.map((r) => (
                <Badge key={r} variant="light">
                  {t(`roles.${r}`)}
                </Badge>
              ))}
            </Group>
          </Stack>
          <Field
            label={t('account.expires')}
            value={s.passwordExpiresAt ? formatTime(s.passwordExpiresAt) : t('account.noExpiry')}
            testId="account-expiry"
          />
          <Field label={t('account.signedInAt')} value={formatTime(s.signedInAt)} />
          <Text size="sm" c="dimmed">
            {t('account.idleTimeout', { minutes: Math.round(s.idleTimeoutMs / 60000) })}
          </Text>
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md">
        <Title order={4} mb="sm">
          {t('account.changePassword')}
        </Title>
        <ChangePasswordForm userId={s.userId} />
      </Paper>
    </Stack>
  );
}

function Field({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text data-testid={testId}>{value}</Text>
    </Stack>
  );
}
