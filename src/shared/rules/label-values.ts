import { LabDecimal, fromLabDecimal, parseDecimal, toLabDecimal } from './decimal';

/**
 * Declared label values (标示值) and the margins a QA manager reads before release.
 *
 * A label rule states the band around the declared value that the actual content must stay
 * in, as percentages of the declared value (either side may be open). The plant's usual rule
 * for foods for special dietary uses is GB 13432-2013's: the actual content of energy and of
 * the nutrients declared is not below 80 % of the declared value (and meets the product
 * standard). GB 13432's text is not in the project's reference set: that rule is tagged
 * unverified until a QA manager checks it against the standard and confirms it.
 *
 * Margins are exact decimals: a positive margin is inside the band, zero on its edge, a
 * negative one outside (bounds are inclusive).
 */
export interface LabelRule {
  /** Lowest actual content, % of the declared value ("80"), or null for none. */
  readonly minPct: string | null;
  /** Highest actual content, % of the declared value ("180"), or null for none. */
  readonly maxPct: string | null;
}

/** The usual rule and its source as the plant cites it; whether it was checked is the record's verification state. */
export const GB13432_RULE: LabelRule = { minPct: '80', maxPct: null };
export const GB13432_SOURCE_ZH = 'GB 13432-2013 预包装特殊膳食用食品标签：能量和营养成分实际含量不低于标示值的 80%';
export const GB13432_SOURCE_EN =
  'GB 13432-2013 labelling of prepackaged foods for special dietary uses: actual content of energy and nutrients not below 80 % of the declared value';

export interface Bounds {
  readonly min: string | null;
  readonly max: string | null;
}

export interface SideMargin {
  readonly side: 'min' | 'max';
  /** The bound as stated (a limit's digits, or the computed share of the declared value). */
  readonly bound: string;
  /** value − min, or max − value, in the value's unit. */
  readonly margin: string;
  /** margin ÷ |bound| × 100 with one decimal (half-even; "-0.0" when just outside); null when the bound is 0. */
  readonly marginPct: string | null;
  readonly ok: boolean;
}

function dec(text: string): LabDecimal | null {
  const p = parseDecimal(text.trim());
  return p.ok ? toLabDecimal(p.value) : null;
}

/** The band a label rule allows around a declared value, as decimal strings. */
export function labelBounds(declared: string, rule: LabelRule): Bounds | null {
  const d = dec(declared);
  if (!d) return null;
  const at = (pct: string | null): string | null => {
    if (pct === null) return null;
    const p = dec(pct);
    return p ? fromLabDecimal(d.times(p).dividedBy(100)) : null;
  };
  if ((rule.minPct !== null && at(rule.minPct) === null) || (rule.maxPct !== null && at(rule.maxPct) === null))
    return null;
  return { min: at(rule.minPct), max: at(rule.maxPct) };
}

/** Margins of a value to each side of a band; null when the value is not a number (censored, text). */
export function margins(value: string, b: Bounds): SideMargin[] | null {
  const v = dec(value);
  if (!v) return null;
  const out: SideMargin[] = [];
  const side = (s: 'min' | 'max', bound: string | null) => {
    if (bound === null) return;
    const bd = dec(bound);
    if (!bd) return;
    const m = s === 'min' ? v.minus(bd) : bd.minus(v);
    out.push({
      side: s,
      // As stated ("10.0" stays "10.0": stated digits survive).
      bound: bound.trim(),
      margin: fromLabDecimal(m),
      marginPct: bd.isZero() ? null : m.dividedBy(bd.abs()).times(100).toFixed(1),
      ok: !m.isNegative() || m.isZero(),
    });
  };
  side('min', b.min);
  side('max', b.max);
  return out;
}

/** The side nearest to being crossed: the smallest relative margin (absolute when a bound is 0). */
export function nearestMargin(ms: readonly SideMargin[]): SideMargin | null {
  let best: SideMargin | null = null;
  const key = (m: SideMargin) => new LabDecimal(m.marginPct ?? m.margin);
  for (const m of ms) if (!best || key(m).lt(key(best))) best = m;
  return best;
}

/** Parses a stored rule; anything malformed reads as "no band" so nothing is judged by a broken rule. */
export function parseLabelRule(v: unknown): LabelRule {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const pct = (x: unknown) => (typeof x === 'string' && parseDecimal(x).ok ? x : null);
  return { minPct: pct(o['minPct']), maxPct: pct(o['maxPct']) };
}
