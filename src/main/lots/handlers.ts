import type { SignatureView } from '../../shared/contract/common';
import { fail } from '../../shared/contract/errors';
import { actorOf, may, type HandlersOf } from '../dispatcher/handler-kit';
import type { LotsService } from './lots-service';

/** What the lots handlers need: the lots, the signatures of a record, and the ledger's open findings. */
export interface LotsHandlerDeps {
  lots: LotsService;
  signaturesFor(entity: string, entityId: string): SignatureView[];
  openFindings(): number;
}

export function lotsHandlers(use: () => LotsHandlerDeps): HandlersOf<'lots' | 'batches' | 'shipments' | 'stock'> {
  return {
    'lots.list': (i) => use().lots.list(i),
    'lots.get': ({ code }, ctx) => {
      const d = use();
      const detail = d.lots.detail(code, may(ctx, 'lots.decide'));
      return { ...detail, signatures: d.signaturesFor('lot', detail.lot.id) };
    },
    'lots.receive': (i, ctx) => use().lots.receive(actorOf(ctx), i),
    'lots.receiveTanker': (i, ctx) => use().lots.receiveTanker(actorOf(ctx), i),
    'lots.decide': ({ code, decision, reason, signature, expectedRev }, ctx) => {
      const d = use();
      // Open ledger findings block positive decisions until a QA manager has reviewed them
      // (docs/ledger.md); holds and rejections stay possible, they only make things safer.
      if (decision !== 'hold' && decision !== 'reject' && d.openFindings() > 0) {
        fail('ledger_blocked', { findings: d.openFindings() });
      }
      return d.lots.decide(actorOf(ctx).id, code, decision, reason, signature.password, signature.meaning, expectedRev);
    },
    'batches.list': ({ status }) => use().lots.batches(status),
    'batches.start': (i, ctx) => use().lots.startBatch(actorOf(ctx), i),
    'batches.consume': (i, ctx) => use().lots.consume(actorOf(ctx), i),
    'batches.finish': (i, ctx) => use().lots.finishBatch(actorOf(ctx), i),
    'shipments.create': (i, ctx) => use().lots.ship(actorOf(ctx), i),
    'stock.record': (i, ctx) => use().lots.recordStock(actorOf(ctx), i),
  };
}
