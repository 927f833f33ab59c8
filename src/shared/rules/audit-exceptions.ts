/**
 * The exceptions of a lot's audit trail (issue 22 §5, D-080): what a reviewer must look at
 * before signing `audit_reviewed`, out of the hundreds of entries that are the normal course
 * of a lot (creations, planned results entered once, signatures). Pure: main feeds it the
 * entries of the lot's scope with their contents before and after and the business keys it
 * resolved; the same facts always give the same exceptions, in the same order.
 */

export const exceptionKinds = [
  'change_after_entry',
  'overwrite',
  'reopening',
  'correction',
  'invalidation',
  'override',
  'late_entry',
  'instrument_flag',
] as const;
export type ExceptionKind = (typeof exceptionKinds)[number];

/** The business keys of a record, as people name it (never its id). */
export interface BusinessKeys {
  readonly lot: string | null;
  readonly sample: string | null;
  readonly itemCode: string | null;
  readonly itemZh: string | null;
  readonly itemEn: string | null;
}

export const noKeys: BusinessKeys = { lot: null, sample: null, itemCode: null, itemZh: null, itemEn: null };

export type Content = Readonly<Record<string, unknown>>;

/** One audit entry of the lot's scope, as the classifier reads it. */
export interface AuditFact {
  readonly seq: number;
  /** Epoch milliseconds (UTC) of the entry. */
  readonly at: number;
  readonly actorName: string;
  readonly action: string;
  readonly entity: string;
  readonly reason: string | null;
  /** The record before this entry (null: created here, or unknown). */
  readonly before: Content | null;
  readonly after: Content;
  readonly keys: BusinessKeys;
  /** Is this entry a correction (a change after submission with its reason)? Decided by main's one source of corrections. */
  readonly corrected: boolean;
}

export interface AuditException {
  readonly kind: ExceptionKind;
  readonly seq: number;
  readonly at: number;
  readonly actorName: string;
  readonly entity: string;
  readonly keys: BusinessKeys;
  /** What changed, for the sentence: a field name (translated on screen) and its values as stored (strings). */
  readonly field: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly reason: string | null;
  /** A finer word for the sentence, e.g. `verdict_changed`, `returned`, `typed_over`. */
  readonly detail: string | null;
}

/** An entry is late when the time it states for the event is this long before it was recorded. */
export const LATE_ENTRY_MS = 24 * 60 * 60 * 1000;

/** Measured data of a result: a change to any of these after the value was first saved is an exception. */
const RESULT_DATA = ['value', 'reported', 'verdict', 'replicates', 'unit_values'] as const;
/** What the analyst measured: a change of these once saved is a change after entry. */
const MEASURED = ['value', 'replicates', 'unit_values'] as const;
/** User-stated event times (epoch ms) of records, compared with when they were recorded. */
const STATED_TIMES: Readonly<Record<string, readonly string[]>> = {
  sample: ['taken_at', 'received_at'],
  instrument_event: ['performed_at'],
};
const DECIDED_LOT = new Set(['released', 'accepted', 'rejected']);

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function changed(f: AuditFact, field: string): boolean {
  if (!f.before) return false;
  return text(f.before[field]) !== text(f.after[field]);
}

function becomes(f: AuditFact, field: string, values: readonly unknown[]): boolean {
  return changed(f, field) && values.includes(f.after[field]);
}

