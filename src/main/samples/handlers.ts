import type { SignatureView } from '../../shared/contract/common';
import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { SamplesService } from './samples-service';

/** What the samples handlers need: the samples and the signatures of a record. */
export interface SamplesHandlerDeps {
  samples: SamplesService;
  signaturesFor(entity: string, entityId: string): SignatureView[];
}

export function samplesHandlers(use: () => SamplesHandlerDeps): HandlersOf<'samples' | 'sites' | 'scan'> {
  return {
    'samples.printLabel': ({ code, size, locale }, ctx) => use().samples.printLabel(actorOf(ctx), code, { size, locale }),
    'samples.list': (i) => use().samples.list(i),
    'samples.get': ({ code }, ctx) => {
      const d = use();
      const detail = d.samples.detail(code, ctx.session?.permissions ?? new Set());
      return { ...detail, signatures: d.signaturesFor('sample', detail.sample.id) };
    },
    'samples.register': (i, ctx) => use().samples.register(actorOf(ctx), i),
    'samples.receive': ({ code, ...i }, ctx) => use().samples.receive(actorOf(ctx), code, i),
    'samples.move': ({ code, storageLocation, reason, expectedRev }, ctx) =>
      use().samples.move(actorOf(ctx), code, storageLocation, reason, expectedRev),
    'samples.cancel': ({ code, reason, expectedRev }, ctx) => use().samples.cancel(actorOf(ctx), code, reason, expectedRev),
    'samples.retention.list': ({ withinDays, offset, limit }) => use().samples.retentionDue(withinDays, offset, limit),
    'samples.retention.dispose': ({ code, reason, signature }, ctx) => use().samples.dispose(actorOf(ctx).id, code, reason, signature),
    'samples.retention.missing': (i) => use().samples.retentionMissingList(i),
    'sites.list': (i) => use().samples.sites(i),
    'sites.save': (i, ctx) => use().samples.saveSite(actorOf(ctx), i),
    'sites.schedule.save': (i, ctx) => use().samples.saveSchedule(actorOf(ctx), i),
    'sites.due': ({ date }) => use().samples.due(date),
    'scan.lookup': ({ code }) => use().samples.lookup(code),
  };
}
