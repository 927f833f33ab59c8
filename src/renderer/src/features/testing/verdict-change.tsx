import { Badge, List, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { formatTime } from '../../ui/format';
import { useReportedText } from './reported';
import { refusalReasonPrompt } from './refusal-reason';

/**
 * No quiet testing into compliance (issue 19 §4). A save that turns a saved failing verdict
 * into another one is refused by the server (errors.verdict_change_reason) until it carries a
 * reason. Result entry awaits `verdictChangeReason(error)`: for that refusal it asks the
 * person (the dialog of <VerdictChangeReasonHost/>) and resolves with the reason, or null
 * when they cancel or the error is another one.
 */
const verdictChange = refusalReasonPrompt({
  messageKey: 'errors.verdict_change_reason',
  detailsOf: (d) => ({ key: String(d['items'] ?? ''), items: String(d['items'] ?? '') }),
  testId: 'verdict-change',
  title: 'verdictChange.title',
  confirm: 'verdictChange.confirm',
  help: (t, a) => t('verdictChange.help', { items: a.items }),
});

export const verdictChangeReason = verdictChange.ask;
export const VerdictChangeReasonHost = verdictChange.Host;

/** The changes of a result's failing verdict, one line each (review screen, result drawer). */
export function VerdictChangeList({ changes }: { changes: ResultView['verdictChanges'] }) {
  const { t } = useTranslation();
  const reported = useReportedText();
  return (
    <List size="xs" spacing={0}>
      {changes.map((c) => (
        <List.Item key={c.id}>
          {t('verdictChange.line', {
            from: t(`resultReview.verdicts.${c.fromVerdict}`, { defaultValue: c.fromVerdict }),
            to: t(`resultReview.verdicts.${c.toVerdict ?? 'none'}`, { defaultValue: c.toVerdict ?? '—' }),
            fromReported: reported(c.fromReported),
            toReported: reported(c.toReported),
            by: c.changedBy,
            at: formatTime(c.changedAt),
            reason: c.reason,
          })}{' '}
          <Text span size="xs" c="dimmed">
            ({t(`verdictChange.via.${c.via}`)})
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

/** The flag a reviewer sees on a result whose failing verdict was changed. */
export function VerdictChangeFlag({ result, testId }: { result: ResultView; testId?: string }) {
  const { t } = useTranslation();
  if (result.verdictChanges.length === 0) return null;
  return (
    <Tooltip label={<VerdictChangeList changes={result.verdictChanges} />} withArrow multiline maw={420}>
      <Badge color="red" variant="filled" tt="none" size="sm" data-testid={testId ?? 'verdict-changed'}>
        {t('verdictChange.flagShort')} × {result.verdictChanges.length}
      </Badge>
    </Tooltip>
  );
}
