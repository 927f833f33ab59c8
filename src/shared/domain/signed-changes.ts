import type { Role, SignatureMeaning } from './roles';

/**
 * THE signed-change rule table (docs/ledger.md §3.4, docs/decisions.md D-030): every change of
 * a record that is a decision, an approval, a review or an identity act, and the personal
 * signature it needs in the SAME ledger transaction — meaning(s) and the roles entitled to give
 * it. One table, used by
 *   - `Ledger.write` (src/main/ledger/ledger.ts), which refuses a matching change without a
 *     valid, entitled personal signature in the transaction (`signature_required`), and
 *   - verification (src/main/ledger/verify-signatures.ts), which checks the whole audit trail
 *     against it (`signature_missing`, `signer_not_entitled`),
 * and copied by the standalone verifier of the evidence pack. tests/unit/signed-changes.test.ts
 * checks every rule names a ledgered record type and columns that exist, and that docs/ledger.md
 * lists every rule.
 *
 * TO ADD A SIGNED DECISION: append a rule here (a stable `id`, the record type, `on`, the field
 * and value(s) that make the change a decision, meanings and roles), make the service call
 * `identity.sign(w, signer, { def, id }, { meaning })` AFTER making the change in the same
 * `ledger.write`, and add the rule's line to docs/ledger.md §3.4. Rules never change once
 * shipped (verification applies them to the whole trail after migration 0011); a rule that
 * must change is a new rule.
 *
 * Semantics (both the write path and verification):
 *  - A rule matches an audit entry of `entity` whose action is `on` (`create`; or `update`
 *    where `field`'s value differs from the record's previous content), whose new value of
 *    `field` is in `to` (`'changed'`: any value; `'set'`: any non-null value), whose previous
 *    value is in `from` (when given), whose new content satisfies every `where` condition,
 *    and, with `ref`, whose referenced record (looked up by `ref.by` = the value of `ref.from`,
 *    as it stands just before the entry) satisfies the condition.
 *  - A matching change needs, in the same transaction, a personal signature on the same record
 *    with one of the matching rules' meanings (else `signature_missing`), valid (else
 *    `signature_invalid` on the signature), by a user who, at the signature, is active and
 *    holds one of the roles of a matching rule with that meaning (else `signer_not_entitled`).
 *  - `setting`: conditions comparing a field of the new content with a setting in force just
 *    before the entry (`ruleSettingValue`: the `setting` record `global`'s JSON value as it
 *    stands then, or the setting's default): `before` holds when both are strings and the
 *    field's value (its first `chars` characters, when given) sorts before the setting's;
 *    `notBefore` is its exact negation (a missing or non-string value is not before).
 *  - `systemUnsigned`: the `system` actor may make the change without a signature (an
 *    automatic hold only stops things).
 *  - Only changes after the transaction that applied migration 0011 are checked (before it,
 *    signatures were records without a personal key: "legacy").
 */
export type RuleValue = string | number | null;

export interface FieldCondition {
  readonly field: string;
  readonly in?: readonly RuleValue[];
  readonly notIn?: readonly RuleValue[];
}

/** Settings a rule may compare with (their values: `ruleSettingValue`). */
export type RuleSetting = 'goLiveDate';

export interface SettingCondition {
  /** The field of the change's new content compared. */
  readonly field: string;
  /** Compare only the first characters of the field's value (10: the date of a date-time). */
  readonly chars?: number;
  readonly op: 'before' | 'notBefore';
  readonly setting: RuleSetting;
}

export interface SignedChangeRule {
  /** Stable name, e.g. `lot.release`; shown in `signature_required` and findings. */
  readonly id: string;
  /** The record type (entity name in the audit trail). */
  readonly entity: string;
  readonly on: 'create' | 'update';
  /** The column whose value makes the change a decision (optional for `create`). */
  readonly field?: string;
  readonly to?: readonly RuleValue[] | 'changed' | 'set';
  readonly from?: readonly RuleValue[];
  readonly where?: readonly FieldCondition[];
  /** A condition on another record, e.g. the lot a consumption uses. */
  readonly ref?: FieldCondition & { readonly entity: string; readonly by: string; readonly from: string };
  /** Conditions comparing a field of the change with a setting in force just before the entry. */
  readonly setting?: readonly SettingCondition[];
  readonly meanings: readonly SignatureMeaning[];
  readonly roles: readonly Role[];
  readonly systemUnsigned?: boolean;
}

const USABLE = ['accepted', 'released'] as const;

