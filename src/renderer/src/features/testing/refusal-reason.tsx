import { useSyncExternalStore, type ComponentType } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../core/api/client';
import { ReasonModal } from '../../ui/reason-modal';

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
 * save is sent again with it. The dialog is the kit's ReasonModal; one store per refusal;
 * `testId` prefixes the dialog's test ids (`<testId>-dialog`, `-reason`, `-cancel`, `-submit`).
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
      // Answering twice (a confirm, then the dialog closing) clears only its own question.
      const entry: Ask = {
        ...o.detailsOf(e.error.details ?? {}),
        resolve: (r) => {
          if (pending === entry) {
            pending = null;
            publish();
          }
          resolve(r);
        },
      };
      pending = entry;
      publish();
    });
  };

  function Host() {
    const current = useSyncExternalStore(subscribe, () => pending);
    const { t } = useTranslation();
    return (
      <ReasonModal
        key={current?.key}
        opened={current !== null}
        title={t(o.title)}
        help={current ? o.help(t, current) : ''}
        confirmLabel={t(o.confirm)}
        color="orange"
        testId={o.testId}
        onClose={() => current?.resolve(null)}
        onConfirm={({ reason }) => {
          current?.resolve(reason);
          return Promise.resolve();
        }}
      />
    );
  }

  return { is, ask, Host };
}
