import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { IdentityService, SessionManager, SettingsService, signatureReads } from '../identity';
import { CatalogService, CompanyService, SpecService, catalogReads } from '../catalog';
import { CoaService, DispositionService, type LedgerHealth } from '../disposition';
import { DocumentsService, type PdfPrinter } from '../documents';
import { EnvService } from '../environment';
import { ImportService } from '../import';
import { ConnectionManager, InstrumentRules, InstrumentsService, instrumentReads } from '../instruments';
import { AuthorityReports, IntakeService, SpotCheckService, intakeReads } from '../intake';
import { ReleaseEvidenceService } from '../release-evidence';
import type { Ledger } from '../ledger/ledger';
import { documentZone } from '../../shared/domain/printed-time';
import { verificationRuns } from '../ledger/verification-runs';
import { LotControls, LotsService, lotReads } from '../lots';
import { DrillsService } from '../recall';
import { TestingService, testingReads } from '../testing';
import { SamplesService, sampleReads } from '../samples';
import { traceLot } from '../trace';
import { signatureView } from '../identity';

/** The services of an opened database. */
export interface Services {
  ledger: Ledger;
  settings: SettingsService;
  identity: IdentityService;
  sessions: SessionManager;
  catalog: CatalogService;
  specs: SpecService;
  /** The company the documents name (issue 22 §3). */
  company: CompanyService;
  /** The lot controls every path shares: go-live date, holds, recalls, decision standing (issue 19). */
  controls: LotControls;
  lots: LotsService;
  samples: SamplesService;
  testing: TestingService;
  intake: IntakeService;
  /** The spot-check register (监督抽查, issue 20 §4). */
  spotChecks: SpotCheckService;
  /** The 第二十八条 report to the agriculture authority (intake, printed by documents). */
  intakeReports: AuthorityReports;
  /** Label values and retention profiles (issue 20 §5). */
  evidenceOfRelease: ReleaseEvidenceService;
  env: EnvService;
  instruments: InstrumentsService;
  disposition: DispositionService;
  /** Certificates of analysis and lot dossiers (issue 11 §4–5). */
  coa: CoaService;
  drills: DrillsService;
  documents: DocumentsService;
  /** The ERP import with the rules of this database (go-live date, holds, recalls, approvals). */
  imports: ImportService;
}

export interface ComposeOptions {
  /** The data folder (attachments, documents). */
  dataDir: string;
  /** resources/ (spec packs). */
  resourcesDir: string;
  /** The host's PDF printer; null: printing answers errors.pdf_unavailable. */
  pdf: PdfPrinter | null;
  /** Serial connections (the desktop's are the process's; other hosts pass one that connects nothing). */
  connections: ConnectionManager;
  /** Whether the ledger's last verification left anything unreviewed (readiness line `ledger`). */
  health: LedgerHealth;
}

/** resources/ (spec packs, fonts): beside the app in a build, the repository root from source. */
export function findResourcesDir(start: string = __dirname): string {
  let dir = resolve(start);
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'resources', 'spec-packs'))) return join(dir, 'resources');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(process.cwd(), 'resources');
}

/** Serial connections for a host that drives no instrument (CLI, import worker): a real manager that is never asked to connect. */
export function idleConnections(): ConnectionManager {
  return new ConnectionManager({ status: () => undefined, frame: () => undefined, traffic: () => undefined });
}

/** The ledger's health from its verification runs alone (hosts without a start-up tail check: CLI, worker). */
export function verificationHealth(ledger: Ledger): LedgerHealth {
  return {
    problem: () => {
      const run = verificationRuns(ledger.db).lastRun();
      if (!run) return { key: 'never_verified', runId: null };
      return run.review_status === 'open' ? { key: 'findings_open', runId: run.id } : null;
    },
  };
}

/**
 * THE composition root (issue 19 §8): every host — the desktop app and the browser harness
 * (AppCore), the `lotseal` commands (drill, import), the import worker and the tests — builds
 * its services here and nowhere else, so no host runs without the rules that cross
 * capabilities. Those rules are constructor dependencies, never hooks set afterwards:
 * - samples → testing: a registered sample's tests are planned in the registering transaction;
 * - testing → intake and environment: tanker panels, sampling levels, inspection failures and
 *   passes, positive swabs raising alerts (TestingHooks);
 * - lots → disposition: every positive decision passes OOS, environmental alerts, open
 *   recalls and (IMF finished lots) the release readiness (LotDecisionGate);
 * - lots, disposition, environment, recalls, import → LotControls: go-live date, holds,
 *   recalls, decision standing, the use rule.
 * The two dependency cycles (samples ⇄ testing, testing ⇄ intake) are closed by functions
 * that reach the later service when they run (inside a transaction, after everything exists).
 * tests/integration/host-guards.test.ts builds every host's services and proves each rule acts.
 */