/** The exceptions one entry raises (several kinds may apply: a correction that reopens a result). */
export function classifyFact(f: AuditFact, opts: { lateAfterMs?: number } = {}): AuditException[] {
  const out: AuditException[] = [];
  const add = (
    kind: ExceptionKind,
    field: string | null,
    from: unknown,
    to: unknown,
    detail: string | null = null,
  ): void => {
    out.push({
      kind,
      seq: f.seq,
      at: f.at,
      actorName: f.actorName,
      entity: f.entity,
      keys: f.keys,
      field,
      from: text(from),
      to: text(to),
      reason: f.reason,
      detail,
    });
  };
  const before = f.before;
  const after = f.after;

  if (f.corrected) {
    // A correction is reported as such (not also as the reopening or change it consists of).
    const field = before
      ? (RESULT_DATA.find((k) => changed(f, k)) ?? Object.keys(after).find((k) => k !== 'rev' && changed(f, k)) ?? null)
      : null;
    const recalculated = f.entity === 'test_result' && (after['calculated'] === 1 || after['calculated'] === true);
    add(
      'correction',
      field,
      field && before ? before[field] : null,
      field ? after[field] : null,
      recalculated ? 'recalculated' : null,
    );
  }

  switch (f.corrected ? '' : f.entity) {
    case 'test_result': {
      if (!before) break;
      // Changes of measured data once a value was saved (not the first entry of a pending result).
      // What the analyst measured (not the reported value or verdict a recalculation moves as
      // other items are entered: that is the normal course; a failing verdict turned is a
      // verdict_change of its own). Calculated items change only by recalculation.
      const hadValue =
        text(before['value']) !== null || text(before['replicates']) !== null || text(before['unit_values']) !== null;
      const calculated = after['calculated'] === 1 || after['calculated'] === true;
      if (hadValue && !calculated) {
        // A first value computed from saved replicates is no change (it was null).
        const field = MEASURED.find((k) => changed(f, k) && text(before[k]) !== null);
        if (field) add('change_after_entry', field, before[field], after[field]);
      }
      if (becomes(f, 'status', ['invalidated'])) add('invalidation', 'status', before['status'], 'invalidated');
      else if (becomes(f, 'status', ['returned'])) add('reopening', 'status', before['status'], 'returned', 'returned');
      else if (
        changed(f, 'status') &&
        ['submitted', 'reviewed'].includes(String(before['status'])) &&
        after['status'] === 'entered'
      )
        add('reopening', 'status', before['status'], after['status'], 'reopened');
      break;
    }
    case 'verdict_change':
      if (f.action === 'create')
        add('change_after_entry', 'verdict', after['from_verdict'], after['to_verdict'], 'verdict_changed');
      break;
    case 'lot':
      if (before && changed(f, 'status') && DECIDED_LOT.has(String(before['status'])))
        add('reopening', 'status', before['status'], after['status'], 'lot_reopened');
      break;
    case 'sample':
      if (before && changed(f, 'status') && before['status'] === 'complete')
        add('reopening', 'status', before['status'], after['status'], 'sample_reopened');
      break;
    case 'oos_investigation':
      if (becomes(f, 'status', ['invalidated']))
        add('invalidation', 'status', before?.['status'], 'invalidated', 'oos_invalidated');
      break;
    case 'instrument_capture':
      if (becomes(f, 'status', ['typed_over']))
        add('overwrite', 'value', after['read_value'] ?? after['value'], null, 'typed_over');
      if (becomes(f, 'flagged', [1, true])) add('instrument_flag', null, null, after['flag_reason'], 'capture_flagged');
      break;
    case 'instrument_flag':
      if (f.action === 'create') add('instrument_flag', null, null, after['how'], 'result_flagged');
      break;
    case 'signature':
      if (f.action === 'create' && after['meaning'] === 'override')
        add('override', null, null, after['comment'], String(after['entity'] ?? ''));
      break;
    default:
      break;
  }

  // A stated event time long before the entry that records it (a record made after the fact).
  const late = opts.lateAfterMs ?? LATE_ENTRY_MS;
  // A sample's units (cans of one sampling) share its stated times: the sample says it once.
  const unit = f.entity === 'sample' && typeof after['parent_sample_id'] === 'string';
  for (const field of unit ? [] : (STATED_TIMES[f.entity] ?? [])) {
    const t = after[field];
    if (typeof t !== 'number' || !Number.isFinite(t)) continue;
    if (before && !changed(f, field)) continue;
    if (f.at - t > late) {
      add('late_entry', field, null, String(t));
      break;
    }
  }
  return out;
}

export interface ExceptionSummary {
  readonly counts: Readonly<Record<ExceptionKind, number>>;
  readonly exceptions: readonly AuditException[];
}

/** The exceptions of a list of entries, by sequence then kind order. */
export function summariseExceptions(
  facts: readonly AuditFact[],
  opts: { lateAfterMs?: number } = {},
): ExceptionSummary {
  const all = [...facts]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((f) => classifyFact(f, opts))
    .sort((a, b) => a.seq - b.seq || exceptionKinds.indexOf(a.kind) - exceptionKinds.indexOf(b.kind));
  // One act is one exception: the entries that make it (a result moved back, its new raw data,
  // the value computed from them) are shown once, with the value that changed.
  const exceptions: AuditException[] = [];
  let lastSeq = -Infinity;
  for (const e of all) {
    const prev = exceptions.at(-1);
    if (prev && e.seq - lastSeq <= 1 && sameAct(prev, e)) {
      lastSeq = e.seq;
      if (fieldRank(e.field) < fieldRank(prev.field))
        exceptions[exceptions.length - 1] = {
          ...e,
          kind: prev.kind,
          seq: prev.seq,
          reason: prev.reason,
          detail: prev.detail,
        };
      continue;
    }
    lastSeq = e.seq;
    exceptions.push(e);
  }
  const counts = Object.fromEntries(exceptionKinds.map((k) => [k, 0])) as Record<ExceptionKind, number>;
  for (const e of exceptions) counts[e.kind]++;
  return { counts, exceptions };
}

/** Which field names an act best: the value, then the raw data, then anything, the status last. */
function fieldRank(field: string | null): number {
  const i = ['value', 'replicates', 'unit_values', 'reported', 'verdict'].indexOf(field ?? '');
  return i >= 0 ? i : field === 'status' || field === null ? 9 : 5;
}

/** Two exceptions of one act: the same record, person and moment, consecutive entries, the same kind (or a change that is part of a correction). */
function sameAct(a: AuditException, b: AuditException): boolean {
  const kinds =
    a.kind === b.kind
      ? ['correction', 'change_after_entry'].includes(a.kind)
      : a.kind === 'correction' && b.kind === 'change_after_entry';
  return (
    kinds &&
    a.entity === b.entity &&
    a.actorName === b.actorName &&
    a.at === b.at &&
    JSON.stringify(a.keys) === JSON.stringify(b.keys)
  );
}

/**
 * What the `audit_reviewed` signature attests (its SHA-256 is stored with the review): the lot,
 * the last entry covered, the number of entries read, the counts and every exception by its
 * entry, kind and business keys. Times are the entries' (UTC epoch ms): no display zone in it.
 */
export function summaryCanonicalContent(
  lotCode: string,
  throughSeq: number,
  entriesReviewed: number,
  s: ExceptionSummary,
): Record<string, unknown> {
  return {
    lot: lotCode,
    through_seq: throughSeq,
    entries: entriesReviewed,
    counts: s.counts,
    exceptions: s.exceptions.map((e) => ({
      kind: e.kind,
      seq: e.seq,
      at: e.at,
      actor: e.actorName,
      lot: e.keys.lot,
      sample: e.keys.sample,
      item: e.keys.itemCode,
      field: e.field,
      from: e.from,
      to: e.to,
      detail: e.detail,
    })),
  };
}
