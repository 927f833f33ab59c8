/**
 * Machine-written texts and stored codes in the reader's language (issue 22 §6, D-081).
 *
 * The ledger keeps what was written: an audit reason such as "password changed by its owner"
 * is part of the hashed record and never changes. Screens and documents show it in the
 * reader's language by recognising the machine's own phrasings (REASONS) and rebuilding them
 * from the catalogue (`words.reasons.*`), with the parts that vary (codes, people's own words)
 * carried over as written. A reason a person typed matches no rule and is shown as typed.
 * The same for recall-drill findings (by their kind), quantity units (can → 罐) and "per 25 g".
 *
 * Pure: the renderer passes i18next's `t`, main passes `translate(locale, …)`.
 */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

interface Rule {
  /** The message under `words.reasons.` (and the English template that wrote it). */
  key: string;
  re: RegExp;
  /** Named parts of the match, in the order of the template's `{{vars}}`. */
  vars?: readonly string[];
}

/** The reasons LotSeal's services write (src/main), as they write them. */
export const REASONS: readonly Rule[] = [
  { key: 'password_changed_by_owner', re: /^password changed by its owner$/ },
  { key: 'password_reset_by_admin', re: /^password reset by an administrator$/ },
  { key: 'first_admin_at_init', re: /^first administrator, created at database initialisation$/ },
  { key: 'first_admin', re: /^first administrator$/ },
  { key: 'host_enrolled', re: /^host enrolled by an administrator$/ },
  { key: 'sealed_new_password', re: /^sealed under the new password$/ },
  { key: 'unlocked_recovery', re: /^unlocked with the recovery code$/ },
  { key: 'carried_auth_log', re: /^carried in from the authentication log$/ },
  { key: 'produced_by_batch', re: /^produced by batch (.+)$/s, vars: ['batch'] },
  { key: 'mass_balance', re: /^mass balance$/ },
  { key: 'stock_count', re: /^stock count$/ },
  { key: 'sampled', re: /^sampled \((.+)\)$/s, vars: ['kind'] },
  { key: 'submitted', re: /^submitted$/ },
  { key: 'reviewed_note', re: /^reviewed: (.+)$/s, vars: ['note'] },
  { key: 'reviewed', re: /^reviewed$/ },
  { key: 'returned', re: /^returned: (.+)$/s, vars: ['reason'] },
  { key: 'approved', re: /^approved$/ },
  { key: 'assigned', re: /^assigned$/ },
  { key: 'completed', re: /^completed$/ },
  { key: 'explained_kind', re: /^explained with the other findings of its kind$/ },
  { key: 'explained', re: /^explained$/ },
  { key: 'entered', re: /^entered$/ },
  { key: 'changed_before_submission', re: /^changed before submission$/ },
  { key: 'computed', re: /^computed \(([a-z ]+)\)$/, vars: ['why'] },
  { key: 'typed_over', re: /^typed over: (.+)$/s, vars: ['reason'] },
  { key: 'superseded_version', re: /^superseded by version effective (\S+)$/, vars: ['date'] },
  { key: 'superseded_baseline', re: /^superseded by a new baseline$/ },
  { key: 'reprint_of', re: /^reprint of (.+)$/s, vars: ['document'] },
  { key: 'oos_opened', re: /^OOS (\S+) opened$/, vars: ['code'] },
  { key: 'invalidated_by', re: /^invalidated by (\S+): (.+)$/s, vars: ['code', 'conclusion'] },
  { key: 'concluded', re: /^concluded: (.+)$/s, vars: ['outcome'] },
  { key: 'phase1_recorded', re: /^phase I investigation recorded$/ },
  { key: 'drill', re: /^drill (\S+)$/, vars: ['code'] },
  { key: 'authority_report', re: /^authority report generated$/ },
  { key: 'spec_in_force', re: /^specification version in force on the lot date$/ },
  { key: 'captured_again', re: /^captured again$/ },
  { key: 'micro_incubation', re: /^micro: incubation started$/ },
  { key: 'micro_expected', re: /^micro: expected completion$/ },
  { key: 'raw_milk_intake', re: /^raw milk intake (\S+): (.+)$/s, vars: ['to', 'reason'] },
  { key: 'replaced_by_panel', re: /^replaced by panel (\S+)$/, vars: ['code'] },
  { key: 'documents_override', re: /^documents override: (.+)$/s, vars: ['reason'] },
  { key: 'pass_of', re: /^pass (\d+) of (\d+): (.+)$/s, vars: ['n', 'm', 'why'] },
  { key: 'rule_confirmed', re: /^rule confirmed against (.+)$/s, vars: ['reference'] },
  { key: 'used_to_unlock', re: /^used to unlock (\S+)$/, vars: ['user'] },
  { key: 'appeal_dates', re: /^dates of appeal (\S+)$/, vars: ['appeal'] },
  { key: 'confirmation_confirmed', re: /^confirmation: confirmed$/ },
  { key: 'confirmation_not_confirmed', re: /^confirmation: not confirmed$/ },
  { key: 'typed_since_good_check', re: /^typed value measured since the last good check$/ },
  { key: 'correction', re: /^correction: (.+)$/s, vars: ['reason'] },
];

