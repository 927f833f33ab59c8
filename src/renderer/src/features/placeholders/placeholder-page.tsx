import { Badge, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type PlaceholderKey = 'samples' | 'testing' | 'lots' | 'trace' | 'instruments' | 'specifications';

/** A capability that is not built yet: say what will be here and who uses it, never a blank page. */
export function PlaceholderPage({ which }: { which: PlaceholderKey }) {
  const { t } = useTranslation();
  return (
    <Stack maw={720} data-testid={`placeholder-${which}`}>
      <Title order={2}>{t(`nav.${which}`)}</Title>
      <Paper withBorder p="lg">
        <Stack gap="sm">
          <Badge variant="light" color="gray" w="fit-content">
            {t('placeholders.title')}
          </Badge>
          <Text>{t(`placeholders.${which}`)}</Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
