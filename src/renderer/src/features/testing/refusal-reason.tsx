import { useState, useSyncExternalStore, type ComponentType } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../core/api/client';
import { validateReason } from '../../ui/validators';

export interface RefusalReasonPrompt {
  /** Whether the error is this refusal. */
  is(e: unknown): e is ApiError;
  /**
   * For this refusal, asks the person (the dialog of `Host`) and resolves with the reason, or
   * null when they cancel, no host is mounted, or the error is another one.
   */
  ask(e: unknown): Promise<string | null>;
  /** Mount once where results are entered. */
  Host: ComponentType;
}

/**
 * A save the server refuses until it carries a reason (typing over a captured value, changing a
 * failing verdict…): result entry awaits `ask(error)`, a dialog asks for the reason, and the
 * save is sent again with it. One dialog, one store per refusal; `testId` prefixes the
 * dialog's test ids (`<testId>-dialog`, `-reason`, `-cancel`, `-submit`).
 */
export function refusalReasonPrompt<A extends { key: string }>(o: {
  messageKey: string;
  detailsOf: (details: Record<string, unknown>) => A;
  testId: string;
  title: string;
  confirm: string;
  help: (t: TFunction, ask: A) => string;
}): RefusalReasonPrompt {
  type Ask = A & { resolve: (reason: string | null) => void };
  let pending: Ask | null = null;
  const listeners = new Set<() => void>();
  const publish = () => listeners.forEach((l) => l());
  const is = (e: unknown): e is ApiError => e instanceof ApiError && e.error.messageKey === o.messageKey;
  const subscribe = (l: () => void): (() => void) => {
    listeners.add(l);
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) pending?.resolve(null);
    };
  };

  const ask = (e: unknown): Promise<string | null> => {
    if (!is(e) || listeners.size === 0) return Promise.resolve(null);
    pending?.resolve(null);
    return new Promise((resolve) => {
      pending = {
        ...o.detailsOf(e.error.details ?? {}),
        resolve: (r) => {
          pending = null;
          publish();
          resolve(r);
        },
      };
      publish();
    });
  };

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
          <Text size="sm">{o.help(t, ask)}</Text>
          <Textarea
            label={t('common.reason')}
            autosize
            minRows={2}
            withAsterisk
            data-autofocus
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={error}
            data-testid={`${o.testId}-reason`}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => ask.resolve(null)} data-testid={`${o.testId}-cancel`}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="orange" data-testid={`${o.testId}-submit`}>
              {t(o.confirm)}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  function Host() {
    const current = useSyncExternalStore(subscribe, () => pending);
    const { t } = useTranslation();
    return (
      <Modal
        opened={current !== null}
        onClose={() => current?.resolve(null)}
        title={t(o.title)}
        size="md"
        data-testid={`${o.testId}-dialog`}
      >
        {current ? <ReasonForm key={current.key} ask={current} /> : null}
      </Modal>
    );
  }

  return { is, ask, Host };
}
