import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { num } from '../../ui/format';
import { testingSampleHref } from '../../ui/result';

/** On a sample's page: how far its testing is, and the way into its entry grid. */
export function SampleTestsPanel({ code }: { code: string }) {
  const { t } = useTranslation();
  const q = useCall('results.forSample', { sampleCode: code }, { staleTime: 0, retry: false });
  const s = q.data?.summary;
  return (
    <Paper withBorder p="sm" data-testid="sample-tests">
      <Group justify="space-between" align="center">
        <Stack gap={2}>
          <Title order={5}>{t('samples.page.testsTitle')}</Title>
          <Text size="sm" c="dimmed" style={num} ta="left" data-testid="sample-tests-summary">
            {!s
              ? t('common.loading')
              : s.total === 0
                ? t('testing.samplePanel.none')
                : t('testing.samplePanel.summary', {
                    total: s.total,
                    pending: s.pending,
                    entered: s.entered,
                    submitted: s.submitted,
                    reviewed: s.reviewed,
                    failed: s.failed,
                  })}
          </Text>
        </Stack>
        <Button component="a" href={testingSampleHref(code)} data-testid="sample-enter-results">
          {t('testing.samplePanel.enter')}
        </Button>
      </Group>
    </Paper>
  );
}
