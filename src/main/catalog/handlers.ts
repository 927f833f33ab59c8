import { expectMeaning } from '../identity';
import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { CatalogKind, CatalogService } from './catalog-service';
import type { SpecService } from './spec-service';
import type { CompanyService } from './company-service';

/** What the catalog handlers need: the catalogue, the specifications and the clock (an approval's default effective date). */
export interface CatalogHandlerDeps {
  catalog: CatalogService;
  specs: SpecService;
  company: CompanyService;
  clock(): number;
}

export function catalogHandlers(use: () => CatalogHandlerDeps): HandlersOf<'catalog' | 'specs' | 'site'> {
  const cat = () => use().catalog;
  const specs = () => use().specs;
  const list = <K extends CatalogKind>(kind: K) => (i: { search?: string | undefined; includeRetired?: boolean | undefined }) => cat().list(kind, i);
  return {
    'catalog.products.list': list('products'),
    'catalog.products.save': (i, ctx) => cat().save(actorOf(ctx), 'products', i),
    'catalog.materials.list': list('materials'),
    'catalog.materials.save': (i, ctx) => cat().save(actorOf(ctx), 'materials', i),
    'catalog.suppliers.list': list('suppliers'),
    'catalog.suppliers.save': (i, ctx) => cat().save(actorOf(ctx), 'suppliers', i),
    'catalog.customers.list': list('customers'),
    'catalog.customers.save': (i, ctx) => cat().save(actorOf(ctx), 'customers', i),
    'catalog.methods.list': list('methods'),
    'catalog.methods.save': (i, ctx) => cat().save(actorOf(ctx), 'methods', i),
    'catalog.lines.list': list('lines'),
    'catalog.lines.save': (i, ctx) => cat().save(actorOf(ctx), 'lines', i),

    'specs.list': (i) => specs().list(i),
    'specs.get': ({ versionId }) => specs().view(versionId),
    'specs.packs': () => specs().packs(),
    'specs.create': (i, ctx) => specs().view(specs().create(actorOf(ctx), i)),
    'specs.newVersion': ({ specId, changeNote }, ctx) => specs().view(specs().newVersion(actorOf(ctx), specId, changeNote)),
    'specs.saveItem': (i, ctx) => {
      specs().saveItem(actorOf(ctx), i);
      return specs().view(i.versionId);
    },
    'specs.removeItem': ({ versionId, itemId, reason, expectedRev }, ctx) => {
      specs().removeItem(actorOf(ctx), versionId, itemId, reason, expectedRev);
      return specs().view(versionId);
    },
    'specs.setEffective': ({ versionId, effectiveFrom, reason }, ctx) => {
      specs().setEffective(actorOf(ctx), versionId, effectiveFrom, reason);
      return specs().view(versionId);
    },
    'specs.approve': async ({ versionId, signature, expectedItems }, ctx) => {
      expectMeaning(signature.meaning, 'approved');
      const d = use();
      await d.specs.approve(actorOf(ctx).id, versionId, signature, d.clock(), expectedItems);
      return d.specs.view(versionId);
    },
    'specs.confirmTable': async ({ versionId, standard, table, itemIds, signature }, ctx) => {
      expectMeaning(signature.meaning, 'values_confirmed');
      const d = use();
      await d.specs.tables.confirm(actorOf(ctx).id, { versionId, standard, table, itemIds, comment: signature.comment }, signature.password);
      return d.specs.view(versionId);
    },
    'specs.diff': ({ fromVersionId, toVersionId }) => specs().diff(fromVersionId, toVersionId),
    'specs.export': ({ versionId }) => specs().export(versionId),
    'specs.effective': ({ subjectKind, subjectId, date }) => specs().effective(subjectKind, subjectId, date),

    'site.company.get': () => use().company.get(),
    'site.company.set': (i, ctx) => use().company.set(actorOf(ctx), i),
  };
}
