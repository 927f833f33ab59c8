import { fail } from '../../shared/contract/errors';
import type { TraceView } from '../../shared/contract/channels/trace';
import type { Db } from '../db/database';
import { traceLot } from './trace';

/** The trace screen's view: the CLI's trace with exact decimal strings, edges and statuses. */
export function traceView(db: Db, code: string): TraceView {
  const t = traceLot(db, code, { edges: true });
  if (!t) fail('not_found', { entity: 'lot', id: code }, 'errors.lot_not_found');
  const statuses: Record<string, string> = { [t.root.lot]: t.root.status };
  for (const l of [...t.backward, ...t.forward]) if (l.status) statuses[l.lot] = l.status;
  const edges = [...(t.edges?.backward ?? []), ...(t.edges?.forward ?? [])].map((e) => ({ from: e.input, to: e.output, quantity: e.quantity, unit: e.unit }));
  return {
    root: { lot: t.root.lot, kind: t.root.kind, item_code: t.root.item_code, quantity: t.root.quantity, unit: t.root.unit },
    backward: t.backward.map((l) => ({ lot: l.lot, kind: l.kind ?? 'unknown', item_code: l.item_code ?? '', depth: l.depth })),
    forward: t.forward.map((l) => ({ lot: l.lot, kind: l.kind ?? 'unknown', item_code: l.item_code ?? '', depth: l.depth })),
    shipments: t.shipments,
    customers: t.customers,
    mass_balance: { ...t.mass_balance, accounted_pct: t.mass_balance.accounted_pct ?? '' },
    edges,
    statuses,
    elapsed_ms: t.elapsed_ms,
  };
}