export function composeServices(ledger: Ledger, o: ComposeOptions): Services {
  const settings = new SettingsService(ledger);
  const identity = new IdentityService(ledger, settings);
  const sessions = new SessionManager(identity, settings);
  const catalog = new CatalogService(ledger);
  const company = new CompanyService(ledger, (id) => identity.getUser(id)?.printed_name ?? id);
  // The reads each capability offers the others (issue 21: no capability reads another's tables;
  // it asks the owner). Read-only, statements prepared on first use; passed as constructor dependencies.
  const reads = {
    lots: lotReads(ledger.db),
    catalog: catalogReads(ledger.db),
    samples: sampleReads(ledger.db),
    testing: testingReads(ledger.db),
    intake: intakeReads(ledger.db),
    signatures: signatureReads(ledger.db),
    instruments: instrumentReads(ledger.db),
  };
  const specs = new SpecService(ledger, identity, o.resourcesDir);
  // Open recalls are the recall capability's (built later: reached when the controls ask).
  const controls = new LotControls(ledger, settings, () => drills.openRecalls(), reads.signatures);
  const documents = new DocumentsService(ledger, join(o.dataDir, 'documents'), o.pdf);
  const samples = new SamplesService(
    ledger,
    { identity, specs, catalog, lots: controls, documents, onRegistered: (w, sample) => testing.planSample(w, sample) },
    {
      patterns: () => settings.get().sampleCodePatterns ?? {},
      zone: () => documentZone(company.licence(), ledger.timeZone),
    },
  );
  const env = new EnvService(ledger, identity, settings, controls, reads);
  // Every value names an unlocked instrument of its method's kind (issue 19 §5): a constructor dependency of testing.
  const instrumentRules = new InstrumentRules(ledger);
  const testing: TestingService = new TestingService(
    ledger,
    identity,
    specs,
    samples,
    join(o.dataDir, 'attachments', 'results'),
    {
      panelItems: (lot) => intake.panelItems(lot),
      samplingLevel: (supplier) => intake.sampling(supplier).level,
      inspectionFailed: (w, supplier, why) => intake.recordFailure(w, supplier, why),
      inspectionPassed: (w, supplier, why) => intake.recordPass(w, supplier, why),
      swabPositive: (w, result, sample) => env.raise(w, result, sample),
    },
    reads,
    instrumentRules,
  );
  const intake: IntakeService = new IntakeService(
    ledger,
    identity,
    samples,
    (lotCode) => spotChecks.list({ lotCode }),
    (entity, id) => identity.signaturesFor(entity, id).map(signatureView),
    reads,
  );
  const evidenceOfRelease = new ReleaseEvidenceService(ledger, reads);
  const spotChecks: SpotCheckService = new SpotCheckService(ledger, intake, evidenceOfRelease, reads);
  const intakeReports = new AuthorityReports(intake, documents, () => documentZone(company.get(), ledger.timeZone));
  const instruments = new InstrumentsService(ledger, o.connections, instrumentRules, {
    testing,
    identity,
    lots: controls,
  });
  const disposition = new DispositionService(
    ledger,
    identity,
    settings,
    samples,
    testing,
    env,
    controls,
    o.health,
    evidenceOfRelease,
    reads,
  );
  const coa = new CoaService(disposition, {
    signatures: (entity, id) => identity.signaturesFor(entity, id).map(signatureView),
    plantName: () => settings.get().plantName ?? null,
    company: () => company.facts(),
    workstationZone: ledger.timeZone,
    methodLoq: (code) => catalog.active('methods', code)?.loq ?? null,
    personName: (userId) => identity.getUser(userId)?.printed_name ?? userId,
    trace: (lotCode) => traceLot(ledger.db, lotCode, { edges: true }),
    documents,
  });
  const lots = new LotsService(
    ledger,
    identity,
    catalog,
    join(o.dataDir, 'attachments'),
    () => settings.get().lotCodePatterns ?? {},
    controls,
    disposition,
    () => documentZone(company.licence(), ledger.timeZone),
  );
  const drills: DrillsService = new DrillsService(ledger, {
    identity,
    signatures: (entity, id) => identity.signaturesFor(entity, id).map(signatureView),
    lots,
    controls,
    samples,
    documents,
    documentZone: () => documentZone(company.get(), ledger.timeZone),
  });
  const imports = new ImportService(ledger, controls);
  ledger.onCommit((c) => {
    if (c.entities.includes('setting')) settings.invalidate();
  });
  return {
    ledger,
    settings,
    identity,
    sessions,
    catalog,
    specs,
    company,
    controls,
    lots,
    samples,
    testing,
    intake,
    spotChecks,
    intakeReports,
    evidenceOfRelease,
    env,
    instruments,
    disposition,
    coa,
    drills,
    documents,
    imports,
  };
}
