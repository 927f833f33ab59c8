import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LangSwitch } from './lang-switch';

/** The frame of the screens shown before the shell: setup, sign-in, lock, forced password change. */
export function CenteredCard({ title, children, width = 440 }: { title: string; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-1)">
      <Group justify="space-between" p="md">
        <Stack gap={0}>
          <Text fw={700} size="lg">
            {t('product.name')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('product.tagline')}
          </Text>
        </Stack>
        <LangSwitch size="sm" />
      </Group>
      <Center pt="xl" pb="xl">
        <Paper withBorder shadow="sm" radius="md" p="xl" w={width} maw="94vw">
          <Title order={2} mb="md">
            {title}
          </Title>
          {children}
        </Paper>
      </Center>
    </Box>
  );
}
