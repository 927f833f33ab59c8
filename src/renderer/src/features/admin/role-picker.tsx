import { Alert, Checkbox, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { roles, rolesConflict, type Role } from '../../../../shared/domain/roles';

/** Roles as labelled checkboxes with what each may do; warns live on segregation of duties. */
export function RolePicker({
  value,
  onChange,
  error,
}: {
  value: Role[];
  onChange: (v: Role[]) => void;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const conflict = rolesConflict(value);
  return (
    <Stack gap="xs">
      <Checkbox.Group
        label={t('common.roles')}
        value={value}
        onChange={(v) => onChange(v as Role[])}
        error={error}
        withAsterisk
      >
        <SimpleGrid cols={2} mt="xs" spacing="xs">
          {roles.map((r) => (
            <Checkbox
              key={r}
              value={r}
              data-testid={`role-${r}`}
              label={t(`roles.${r}`)}
              description={
                <Text size="xs" c="dimmed">
                  {t(`roleHelp.${r}`)}
                </Text>
              }
            />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      {conflict ? (
        <Alert color="red" variant="light" data-testid="roles-conflict">
          {t('users.rolesConflict')}
        </Alert>
      ) : null}
    </Stack>
  );
}
