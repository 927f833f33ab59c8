import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import { signatureView } from '../app/signature-view';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { S } from './entities';

type SampleHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `samples.${string}` | `sites.${string}` | `scan.${string}`>>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function samplesHandlers(core: AppCore): SampleHandlers {
  const samples = () => core.need().samples;
  return {
    'samples.list': (i) => samples().list(i),
    'samples.get': ({ code }, ctx) => {
      const svc = core.need();
      const r = samples().mustSample(code);
      const lot = r['lot_code'] ? svc.lots.lotRow(r['lot_code'] as string) : undefined;
      const site = r['site_id'] ? svc.ledger.get(S.site, r['site_id'] as string) : undefined;
      const parent = r['parent_sample_id'] ? svc.ledger.get(S.sample, r['parent_sample_id'] as string) : undefined;
      return {
        sample: samples().view(r),
        units: samples().units(r.id),
        parent: parent ? samples().view(parent) : null,
        events: samples().events(r.id),
        signatures: svc.identity.signaturesFor('sample', r.id).map(signatureView),
        lot: lot
          ? {
              code: lot['code'] as string,
              kind: lot['kind'] as string,
              itemCode: lot['item_code'] as string,
              itemName: lot['item_name'] as string,
              status: lot['status'] as string,
              expiryDate: (lot['expiry_date'] as string | null) ?? null,
            }
          : null,
        site: site ? samples().siteView(site) : null,
        allowedActions: samples().allowedActions(r, ctx.session?.permissions ?? new Set()),
      };
    },
    'samples.register': (i, ctx) => samples().register(actor(ctx), i),
    'samples.receive': ({ code, ...i }, ctx) => samples().receive(actor(ctx), code, i),
    'samples.move': ({ code, storageLocation, reason }, ctx) => samples().move(actor(ctx), code, storageLocation, reason),
    'samples.cancel': ({ code, reason }, ctx) => samples().cancel(actor(ctx), code, reason),
    'samples.retention.list': ({ withinDays, offset, limit }) => samples().retentionDue(withinDays, offset, limit),
    'samples.retention.dispose': ({ code, reason, signature }, ctx) => samples().dispose(actor(ctx).id, code, reason, signature),
    'samples.retention.missing': (i) => samples().retentionMissingList(i),
    'sites.list': (i) => samples().sites(i),
    'sites.save': (i, ctx) => samples().saveSite(actor(ctx), i),
    'sites.schedule.save': (i, ctx) => samples().saveSchedule(actor(ctx), i),
    'sites.due': ({ date }) => samples().due(date),
    'scan.lookup': ({ code }) => samples().lookup(code),
  };
}