/** Words inside machine reasons that are themselves codes (`computed (pasted)`). */
const WHY = new Set(['pasted', 'entered', 'captured', 'recalculated']);

function ruleVars(rule: Rule, m: RegExpExecArray, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  (rule.vars ?? []).forEach((name, i) => {
    const v = m[i + 1] ?? '';
    out[name] = name === 'why' && WHY.has(v) ? t(`words.why.${v}`) : v;
  });
  return out;
}

/** A stored audit reason in the reader's language; a person's own words are returned as written. */
export function machineReason(t: Translate, reason: string | null | undefined): string {
  if (!reason) return '';
  for (const rule of REASONS) {
    const m = rule.re.exec(reason);
    if (m) return t(`words.reasons.${rule.key}`, ruleVars(rule, m, t));
  }
  return reason;
}

/** Recall-drill findings by kind: the machine's detail, recognised, in the reader's language. */
export const FINDINGS: readonly (Rule & { kind: string })[] = [
  { kind: 'mass_balance', key: 'no_quantity', re: /^the root lot has no quantity: no mass balance$/ },
  {
    kind: 'mass_balance',
    key: 'accounted_outside',
    re: /^accounted (\S+) % is outside (\S+)–(\S+) %$/,
    vars: ['pct', 'min', 'max'],
  },
  { kind: 'customer_no_contact', key: 'customer_no_contact', re: /^customer (\S+) has no contact person or phone$/, vars: ['customer'] },
];

export function findingText(t: Translate, kind: string, detail: string): string {
  for (const rule of FINDINGS) {
    if (rule.kind !== kind) continue;
    const m = rule.re.exec(detail);
    if (m) return t(`words.findings.${rule.key}`, ruleVars(rule, m, t));
  }
  return detail;
}

/** Quantity units LotSeal knows by a word (can, bag, pcs …); measurement units (kg, g, L) are international. */
export const UNIT_WORDS = ['can', 'bag', 'pcs', 'box', 'carton', 'bottle', 'drum', 'sachet', 'swab', 'tanker', 'pallet'] as const;
const PLURALS: Record<string, string> = { cans: 'can', bags: 'bag', pc: 'pcs', boxes: 'box', cartons: 'carton', bottles: 'bottle', drums: 'drum', sachets: 'sachet', swabs: 'swab', tankers: 'tanker', pallets: 'pallet' };

/** A quantity unit in the plant's words: can → 罐, pcs → 件; kg, g, L as they are. */
export function unitWord(t: Translate, unit: string | null | undefined): string {
  if (!unit) return '';
  const u = unit.trim();
  const key = PLURALS[u.toLowerCase()] ?? u.toLowerCase();
  return (UNIT_WORDS as readonly string[]).includes(key) ? t(`words.units.${key}`) : u;
}

/**
 * A unit or basis as written in a specification, in the reader's language: "per 25 g" →
 * 每 25 g, "per swab" → 每拭子; anything else (g/100 g, kJ/100 g, CFU/g) as written.
 */
export function unitText(t: Translate, unit: string | null | undefined): string {
  if (!unit) return '';
  const m = /^per\s+(.+)$/i.exec(unit.trim());
  if (!m) return unit;
  const what = m[1]!;
  const word = unitWord(t, what);
  return t('words.per', { what: word }).replace(/每 (\p{Script=Han})/u, '每$1');
}
