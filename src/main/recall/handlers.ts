import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { EpcisExport } from '../trace';
import type { DrillsService } from './drills-service';

/** What the recall handlers need: the drills service and the trace's EPCIS export. */
export interface RecallHandlerDeps {
  drills: DrillsService;
  /** The GS1 EPCIS document of a lot's trace (the plant named, created now). */
  epcis(lotCode: string): EpcisExport;
}

/** The handlers of src/shared/contract/channels/recall.ts (drills, recalls, the EPCIS export). */
export function recallHandlers(
  use: () => RecallHandlerDeps,
): HandlersOf<'drills' | 'recalls'> & Pick<HandlersOf<'trace'>, 'trace.epcis'> {
  const svc = () => use().drills;
  return {
    'drills.start': (i, ctx) => svc().start(actorOf(ctx), i),
    'drills.list': (i) => svc().list(i),
    'drills.get': ({ code }) => svc().detail(code),
    'drills.step': ({ code, step }, ctx) => svc().step(actorOf(ctx), code, step),
    'drills.finding': ({ code, ...i }, ctx) => svc().finding(actorOf(ctx), code, i),
    'drills.complete': ({ code, signature }, ctx) =>
      svc().complete(actorOf(ctx).id, code, signature.password, signature.meaning, signature.comment),
    'drills.evidence': ({ code, locale }, ctx) => svc().evidencePack(actorOf(ctx), code, locale),
    'drills.evidenceFiles': ({ code }) => svc().evidenceFiles(code),
    'drills.plan': ({ year }) => svc().plan(year),
    'drills.plan.save': (i, ctx) => svc().savePlan(actorOf(ctx), i),
    'drills.kpis': ({ mode }) => svc().kpis(mode),
    'recalls.hold': ({ code, reason, signature }, ctx) =>
      svc().recallHold(actorOf(ctx).id, code, reason, signature.password, signature.meaning),
    'recalls.contact': ({ code, ...i }, ctx) => svc().contact(actorOf(ctx), code, i),
    'recalls.return': ({ code, ...i }, ctx) => svc().recordReturn(actorOf(ctx), code, i),
    'trace.epcis': ({ lotCode }) => use().epcis(lotCode),
  };
}