export const signedChangeRules: readonly SignedChangeRule[] = [
  // ---------------------------------------------------------------- lot decisions
  {
    id: 'lot.accept',
    entity: 'lot',
    on: 'update',
    field: 'status',
    to: ['accepted'],
    meanings: ['accepted'],
    roles: ['qa_manager'],
  },
  {
    id: 'lot.accept_raw_milk',
    entity: 'lot',
    on: 'update',
    field: 'status',
    to: ['accepted'],
    where: [{ field: 'kind', in: ['raw_milk'] }],
    meanings: ['accepted'],
    roles: ['technician', 'qa_manager'],
  },
  {
    id: 'lot.release',
    entity: 'lot',
    on: 'update',
    field: 'status',
    to: ['released'],
    meanings: ['released'],
    roles: ['qa_manager'],
  },
  {
    id: 'lot.hold',
    entity: 'lot',
    on: 'update',
    field: 'status',
    to: ['on_hold'],
    meanings: ['held'],
    roles: ['qa_manager', 'reviewer'],
    systemUnsigned: true,
  },
  {
    id: 'lot.reject',
    entity: 'lot',
    on: 'update',
    field: 'status',
    to: ['rejected'],
    meanings: ['rejected'],
    roles: ['qa_manager'],
  },
  // A lot is created undecided (quarantine / on hold); only an ERP import of history may
  // create it decided (its own go-live rule, docs/import.md).
  ...(['accepted', 'released', 'rejected'] as const).map(
    (status): SignedChangeRule => ({
      id: `lot.create_${status}`,
      entity: 'lot',
      on: 'create',
      field: 'status',
      to: [status],
      where: [{ field: 'origin', notIn: ['import'] }],
      meanings: [status],
      roles: ['qa_manager'],
    }),
  ),
  // The import's exemption holds only for history (D-065): an imported lot dated on or after the
  // go-live date in force at its creation is a live lot, decided by a QA manager's signature.
  ...(['accepted', 'released', 'rejected'] as const).map(
    (status): SignedChangeRule => ({
      id: `lot.import_live_${status}`,
      entity: 'lot',
      on: 'create',
      field: 'status',
      to: [status],
      where: [{ field: 'origin', in: ['import'] }],
      setting: [{ field: 'lot_date', chars: 10, op: 'notBefore', setting: 'goLiveDate' }],
      meanings: [status],
      roles: ['qa_manager'],
    }),
  ),
  // ---------------------------------------------------------------- raw milk intake
  {
    id: 'intake.accept',
    entity: 'raw_milk_intake',
    on: 'update',
    field: 'status',
    to: ['accepted'],
    meanings: ['accepted'],
    roles: ['technician', 'qa_manager'],
  },
  {
    id: 'intake.reject',
    entity: 'raw_milk_intake',
    on: 'update',
    field: 'status',
    to: ['rejected'],
    meanings: ['rejected'],
    roles: ['qa_manager'],
  },
  // The tanker's documents incomplete or expired: a QA manager's signed exception (issue 20 §4).
  {
    id: 'intake.documents_override',
    entity: 'intake_documents',
    on: 'update',
    field: 'override_by',
    to: 'set',
    meanings: ['override'],
    roles: ['qa_manager'],
  },
  // A retrospective failure after acceptance: the record of the lots held (issue 20 §4).
  { id: 'intake.late_failure', entity: 'tanker_late_failure', on: 'create', meanings: ['held'], roles: ['qa_manager'] },
  // ---------------------------------------------------------------- overrides
  {
    id: 'consumption.override',
    entity: 'consumption',
    on: 'create',
    where: [{ field: 'origin', in: ['app'] }],
    ref: { entity: 'lot', by: 'code', from: 'input_lot', field: 'status', notIn: [...USABLE] },
    meanings: ['override'],
    roles: ['qa_manager'],
  },
  {
    id: 'shipment.override',
    entity: 'shipment',
    on: 'create',
    where: [{ field: 'origin', in: ['app'] }],
    ref: { entity: 'lot', by: 'code', from: 'lot_code', field: 'status', notIn: [...USABLE] },
    meanings: ['override'],
    roles: ['qa_manager'],
  },
  // ---------------------------------------------------------------- specifications
  {
    id: 'spec.approve',
    entity: 'spec_version',
    on: 'update',
    field: 'status',
    to: ['approved'],
    meanings: ['approved'],
    roles: ['qa_manager'],
  },
  // One table of a draft confirmed against the official text at once (issue 22 §4, D-079).
  {
    id: 'spec.table_confirm',
    entity: 'spec_table_confirmation',
    on: 'create',
    meanings: ['values_confirmed'],
    roles: ['qa_manager'],
  },
  // ---------------------------------------------------------------- testing
  {
    id: 'result.submit',
    entity: 'test_result',
    on: 'update',
    field: 'status',
    to: ['submitted'],
    meanings: ['authored'],
    roles: ['technician'],
  },
  {
    id: 'result.review',
    entity: 'test_result',
    on: 'update',
    field: 'status',
    to: ['reviewed'],
    meanings: ['reviewed'],
    roles: ['reviewer', 'qa_manager'],
  },
  {
    id: 'result.invalidate',
    entity: 'test_result',
    on: 'update',
    field: 'status',
    to: ['invalidated'],
    meanings: ['invalidated'],
    roles: ['qa_manager'],
  },
  {
    id: 'oos.phase1',
    entity: 'oos_investigation',
    on: 'update',
    field: 'status',
    to: ['phase1_done'],
    meanings: ['authored'],
    roles: ['technician', 'reviewer', 'qa_manager'],
  },
  {
    id: 'oos.conclude',
    entity: 'oos_investigation',
    on: 'update',
    field: 'status',
    to: ['confirmed', 'invalidated'],
    meanings: ['oos_concluded'],
    roles: ['qa_manager'],
  },
  // A control chart's baseline (issue 20 §6): the limits every later point is judged against.
  { id: 'chart.baseline', entity: 'control_baseline', on: 'create', meanings: ['approved'], roles: ['qa_manager'] },
  // ---------------------------------------------------------------- environment (issue 19 §6)
  {
    id: 'env_alert.close',
    entity: 'env_alert',
    on: 'update',
    field: 'status',
    to: ['closed'],
    meanings: ['alert_closed'],
    roles: ['qa_manager'],
  },
  // ---------------------------------------------------------------- samples, drills, reviews
  {
    id: 'sample.dispose',
    entity: 'sample',
    on: 'update',
    field: 'disposed_at',
    to: 'set',
    meanings: ['disposed'],
    roles: ['qa_manager'],
  },
  {
    id: 'drill.complete',
    entity: 'recall_drill',
    on: 'update',
    field: 'status',
    to: ['completed'],
    meanings: ['drill_completed'],
    roles: ['qa_manager'],
  },
  { id: 'audit.review', entity: 'audit_review', on: 'create', meanings: ['audit_reviewed'], roles: ['qa_manager'] },
  {
    id: 'lot.audit_review',
    entity: 'lot_audit_review',
    on: 'create',
    meanings: ['audit_reviewed'],
    roles: ['qa_manager'],
  },
  {
    id: 'ledger.findings_reviewed',
    entity: 'verification_run',
    on: 'update',
    field: 'review_status',
    to: ['reviewed'],
    meanings: ['finding_reviewed'],
    roles: ['qa_manager'],
  },
  // ---------------------------------------------------------------- identity (11.100(b))
  { id: 'user.create', entity: 'user', on: 'create', meanings: ['enrolled'], roles: ['administrator'] },
  {
    id: 'user.reset_password',
    entity: 'user',
    on: 'update',
    field: 'password_hash',
    to: 'changed',
    where: [{ field: 'must_change_password', in: [1] }],
    meanings: ['enrolled'],
    roles: ['administrator'],
  },
  {
    id: 'user.roles',
    entity: 'user',
    on: 'update',
    field: 'roles',
    to: 'changed',
    meanings: ['enrolled'],
    roles: ['administrator'],
  },
  {
    id: 'user.printed_name',
    entity: 'user',
    on: 'update',
    field: 'printed_name',
    to: 'changed',
    meanings: ['enrolled'],
    roles: ['administrator'],
  },
  { id: 'host.enrol', entity: 'signing_key', on: 'create', meanings: ['enrolled'], roles: ['administrator'] },
  // ---------------------------------------------------------------- no quiet rollback
  {
    id: 'rollback.acknowledge',
    entity: 'rollback_acknowledgement',
    on: 'create',
    meanings: ['acknowledged'],
    roles: ['administrator'],
  },
];

