import Decimal from 'decimal.js';

/**
 * Units of logistics quantities (../shared/formats/README.md): conversions within a
 * dimension (g/kg/t, mL/L) are exact; across dimensions (kg to L, kg to can) they are
 * refused. Quantities are decimal strings; arithmetic is decimal, never binary float.
 */
export const quantityUnits = ['kg', 'g', 't', 'L', 'mL', 'can', 'bag', 'pcs'] as const;
export type QuantityUnit = (typeof quantityUnits)[number];

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

/** Dimension and factor to the dimension's base unit (kg, L, or the count unit itself). */
const table: Record<QuantityUnit, { dim: string; factor: string }> = {
  g: { dim: 'mass', factor: '0.001' },
  kg: { dim: 'mass', factor: '1' },
  t: { dim: 'mass', factor: '1000' },
  mL: { dim: 'volume', factor: '0.001' },
  L: { dim: 'volume', factor: '1' },
  can: { dim: 'can', factor: '1' },
  bag: { dim: 'bag', factor: '1' },
  pcs: { dim: 'pcs', factor: '1' },
};

export function isQuantityUnit(u: unknown): u is QuantityUnit {
  return typeof u === 'string' && Object.prototype.hasOwnProperty.call(table, u);
}

export function sameDimension(a: QuantityUnit, b: QuantityUnit): boolean {
  return table[a].dim === table[b].dim;
}

/** Exact conversion, or null across dimensions. */
export function convertQuantity(value: string, from: QuantityUnit, to: QuantityUnit): string | null {
  if (!sameDimension(from, to)) return null;
  if (from === to) return new D(value).toString();
  return new D(value).times(table[from].factor).dividedBy(table[to].factor).toString();
}

/** Decimal sum of decimal strings. */
export function sumQuantities(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(v), new D(0)).toString();
}

export const QuantityDecimal = D;

/** A quantity as a decimal string: digits, optional fraction, optional leading minus when allowed. */
export function isQuantityString(s: string, allowNegative = false): boolean {
  return (allowNegative ? /^-?\d+(\.\d+)?$/ : /^\d+(\.\d+)?$/).test(s);
}
