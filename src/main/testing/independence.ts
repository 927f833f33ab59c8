import { VALUE_FIELDS, type AuditQueries, type ValueEntryRow } from './queries/audit';

/**
 * Independent review (issue 19 §3): who took part in a result's values. Read from the audit
 * trail, not from the row (whose `analyst_id` names only the last person who saved it), so
 * every revision and every replicate counts:
 *
 * - entered or changed: every audit entry of the result whose raw or computed values differ
 *   from the entry before it (replicates, unit results, value, reported value, verdict,
 *   external report) — typing, pasting, a correction, a recalculation caused by an input the
 *   person changed, a confirmation of a presumptive unit;
 * - captured: every instrument capture into the result, used or typed over;
 * - submitted: every entry that moved the result to `submitted`.
 *
 * Evaluated inside the write transaction that reviews, returns or concludes (the entries of
 * that transaction are visible to it), so a change made while the reviewer typed the
 * password is seen.
 */
export type Contribution = 'entered' | 'changed' | 'captured' | 'submitted';

export function contributions(
  q: Pick<AuditQueries, 'valueEntries' | 'capturers'>,
  resultIds: readonly string[],
): Map<string, Map<string, Set<Contribution>>> {
  const out = new Map<string, Map<string, Set<Contribution>>>();
  const add = (id: string, user: string, how: Contribution) => {
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    let s = m.get(user);
    if (!s) m.set(user, (s = new Set()));
    s.add(how);
  };
  let prev: ValueEntryRow | null = null;
  for (const r of q.valueEntries(resultIds)) {
    const same = prev !== null && prev.entity_id === r.entity_id;
    const before = same ? prev : null;
    const changed = VALUE_FIELDS.some((f) => (before?.[f] ?? null) !== (r[f] ?? null));
    if (changed) add(r.entity_id, r.actor, before && before.value !== null ? 'changed' : 'entered');
    if (r.status === 'submitted' && before?.status !== 'submitted') add(r.entity_id, r.actor, 'submitted');
    prev = r;
  }
  for (const c of q.capturers(resultIds)) add(c.result_id, c.by_user, 'captured');
  return out;
}

/** The people who took part in each result (see `contributions`). */
export function contributors(
  q: Pick<AuditQueries, 'valueEntries' | 'capturers'>,
  resultIds: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, m] of contributions(q, resultIds)) out.set(id, [...m.keys()].sort());
  return out;
}