type Content = Readonly<Record<string, unknown>>;

function holds(c: FieldCondition, value: unknown): boolean {
  const v = value === undefined ? null : value;
  if (c.in && !c.in.includes(v as RuleValue)) return false;
  if (c.notIn && c.notIn.includes(v as RuleValue)) return false;
  return true;
}

/** A setting condition; strings compare as JavaScript's `<` (UTF-16 code units), as the Python copy does. */
function settingHolds(c: SettingCondition, value: unknown, setting: unknown): boolean {
  const v = typeof value === 'string' && c.chars !== undefined ? value.slice(0, c.chars) : value;
  const before = typeof v === 'string' && typeof setting === 'string' && v < setting;
  return c.op === 'before' ? before : !before;
}

/** The record holding the settings rules compare with: `setting` `global`, its `value` a JSON object. */
export const RULE_SETTINGS_ID = 'global';

/**
 * A setting's value in force just before an entry, as every path computes it (the write path,
 * verification, the standalone verifier): `settingJson` is the `value` of the `setting` record
 * `global` as it stands then (null: none yet; not a JSON object: as absent). `goLiveDate`: its
 * string value, else the database's creation date as `LotControls.creationDate()` defines it —
 * the local date (YYYY-MM-DD) of the `database` record's `created_at` (the earliest, if several;
 * the entry's own time when there is none yet) in the time zone of the entry (the workstation's
 * zone, recorded in every entry; an unknown zone counts as UTC).
 */
