import { useState, useSyncExternalStore } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../core/api/client';
import { validateReason } from '../../ui/validators';

/**
 * Typing over a value captured from an instrument needs a reason (issue 10 §5; the server
 * refuses with errors.capture_typed_over_reason, and review sees the reason). Result entry
 * awaits `typedOverReason(error)`: for that refusal it asks the person (the dialog rendered
 * by <TypedOverReasonHost/>) and resolves with the reason, or null when they cancel or the
 * error is another one.
 */
interface Ask {
  item: string;
  replicate: string;
  captured: string;
  resolve: (reason: string | null) => void;
}

let pending: Ask | null = null;
const listeners = new Set<() => void>();
const publish = () => listeners.forEach((l) => l());

export function isTypedOverRefusal(e: unknown): e is ApiError {
  return e instanceof ApiError && e.error.messageKey === 'errors.capture_typed_over_reason';
}

export function typedOverReason(e: unknown): Promise<string | null> {
  if (!isTypedOverRefusal(e) || listeners.size === 0) return Promise.resolve(null);
  const d = e.error.details ?? {};
  pending?.resolve(null);
  return new Promise((resolve) => {
    pending = {
      item: String(d['item'] ?? ''),
      replicate: String(d['replicate'] ?? ''),
      captured: String(d['captured'] ?? ''),
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
export function TypedOverReasonHost() {
  const ask = useSyncExternalStore(subscribe, () => pending);
  const { t } = useTranslation();
  return (
    <Modal
      opened={ask !== null}
      onClose={() => ask?.resolve(null)}
      title={t('instruments.typedOver.title')}
      size="md"
      data-testid="typed-over-dialog"
    >
      {ask ? <ReasonForm key={`${ask.item}-${ask.replicate}`} ask={ask} /> : null}
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
        <Text size="sm">
          {t('instruments.typedOver.help', { item: ask.item, replicate: ask.replicate, captured: ask.captured })}
        </Text>
        <Textarea
          label={t('common.reason')}
          autosize
          minRows={2}
          withAsterisk
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error}
          data-testid="typed-over-reason"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => ask.resolve(null)} data-testid="typed-over-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="orange" data-testid="typed-over-submit">
            {t('instruments.typedOver.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
