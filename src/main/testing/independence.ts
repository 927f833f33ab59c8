import type { Db } from '../db/database';

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

const VALUE_FIELDS = [
  'replicates',
  'unit_values',
  'value',
  'reported',
  'verdict',
  'external_lab',
  'external_report_no',
] as const;

export function contributions(db: Db, resultIds: readonly string[]): Map<string, Map<string, Set<Contribution>>> {
  const out = new Map<string, Map<string, Set<Contribution>>>();
  const add = (id: string, user: string, how: Contribution) => {
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    let s = m.get(user);
    if (!s) m.set(user, (s = new Set()));
    s.add(how);
  };
  for (let i = 0; i < resultIds.length; i += 400) {
    const chunk = resultIds.slice(i, i + 400);
    const ph = chunk.map(() => '?').join(',');
    const fields = VALUE_FIELDS.map((f) => `json_extract(content, '$.${f}') AS ${f}`).join(', ');
    const rows = db
      .prepare(
        `SELECT entity_id, actor, ${fields}, json_extract(content, '$.status') AS status FROM audit_entry
         WHERE entity = 'test_result' AND entity_id IN (${ph}) ORDER BY entity_id, seq`,
      )
      .all(...chunk) as Array<Record<string, string | number | null> & { entity_id: string; actor: string }>;
    let prev: (typeof rows)[number] | null = null;
    for (const r of rows) {
      const same = prev !== null && prev.entity_id === r.entity_id;
      const before = same ? prev : null;
      const changed = VALUE_FIELDS.some((f) => (before?.[f] ?? null) !== (r[f] ?? null));
      if (changed) add(r.entity_id, r.actor, before && before['value'] !== null ? 'changed' : 'entered');
      if (r['status'] === 'submitted' && before?.['status'] !== 'submitted') add(r.entity_id, r.actor, 'submitted');
      prev = r;
    }
    for (const c of db
      .prepare(`SELECT result_id, by_user FROM instrument_capture WHERE result_id IN (${ph})`)
      .all(...chunk) as Array<{ result_id: string; by_user: string }>)
      add(c.result_id, c.by_user, 'captured');
  }
  return out;
}

/** The people who took part in each result (see `contributions`). */
export function contributors(db: Db, resultIds: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, m] of contributions(db, resultIds)) out.set(id, [...m.keys()].sort());
  return out;
}
