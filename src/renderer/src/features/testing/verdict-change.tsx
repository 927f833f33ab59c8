import { useState, useSyncExternalStore } from 'react';
import { Badge, Button, Group, List, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { ApiError } from '../../core/api/client';
import { formatTime } from '../../ui/format';
import { validateReason } from '../../ui/validators';
import { useReportedText } from './reported';

/**
 * No quiet testing into compliance (issue 19 §4). A save that turns a saved failing verdict
 * into another one is refused by the server (errors.verdict_change_reason) until it carries a
 * reason. Result entry awaits `verdictChangeReason(error)`: for that refusal it asks the
 * person (the dialog of <VerdictChangeReasonHost/>) and resolves with the reason, or null
 * when they cancel or the error is another one.
 */
interface Ask {
  items: string;
  resolve: (reason: string | null) => void;
}

let pending: Ask | null = null;
const listeners = new Set<() => void>();
const publish = () => listeners.forEach((l) => l());

export function isVerdictChangeRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && e.error.messageKey === 'errors.verdict_change_reason';
}

export function verdictChangeReason(e: unknown): Promise<string | null> {
  if (!isVerdictChangeRefusal(e) || listeners.size === 0) return Promise.resolve(null);
  const d = e.error.details ?? {};
  pending?.resolve(null);
  return new Promise((resolve) => {
    pending = {
      items: String(d['items'] ?? ''),
      resolve: (r) => {
        pending = null;
        publish();
        resolve(r);
      },
    };
    publish();
  });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
    if (listeners.size === 0) pending?.resolve(null);
  };
}

/** Mount once where results are entered. */
export function VerdictChangeReasonHost() {
  const ask = useSyncExternalStore(subscribe, () => pending);
  const { t } = useTranslation();
  return (
    <Modal
      opened={ask !== null}
      onClose={() => ask?.resolve(null)}
      title={t('verdictChange.title')}
      size="md"
      data-testid="verdict-change-dialog"
    >
      {ask ? <ReasonForm key={ask.items} ask={ask} /> : null}
    </Modal>
  );
}

function ReasonForm({ ask }: { ask: Ask }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const error = touched ? validateReason(t, reason) : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (validateReason(t, reason)) return;
        ask.resolve(reason.trim());
      }}
    >
      <Stack>
        <Text size="sm">{t('verdictChange.help', { items: ask.items })}</Text>
        <Textarea
          label={t('common.reason')}
          autosize
          minRows={2}
          withAsterisk
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-testid="verdict-change-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => ask.resolve(null)} data-testid="verdict-change-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="orange" data-testid="verdict-change-submit">
            {t('verdictChange.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

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
