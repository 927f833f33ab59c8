import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import { signatureView } from '../identity';
import type { CallContext, HandlerTable } from '../dispatcher/dispatcher';
import type { Actor } from '../ledger/ledger';
import { S } from './entities';
import { readFileSync } from 'node:fs';
import { printLabel } from '../documents';

type SampleHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `samples.${string}` | `sites.${string}` | `scan.${string}`>>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function samplesHandlers(core: AppCore): SampleHandlers {
  const samples = () => core.need().samples;
  return {
    'samples.printLabel': async ({ code, size, locale }, ctx) => {
      const svc = core.need();
      const r = samples().mustSample(code);
      const v = samples().view(r);
      const lot = v.lotCode ? svc.lots.lotRow(v.lotCode) : undefined;
      const item = lot ? (svc.ledger.db.prepare('SELECT name_zh, name_en FROM product WHERE code = ? UNION ALL SELECT name_zh, name_en FROM material WHERE code = ? LIMIT 1').get(lot['item_code'], lot['item_code']) as { name_zh: string; name_en: string } | undefined) : undefined;
      const who = actor(ctx);
      const doc = await printLabel(svc.documents, who, {
        sampleId: v.code,
        lotCode: v.lotCode,
        kind: v.kind,
        date: v.takenAt.slice(0, 10),
        productName: { zh: item?.name_zh ?? null, en: item?.name_en ?? (lot ? (lot['item_name'] as string) : null) },
        site: v.siteCode,
      }, { size, locale, subject: { entity: 'sample', id: r.id } });
      // The custody record says who printed it and whether it was a reprint.
      samples().recordLabelPrint(who, code, `${size} ${doc.fileName} sha256 ${doc.sha256.slice(0, 12)}`);
      return { documentId: doc.id, fileName: doc.fileName, base64: readFileSync(doc.file).toString('base64'), sha256: doc.sha256, reprint: doc.reprint };
    },
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
