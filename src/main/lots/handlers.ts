import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import { signatureView } from '../identity';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { L } from './entities';

type LotHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `lots.${string}` | `batches.${string}` | `shipments.${string}` | `stock.${string}`>>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function lotsHandlers(core: AppCore): LotHandlers {
  const lots = () => core.need().lots;
  return {
    'lots.list': (i) => lots().list(i),
    'lots.get': ({ code }, ctx) => {
      const svc = core.need();
      const lot = lots().mustLot(code);
      const batch = lot['batch_id'] ? svc.ledger.get(L.batch, lot['batch_id'] as string) : undefined;
      const movements = lotMovements(core, code);
      const canDecide = ctx.session?.permissions.has('lots.decide') ?? false;
      return {
        lot: lots().view(lot),
        receipt: lots().receiptOf(lot),
        batch: batch ? { id: batch.id, code: batch['code'] as string, line: batch['line'] as string, status: batch['status'] as string } : null,
        movements,
        signatures: svc.identity.signaturesFor('lot', lot.id).map(signatureView),
        allowedDecisions: canDecide ? lots().allowedDecisions(lot) : [],
      };
    },
    'lots.receive': (i, ctx) => lots().receive(actor(ctx), i),
    'lots.receiveTanker': (i, ctx) => lots().receiveTanker(actor(ctx), i),
    'lots.decide': ({ code, decision, reason, signature }, ctx) => {
      // Open ledger findings block positive decisions until a QA manager has reviewed them
      // (docs/ledger.md); holds and rejections stay possible, they only make things safer.
      if (decision !== 'hold' && decision !== 'reject' && core.ledgerState().openFindings > 0) {
        fail('ledger_blocked', { findings: core.ledgerState().openFindings });
      }
      return lots().decide(actor(ctx).id, code, decision, reason, signature.password, signature.meaning);
    },
    'batches.list': ({ status }) => lots().batches(status),
    'batches.start': (i, ctx) => lots().startBatch(actor(ctx), i),
    'batches.consume': (i, ctx) => lots().consume(actor(ctx), i),
    'batches.finish': (i, ctx) => lots().finishBatch(actor(ctx), i),
    'shipments.create': (i, ctx) => lots().ship(actor(ctx), i),
    'stock.record': (i, ctx) => lots().recordStock(actor(ctx), i),
  };
}

function lotMovements(core: AppCore, code: string) {
  const db = core.need().ledger.db;
  const out: Array<{ id: string; type: 'consumed_into' | 'made_from' | 'shipment' | 'on_hand' | 'sample' | 'waste' | 'return' | 'adjustment'; otherLot: string | null; customer: string | null; reference: string | null; quantity: string; unit: string; date: string; reason: string | null }> = [];
  for (const r of db.prepare('SELECT id, output_lot, quantity, unit, date FROM consumption WHERE input_lot = ? AND retired = 0').all(code) as Array<Record<string, string>>) {
    out.push({ id: r['id']!, type: 'consumed_into', otherLot: r['output_lot']!, customer: null, reference: null, quantity: r['quantity']!, unit: r['unit']!, date: r['date']!, reason: null });
  }
  for (const r of db.prepare('SELECT id, input_lot, quantity, unit, date FROM consumption WHERE output_lot = ? AND retired = 0').all(code) as Array<Record<string, string>>) {
    out.push({ id: r['id']!, type: 'made_from', otherLot: r['input_lot']!, customer: null, reference: null, quantity: r['quantity']!, unit: r['unit']!, date: r['date']!, reason: null });
  }
  for (const r of db.prepare('SELECT id, shipment_code, customer_code, quantity, unit, date FROM shipment WHERE lot_code = ? AND retired = 0').all(code) as Array<Record<string, string>>) {
    out.push({ id: r['id']!, type: 'shipment', otherLot: null, customer: r['customer_code']!, reference: r['shipment_code']!, quantity: r['quantity']!, unit: r['unit']!, date: r['date']!, reason: null });
  }
  for (const r of db.prepare('SELECT id, movement, quantity, unit, date, reason FROM stock_movement WHERE lot_code = ? AND retired = 0').all(code) as Array<Record<string, string | null>>) {
    out.push({ id: r['id']!, type: r['movement'] as 'on_hand', otherLot: null, customer: null, reference: null, quantity: r['quantity']!, unit: r['unit']!, date: r['date']!, reason: r['reason'] ?? null });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

