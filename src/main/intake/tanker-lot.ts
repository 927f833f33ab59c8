import { fail } from '../../shared/contract/errors';
import type { IntakeQueries, LotRow } from './queries';

/** The lot of a tanker (a raw-milk lot received on a receipt), else an error. */
export function mustTanker(q: IntakeQueries, lotCode: string): LotRow {
  const lot = q.lot(lotCode);
  if (!lot) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
  if (lot.kind !== 'raw_milk' || !lot.receipt_id) fail('invalid_input', { lot: lotCode }, 'errors.intake_not_tanker');
  return lot;
}

export function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}
