import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { href } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { LotLink } from '../../../ui/lot';
import { SampleLink } from '../../../ui/sample';
import { reviewHref } from './result-format';
import { TestingTabs } from './testing-tabs';
import { People } from '../../../ui/person';

/** `#/review`: samples whose results were submitted and wait for a second person. */
export function ReviewQueuePage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const canReview = hasPermission(session, 'results.review') && !session.readOnly;
  const queue = useCall('results.reviewQueue', { limit: 500 }, { staleTime: 0 });
  const zh = i18n.language.startsWith('zh');
  const rows = queue.data?.samples ?? [];
  const mine = rows.filter((r) => r.mine).length;

  return (
    <Stack data-testid="review-queue">
      <TestingTabs active="review" />
      <div>
        <Title order={2}>{t('resultReview.queue.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('resultReview.queue.intro')}
        </Text>
      </div>
      {!canReview ? (
        <Alert color="blue" variant="light" data-testid="review-readonly">
          {t('resultReview.queue.readOnly')}
        </Alert>
      ) : null}
      <ErrorAlert error={queue.error} />
      {queue.isLoading ? <Loader /> : null}
      {queue.data ? (
        <Paper withBorder p="sm">
          <Group justify="space-between" mb="xs">
            <Text size="sm" fw={600} data-testid="review-queue-count">
              {rows.length === 0
                ? t('resultReview.queue.empty')
                : t('resultReview.queue.count', { count: queue.data.total })}
            </Text>
            {mine > 0 ? (
              <Text size="sm" c="dimmed">
                {t('resultReview.queue.mineCount', { count: mine })}
              </Text>
            ) : null}
          </Group>
          {rows.length > 0 ? (
            <Table striped highlightOnHover withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('resultReview.queue.sample')}</Table.Th>
                  <Table.Th>{t('resultReview.queue.kind')}</Table.Th>
                  <Table.Th>{t('resultReview.queue.lot')}</Table.Th>
                  <Table.Th>{t('resultReview.queue.product')}</Table.Th>
                  <Table.Th ta="right">{t('resultReview.queue.submitted')}</Table.Th>
                  <Table.Th>{t('resultReview.queue.analysts')}</Table.Th>
                  <Table.Th>{t('resultReview.queue.submittedAt')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.sampleCode} data-testid={`review-row-${r.sampleCode}`} data-mine={r.mine}>
                    <Table.Td>
                      <SampleLink code={r.sampleCode} />
                    </Table.Td>
                    <Table.Td>{t(`samples.kinds.${r.kind}`, { defaultValue: r.kind })}</Table.Td>
                    <Table.Td>{r.lotCode ? <LotLink code={r.lotCode} /> : '—'}</Table.Td>
                    <Table.Td>{r.itemName ? (zh ? r.itemName.zh : r.itemName.en) : '—'}</Table.Td>
                    <Table.Td ta="right">
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Text size="sm">{r.submitted}</Text>
                        {r.failed > 0 ? (
                          <Badge color="red" variant="filled" tt="none" size="sm" data-testid="review-row-failed">
                            {t('resultReview.queue.failed', { count: r.failed })}
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <People ids={r.analysts} />
                    </Table.Td>
                    <Table.Td>{formatTime(r.submittedAt)}</Table.Td>
                    <Table.Td>
                      {r.mine ? (
                        <Tooltip label={t('resultReview.queue.mineHelp')} multiline maw={300} withArrow>
                          <Group gap="xs" wrap="nowrap">
                            <Badge color="gray" variant="outline" tt="none" data-testid="review-mine">
                              {t('resultReview.queue.mine')}
                            </Badge>
                            <Button size="xs" disabled data-testid={`review-open-${r.sampleCode}`}>
                              {t('resultReview.queue.open')}
                            </Button>
                          </Group>
                        </Tooltip>
                      ) : (
                        <Button
                          size="xs"
                          component="a"
                          href={reviewHref(r.sampleCode)}
                          variant={canReview ? 'filled' : 'light'}
                          data-testid={`review-open-${r.sampleCode}`}
                        >
                          {canReview ? t('resultReview.queue.open') : t('resultReview.queue.view')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Paper>
      ) : null}
      <Text size="xs" c="dimmed">
        {t('resultReview.queue.twoPeople')}{' '}
        <Anchor href={href('/oos')} size="xs">
          {t('resultReview.queue.oosLink')}
        </Anchor>
      </Text>
    </Stack>
  );
}
