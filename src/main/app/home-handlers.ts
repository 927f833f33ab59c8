import type { HandlersOf } from '../dispatcher/handler-kit';
import { actorOf } from '../dispatcher/handler-kit';
import type { SetupProgress } from '../../shared/contract/channels/home';
import { missingRoles } from '../../shared/rules/setup-guide';
import type { CatalogService, SpecService } from '../catalog';
import { imfStages } from '../catalog';
import type { DispositionService } from '../disposition';
import type { IdentityService } from '../identity';
import { userRoles } from '../identity';
import type { InstrumentsService } from '../instruments';
import type { LotsService } from '../lots';
import type { DrillsService } from '../recall';
import type { SamplesService } from '../samples';
import type { TestingService } from '../testing';

/** Calibrations due within this many days are shown as coming (the instruments card uses the same). */
const DUE_SOON_DAYS = 14;
const RELEASE_SCAN = 500;

/**
 * What waits for each role (contract/channels/home.ts, issue 22 §1). These reads compose
 * several capabilities, so they live with the composition root; each asks the owners through
 * their front doors and decides nothing a capability does not (D-075).
 */
export interface HomeHandlerDeps {
  testing: Pick<TestingService, 'waiting'>;
  disposition: Pick<DispositionService, 'queue'>;
  instruments: Pick<InstrumentsService, 'overdueChecks'>;
  lots: Pick<LotsService, 'list'>;
  samples: Pick<SamplesService, 'list'>;
  drills: Pick<DrillsService, 'list'>;
  catalog: Pick<CatalogService, 'list'>;
  specs: Pick<SpecService, 'list'>;
  identity: Pick<IdentityService, 'listUsers'>;
  ledger(): { headSeq: number; openFindings: number; verifiedAt: string | null };
  now(): number;
}

export function homeHandlers(use: () => HomeHandlerDeps): HandlersOf<'home' | 'setup'> {
  return {
    'home.myTests': (_i, ctx) => {
      const d = use();
      return d.testing.waiting.myTests(actorOf(ctx).id, d.now());
    },
    'home.toReview': (_i, ctx) => use().testing.waiting.toReview(actorOf(ctx).id),
    'home.toRelease': () => {
      const lots = use().disposition.queue(RELEASE_SCAN).lots;
      const ready = lots.filter((l) => l.ready);
      return {
        ready: ready.length,
        blocked: lots.length - ready.length,
        lots: [...ready, ...lots.filter((l) => !l.ready)]
          .slice(0, 6)
          .map((l) => ({ lotCode: l.lotCode, itemCode: l.itemCode, ready: l.ready })),
      };
    },
    'home.overdueChecks': () => use().instruments.overdueChecks(DUE_SOON_DAYS),
    'home.inspector': () => {
      const d = use();
      const lots = (f: { kind?: string; status?: string }) => d.lots.list({ ...f, offset: 0, limit: 1 }).total;
      const l = d.ledger();
      return {
        lots: lots({}),
        finishedLots: lots({ kind: 'finished' }),
        decidedLots: lots({ status: 'released' }) + lots({ status: 'rejected' }),
        samples: d.samples.list({ offset: 0, limit: 1 }).total,
        drills: d.drills.list({ offset: 0, limit: 1 }).total,
        auditEntries: l.headSeq,
        openFindings: l.openFindings,
        verifiedAt: l.verifiedAt,
      };
    },
    'setup.progress': () => setupProgress(use()),
  };
}

/** The guide's progress from the records as they are now (src/shared/rules/setup-guide.ts reads it). */
function setupProgress(d: HomeHandlerDeps): SetupProgress {
  const lines = d.catalog.list('lines').filter((l) => l.active);
  const products = d.catalog.list('products');
  const specs = d.specs.list({}).filter((s) => s.subjectKind === 'product');
  const approvedFor = new Set(
    specs.filter((s) => s.versions.some((v) => v.status === 'approved')).map((s) => s.subjectId),
  );
  const byRole: Record<string, number> = {};
  for (const u of d.identity.listUsers()) {
    if (u.status === 'deactivated') continue;
    for (const r of userRoles(u)) byRole[r] = (byRole[r] ?? 0) + 1;
  }
  return {
    lines: { active: lines.length },
    products: {
      total: products.length,
      // 产品配方注册: infant, older infant and young children's formula carry their registration number.
      withoutRegistration: products.filter((p) => imfStages.has(p.stage) && !p.registrationNo).length,
    },
    specification: {
      drafts: specs.reduce((n, s) => n + s.versions.filter((v) => v.status === 'draft').length, 0),
      approved: specs.reduce((n, s) => n + s.versions.filter((v) => v.status === 'approved').length, 0),
      productsWithout: products.filter((p) => !approvedFor.has(p.id)).length,
    },
    users: { byRole, missingRoles: missingRoles(byRole) },
    firstLot: { lots: d.lots.list({ offset: 0, limit: 1 }).total },
  };
}
