/**
 * Optimistic concurrency (issue 23 §5, D-097): a write that changes an existing record carries the
 * revision of the record the person saw (`rev`, raised by one at every change, docs/ledger.md §1).
 * The write goes ahead only if the record is still at that revision; otherwise the person is told
 * that the record changed and shown its new state, and nothing of theirs is written. No revision
 * given (an older client, a command-line call that read and wrote at once) means no comparison.
 */
export function revisionConflict(expected: number | undefined, current: number): boolean {
  return expected !== undefined && expected !== current;
}

/** The records of `current` whose revision differs from the one the person saw, in their order. */
export function staleRecords(
  expected: Readonly<Record<string, number>> | undefined,
  current: ReadonlyArray<{ id: string; rev: number }>,
): Array<{ id: string; expected: number; rev: number }> {
  if (!expected) return [];
  const out: Array<{ id: string; expected: number; rev: number }> = [];
  for (const r of current) {
    const want = Object.prototype.hasOwnProperty.call(expected, r.id) ? expected[r.id] : undefined;
    if (want !== undefined && revisionConflict(want, r.rev)) out.push({ id: r.id, expected: want, rev: r.rev });
  }
  return out;
}
