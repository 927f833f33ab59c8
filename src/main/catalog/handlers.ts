import { expectMeaning } from '../identity';
import type { HandlerTable, CallContext } from '../dispatcher/dispatcher';
import { fail } from '../../shared/contract/errors';
import type { Actor } from '../ledger/ledger';
import type { AppCore } from '../app/core';
import type { CatalogKind } from './catalog-service';

type CatalogHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `catalog.${string}` | `specs.${string}`>>;

function actor(ctx: CallContext): Actor {
  if (!ctx.session) fail('not_signed_in');
  return { id: ctx.session.userId, name: ctx.session.printedName };
}

export function catalogHandlers(core: AppCore): CatalogHandlers {
  const cat = () => core.need().catalog;
  const specs = () => core.need().specs;
  const list = <K extends CatalogKind>(kind: K) => (i: { search?: string | undefined; includeRetired?: boolean | undefined }) => cat().list(kind, i);
  return {
    'catalog.products.list': list('products'),
    'catalog.products.save': (i, ctx) => cat().save(actor(ctx), 'products', i),
    'catalog.materials.list': list('materials'),
    'catalog.materials.save': (i, ctx) => cat().save(actor(ctx), 'materials', i),
    'catalog.suppliers.list': list('suppliers'),
    'catalog.suppliers.save': (i, ctx) => cat().save(actor(ctx), 'suppliers', i),
    'catalog.customers.list': list('customers'),
    'catalog.customers.save': (i, ctx) => cat().save(actor(ctx), 'customers', i),
    'catalog.methods.list': list('methods'),
    'catalog.methods.save': (i, ctx) => cat().save(actor(ctx), 'methods', i),

    'specs.list': (i) => specs().list(i),
    'specs.get': ({ versionId }) => specs().view(versionId),
    'specs.packs': () => specs().packs(),
    'specs.create': (i, ctx) => specs().view(specs().create(actor(ctx), i)),
    'specs.newVersion': ({ specId, changeNote }, ctx) => specs().view(specs().newVersion(actor(ctx), specId, changeNote)),
    'specs.saveItem': (i, ctx) => {
      specs().saveItem(actor(ctx), i);
      return specs().view(i.versionId);
    },
    'specs.removeItem': ({ versionId, itemId, reason }, ctx) => {
      specs().removeItem(actor(ctx), versionId, itemId, reason);
      return specs().view(versionId);
    },
    'specs.setEffective': ({ versionId, effectiveFrom, reason }, ctx) => {
      specs().setEffective(actor(ctx), versionId, effectiveFrom, reason);
      return specs().view(versionId);
    },
    'specs.approve': async ({ versionId, signature }, ctx) => {
      expectMeaning(signature.meaning, 'approved');
      await specs().approve(actor(ctx).id, versionId, signature, core.clock());
      return specs().view(versionId);
    },
    'specs.diff': ({ fromVersionId, toVersionId }) => specs().diff(fromVersionId, toVersionId),
    'specs.export': ({ versionId }) => specs().export(versionId),
    'specs.effective': ({ subjectKind, subjectId, date }) => specs().effective(subjectKind, subjectId, date),
  };
}
