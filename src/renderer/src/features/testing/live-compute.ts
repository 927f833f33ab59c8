import {
  confirmsPresumptive,
  entryProblem,
  normalizeEntry,
  computeCalculated,
  computeMeasured,
  energyKJ,
  ENERGY_ITEM,
  isPlanItem,
  parseDecimal,
  RECONSTITUTION_ITEM,
  type ComputedResult,
  type ReplicateRule,
  type TestItem,
} from '../../../../shared/rules';

/** What the grid knows of one test while the analyst types (server row + unsaved draft). */
export interface LiveRow {
  readonly id: string;
  readonly itemCode: string;
  readonly status: string;
  readonly calculated: boolean;
  readonly item: TestItem;
  readonly replicates: readonly string[];
  readonly unitValues: readonly string[];
}

/** Statuses whose values take part in calculations (the server's CURRENT set). */
const CURRENT: ReadonlySet<string> = new Set(['pending', 'entered', 'returned', 'submitted', 'reviewed']);

/**
 * The same computation main runs when a result is saved (results-service recompute), over
 * what is on screen, so the technician sees the verdict before saving: measured items from
 * their replicates or units, calculated items from the unrounded entry-basis values of their
 * inputs, per-100 kJ / per-100 mL conversions from the sample's energy and reconstitution.
 * Calculated items may depend on calculated items (energy ← carbohydrate), hence the fixed point.
 */
export function liveCompute(
  rows: readonly LiveRow[],
  rules: Readonly<Record<string, ReplicateRule>>,
): Map<string, ComputedResult> {
  const current = rows.filter((r) => CURRENT.has(r.status));
  const computed = new Map<string, ComputedResult>();
  for (let pass = 0; pass <= current.length; pass++) {
    const values: Record<string, string> = {};
    for (const r of current) {
      const v = computed.get(r.id)?.value ?? null;
      if (v !== null && parseDecimal(v).ok) values[r.itemCode] = v;
    }
    const energyRow = current.find((r) => r.itemCode === ENERGY_ITEM);
    const energyValue = values[ENERGY_ITEM];
    const ctxBase = {
      energyKJPer100g: energyRow && energyValue ? energyKJ(energyRow.item, energyValue) : null,
      reconstitution: values[RECONSTITUTION_ITEM] ?? null,
    };
    let changed = false;
    for (const r of current) {
      const ctx = { ...ctxBase, rule: r.item.method_code ? (rules[r.item.method_code] ?? null) : null };
      const c = r.calculated
        ? computeCalculated(r.item, values, ctx)
        : computeMeasured(r.item, { replicates: [...r.replicates], unitValues: [...r.unitValues] }, ctx);
      const prev = computed.get(r.id);
      if (!prev || JSON.stringify(prev) !== JSON.stringify(c)) changed = true;
      computed.set(r.id, c);
    }
    if (!changed) break;
  }
  return computed;
}

/** How many inputs a row shows: n units for a sampling plan, else the method's replicates (at least what was saved). */
export function inputCount(
  item: TestItem,
  rules: Readonly<Record<string, ReplicateRule>>,
  saved: readonly string[],
): number {
  if (isPlanItem(item)) return Math.max(1, item.n ?? 1);
  const rule = item.method_code ? rules[item.method_code] : undefined;
  return Math.max(1, rule?.replicates ?? 1, saved.length);
}

/** The values a result accepts (the contract's valueText): a decimal, ND, <LOD, <X, absent, present. */
export const VALUE_PATTERN = /^$|^(-?\d+(\.\d+)?|ND|<LOD|<\d+(\.\d+)?|absent|present)$/;

/**
 * Light normalisation of what people type or paste from a spreadsheet: "nd" → "ND",
 * "<lod" → "<LOD", "Absent"/"阴性"/"未检出" → the words the rules read. Anything else is kept
 * as typed and checked by VALUE_PATTERN (a comma decimal is refused, never guessed).
 */
export function normalizeValue(raw: string): string {
  const v = raw.trim();
  const lower = v.toLowerCase();
  if (lower === 'nd' || v === '未检出') return 'ND';
  if (lower === '<lod') return '<LOD';
  if (lower === 'absent' || lower === 'neg' || lower === 'negative' || v === '阴性') return 'absent';
  if (lower === 'present' || lower === 'pos' || lower === 'positive' || v === '阳性') return 'present';
  return v.replace(/^＜/, '<');
}

/** Qualitative words are for sampling-plan units only (the server refuses them elsewhere). */
export function valueAllowed(value: string, plan: boolean): boolean {
  if (!VALUE_PATTERN.test(value)) return false;
  if (!plan && (value === 'absent' || value === 'present')) return false;
  return true;
}

/**
 * What the server stores for a typed value of this item (src/shared/rules/entry.ts): micro
 * notation of counts as plain decimals, 未检出 / 阴性 / 阳性 / 疑似阳性 as the rules' words.
 */
export function normalizeFor(item: TestItem, raw: string): string {
  return normalizeEntry(item, raw);
}

/** Does this item take this (normalised) value? The server's own check. */
export function allowedFor(item: TestItem, value: string): boolean {
  return entryProblem(item, value, { presumptive: confirmsPresumptive(item.method_code) }) === null;
}

/** A spreadsheet selection as text: lines of tab-separated cells; the trailing newline dropped. */
export function parseClipboard(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.map((l) => l.split('\t').map((c) => c.trim()));
}
