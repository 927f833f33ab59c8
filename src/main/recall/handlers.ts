import { readFileSync } from 'node:fs';
import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { traceLot } from '../trace/trace';
import { epcisDocument } from '../trace/epcis';
import { evidenceHtml } from './evidence';

type RecallHandlers = Pick<
  HandlerTable,
  Extract<keyof HandlerTable, `drills.${string}` | `recalls.${string}` | 'trace.epcis'>
>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function recallHandlers(core: AppCore): RecallHandlers {
  const svc = () => core.need().drills;
  return {
    'drills.start': (i, ctx) => svc().start(actor(ctx), i),
    'drills.list': (i) => svc().list(i),
    'drills.get': ({ code }) => svc().detail(code),
    'drills.step': ({ code, step }, ctx) => svc().step(actor(ctx), code, step),
    'drills.finding': ({ code, ...i }, ctx) => svc().finding(actor(ctx), code, i),
    'drills.complete': ({ code, signature }, ctx) =>
      svc().complete(actor(ctx).id, code, signature.password, signature.meaning, signature.comment),
    'drills.evidence': async ({ code, locale }, ctx) => {
      const d = svc().detail(code);
      const t = traceLot(core.need().ledger.db, d.drill.rootLot, { edges: true });
      const edges = t?.edges ?? { backward: [], forward: [] };
      const dir = d.drill.direction;
      const e = { backward: dir === 'forward' ? [] : edges.backward, forward: dir === 'backward' ? [] : edges.forward };
      const doc = await core.need().documents.generate(actor(ctx), {
        kind: 'drill_pack',
        subject: { entity: 'recall_drill', id: d.drill.id },
        locale,
        html: (stamp) => evidenceHtml(d, e, locale, stamp, core.need().ledger.timeZone),
        size: { pageWidthMm: 210, pageHeightMm: 297, marginsMm: 0 },
        fileName: `${d.drill.mode}-${code}`,
      });
      return {
        documentId: doc.id,
        fileName: doc.fileName,
        base64: readFileSync(doc.file).toString('base64'),
        sha256: doc.sha256,
        csv: svc().csv(code),
        csvFileName: `${d.drill.mode}-${code}.csv`,
      };
    },
    'drills.plan': ({ year }) => svc().plan(year),
    'drills.plan.save': (i, ctx) => svc().savePlan(actor(ctx), i),
    'drills.kpis': ({ mode }) => svc().kpis(mode),
    'recalls.hold': ({ code, reason, signature }, ctx) =>
      svc().recallHold(actor(ctx).id, code, reason, signature.password, signature.meaning),
    'recalls.contact': ({ code, ...i }, ctx) => svc().contact(actor(ctx), code, i),
    'recalls.return': ({ code, ...i }, ctx) => svc().recordReturn(actor(ctx), code, i),
    'trace.epcis': ({ lotCode }) => {
      const doc = epcisDocument(core.need().ledger.db, lotCode, {
        now: core.clock(),
        plant: core.need().settings.get().plantName ?? null,
      });
      if (!doc) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
      const list = ((doc['epcisBody'] as { eventList?: unknown[] } | undefined)?.eventList ?? []).length;
      return { fileName: `epcis-${lotCode}.jsonld`, json: JSON.stringify(doc, null, 2), events: list };
    },
  };
}
