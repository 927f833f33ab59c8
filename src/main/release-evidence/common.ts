import { fail } from '../../shared/contract/errors';
import { convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import type { ProductRow, ReleaseEvidenceQueries } from './queries';

/** Helpers shared by the label and retention parts of release evidence. */
export function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

export function convertOrNull(value: string, from: string, to: string): string | null {
  if (from === to) return value;
  if (!isQuantityUnit(from) || !isQuantityUnit(to)) return null;
  return convertQuantity(value, from, to);
}

/** A product by code, or a not_found error. */
export function productOf(q: ReleaseEvidenceQueries, code: string): ProductRow {
  const p = q.productByCode(code);
  if (!p) fail('not_found', { entity: 'product', id: code }, 'errors.product_unknown');
  return p;
}
