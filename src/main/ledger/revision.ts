import { AppErrorException, appError } from '../../shared/contract/errors';
import { revisionConflict } from '../../shared/rules/revision';
import type { Db } from '../db/database';

/**
 * Optimistic concurrency at the write path (issue 23 §5, D-097). A write that changes a record
 * another person may be changing carries the revision its screen showed; inside the write
 * transaction (where the guard acts, Trust II) the record's revision now is compared with it. If
 * they differ, the write is refused with `conflict` / `errors.record_changed`, naming who changed
 * the record and when (its last audit entry) and its revision now, so the screen can say so and
 * show the record as it stands; nothing of the stale write is written.
 */
export interface RevisionSource {
  readonly db: Db;
  readonly timeZone: string;
}

type LastChange = { seq: number; at: number; actor_name: string };
const lastChange = new WeakMap<Db, { get(entity: string, id: string): LastChange | undefined }>();

/** The typed error of a record that changed since `expected` (its revision now: `rev`). */
export function recordChanged(
  src: RevisionSource,
  entity: string,
  id: string,
  expected: number,
  rev: number,
  extra: Record<string, unknown> = {},
): AppErrorException {
  let st = lastChange.get(src.db);
  if (!st) {
    st = src.db.prepare<[string, string], LastChange>(
      'SELECT seq, at, actor_name FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1',
    );
    lastChange.set(src.db, st);
  }
  const last = st.get(entity, id);
  const at = last
    ? new Intl.DateTimeFormat('sv-SE', { timeZone: src.timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(
        new Date(last.at),
      )
    : '';
  return new AppErrorException(
    appError(
      'conflict',
      {
        ...extra,
        entity,
        id,
        expected,
        rev,
        by: last?.actor_name ?? '',
        at,
        atMs: last?.at ?? null,
        seq: last?.seq ?? null,
      },
      'errors.record_changed',
    ),
  );
}

/** Refuses (errors.record_changed) when `row` is no longer at the revision the person saw. */
export function mustBeRevision(
  src: RevisionSource,
  entity: string,
  row: { id: string; rev: number },
  expected: number | undefined,
  extra?: Record<string, unknown>,
): void {
  if (revisionConflict(expected, row.rev)) throw recordChanged(src, entity, row.id, expected!, row.rev, extra);
}
