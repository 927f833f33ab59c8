import { Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditSummaryView } from '../../../../shared/contract/channels/disposition';
import { exceptionKinds } from '../../../../shared/rules/audit-exceptions';
import { exceptionSentence } from './audit-words';

/**
 * The summary of exceptions a reviewer reads first (issue 22 §5): the counts per kind, then
 * each exception as a sentence with who, when and what (lot, sample, item), oldest first.
 */
export function AuditSummaryBlock({ summary }: { summary: AuditSummaryView }) {
  const { t, i18n } = useTranslation();
  const total = summary.exceptions.length;
  return (
    <Stack gap="xs" data-testid="audit-summary" data-hash={summary.hash} data-exceptions={total}>
      <Title order={5}>{t('auditWords.summaryTitle')}</Title>
      <Text size="sm" data-testid="audit-summary-line">
        {total === 0
          ? t('auditWords.noExceptions', { count: summary.entries })
          : t('auditWords.someExceptions', { count: summary.entries, exceptions: total })}
      </Text>
      <Group gap={6}>
        {exceptionKinds.map((k) => (
          <Badge
            key={k}
            tt="none"
            color={summary.counts[k] ? 'orange' : 'gray'}
            variant={summary.counts[k] ? 'filled' : 'light'}
            data-testid={`audit-count-${k}`}
            data-count={summary.counts[k] ?? 0}
          >
            {t(`auditWords.kinds.${k}`)} {summary.counts[k] ?? 0}
          </Badge>
        ))}
      </Group>
      {total > 0 ? (
        <Stack gap={6}>
          {exceptionKinds
            .filter((k) => summary.counts[k])
            .map((k) => (
              <Stack key={k} gap={2} data-testid={`audit-exceptions-${k}`}>
                <Text size="sm" fw={700}>
                  {t(`auditWords.kinds.${k}`)}
                </Text>
                <List size="sm" spacing={2}>
                  {summary.exceptions
                    .filter((e) => e.kind === k)
                    .map((e) => (
                      <List.Item key={`${e.seq}-${e.kind}`} data-testid={`audit-exception-${e.seq}`}>
                        {exceptionSentence(t, i18n.language, e)}
                      </List.Item>
                    ))}
                </List>
              </Stack>
            ))}
        </Stack>
      ) : null}
    </Stack>
  );
}
