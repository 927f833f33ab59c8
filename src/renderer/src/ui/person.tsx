import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { SYSTEM_ACTOR } from '../../../shared/domain/roles';
import { useCall } from '../core/api/hooks';

/**
 * People are named as they sign (issue 22): the printed name, never the user id, wherever a
 * screen says who entered, submitted, reviewed, added or decided something. The names come
 * from `users.names` (every account, deactivated ones too), fetched once per session; an id
 * the directory does not know (a record from another database) shows as it is.
 */
export function usePersonName(): (userId: string | null | undefined) => string {
  const { t } = useTranslation();
  const names = useCall('users.names', {}, { staleTime: 5 * 60_000 });
  const byId = useMemo(() => new Map((names.data ?? []).map((u) => [u.userId, u.printedName])), [names.data]);
  return useCallback(
    (userId: string | null | undefined) =>
      !userId ? '—' : userId === SYSTEM_ACTOR ? t('people.system') : (byId.get(userId) ?? userId),
    [byId, t],
  );
}

/** One person's printed name; the user id stays available on hover for those who need it. */
export function Person({ id, testId }: { id: string | null | undefined; testId?: string }) {
  const name = usePersonName();
  return (
    <span title={id ?? undefined} data-testid={testId} data-user-id={id ?? undefined}>
      {name(id)}
    </span>
  );
}

/** Several people, comma-separated, by printed name. */
export function People({ ids, testId }: { ids: readonly string[]; testId?: string }) {
  const name = usePersonName();
  const { t } = useTranslation();
  return (
    <span title={ids.join(', ')} data-testid={testId}>
      {ids.map((id) => name(id)).join(t('people.separator'))}
    </span>
  );
}