export function ruleSettingValue(
  name: RuleSetting,
  settingJson: unknown,
  at: { entryAt: number; timeZone: string; databaseCreatedAt: number | null },
): string {
  let obj: unknown = null;
  if (typeof settingJson === 'string') {
    try {
      obj = JSON.parse(settingJson) as unknown;
    } catch {
      obj = null;
    }
  }
  const v = obj && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, unknown>)[name] : undefined;
  if (typeof v === 'string') return v;
  return localDateIn(at.timeZone, at.databaseCreatedAt ?? at.entryAt);
}

/**
 * The local date (YYYY-MM-DD) of an instant in an IANA time zone (UTC when the zone is unknown);
 * "" for an instant outside 1000-01-02 to 9999-12-30 UTC (four-digit years in every zone; no
 * lot date sorts before "").
 */
export function localDateIn(timeZone: string, ms: number): string {
  if (!(ms >= -30_610_137_600_000 && ms <= 253_402_214_399_999)) return '';
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
  }
  const parts = f.formatToParts(ms);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The rules a change matches. `before` is the record's content before the entry (null for a
 * create), `after` its content in the entry; `lookup(entity, by, value)` returns a referenced
 * record's content as it stands just before the entry (null when there is none);
 * `setting(name)` a setting's value in force just before the entry (`ruleSettingValue`;
 * without it a setting is unknown, and no value is `before` it).
 */
export function matchRules(
  rules: readonly SignedChangeRule[],
  change: { entity: string; action: string; before: Content | null; after: Content },
  lookup: (entity: string, by: string, value: unknown) => Content | null,
  setting?: (name: RuleSetting) => unknown,
): SignedChangeRule[] {
  const out: SignedChangeRule[] = [];
  for (const r of rules) {
    if (r.entity !== change.entity || r.on !== change.action) continue;
    if (r.on === 'update' && change.before === null) continue;
    if (r.field) {
      const now = change.after[r.field] ?? null;
      const was = change.before ? (change.before[r.field] ?? null) : null;
      if (r.on === 'update' && JSON.stringify(now) === JSON.stringify(was)) continue;
      if (r.to === 'set' && now === null) continue;
      if (Array.isArray(r.to) && !r.to.includes(now as RuleValue)) continue;
      if (r.from && !r.from.includes(was as RuleValue)) continue;
    }
    if (r.where && !r.where.every((c) => holds(c, change.after[c.field]))) continue;
    if (r.ref) {
      const target = lookup(r.ref.entity, r.ref.by, change.after[r.ref.from] ?? null);
      if (!target || !holds(r.ref, target[r.ref.field])) continue;
    }
    if (r.setting && !r.setting.every((c) => settingHolds(c, change.after[c.field], setting?.(c.setting) ?? null)))
      continue;
    out.push(r);
  }
  return out;
}

/** Record types that rules name (verification reads their history), and the fields they read. */
export function ruleEntities(rules: readonly SignedChangeRule[] = signedChangeRules): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (e: string, f: string | undefined): void => {
    const s = out.get(e) ?? new Set<string>();
    if (f) s.add(f);
    out.set(e, s);
  };
  for (const r of rules) {
    add(r.entity, r.field);
    for (const w of r.where ?? []) add(r.entity, w.field);
    for (const c of r.setting ?? []) add(r.entity, c.field);
    if (r.ref) {
      add(r.entity, r.ref.from);
      add(r.ref.entity, r.ref.by);
      add(r.ref.entity, r.ref.field);
    }
  }
  return out;
}
