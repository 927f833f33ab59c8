import type { ComponentType } from 'react';
import { HomePage } from './home/home-page';
import { SetupGuidePage } from './setup-guide/guide-page';
import { AdminPage } from '../features/admin/admin-page';
import { AuditPage } from '../features/audit/audit-page';
import { AccountPage } from '../features/identity/account-page';
import { SpecificationsPage } from '../features/catalog/specifications-page';
import { SubjectPage } from '../features/catalog/subject-page';
import { SpecEditorPage } from '../features/catalog/specs/spec-editor-page';
import { LotsSection } from '../features/lots/lots-page';
import { ReceivingPage } from '../features/lots/receiving-page';
import { BatchesPage } from '../features/lots/batches-page';
import { ShipmentPage } from '../features/lots/shipment-page';
import { StockPage } from '../features/lots/stock-page';
import { TracePage } from '../features/trace/trace-page';
import { ImportPage } from '../features/import/import-page';
import { SamplesSection } from '../features/samples/samples-section';
import { SampleListPage } from '../features/samples/sample-list-page';
import { RetentionPage } from '../features/samples/retention-page';
import { SitesPage } from '../features/samples/sites/sites-page';
import { TestingSection } from '../features/testing/testing-section';
import { ReviewSection } from '../features/testing/review/review-section';
import { OosSection } from '../features/testing/oos/oos-section';
import { TrendsPage } from '../features/testing/trends/trends-page';
import { IntakeSection } from '../features/intake/intake-section';
import { AppealsSection } from '../features/intake/appeals-section';
import { SupplierPerformancePage } from '../features/intake/supplier-performance-page';
import { EnvironmentSection } from '../features/environment/environment-section';
import { InstrumentsSection } from '../features/instruments/instruments-section';
import { DispositionSection } from '../features/disposition/disposition-section';
import { DrillsSection } from '../features/recall/drills-section';
import { LabelValuesPage } from '../features/release-evidence/label-values-page';

/** Page key (first hash segment) → page. Later capabilities replace their placeholder here. */
export const pages: Record<string, ComponentType> = {
  '': HomePage,
  home: HomePage,
  /** #/setup-guide?step=company|lines|products|specification|users|firstLot (开工向导) */
  'setup-guide': SetupGuidePage,
  /** #/samples (reception desk), #/samples/<code> (one sample) */
  samples: SamplesSection,
  'sample-list': SampleListPage,
  retention: RetentionPage,
  sites: SitesPage,
  /** #/testing (worklist), #/testing/sample/<code> (entry grid), #/testing/methods (replicate rules) */
  testing: TestingSection,
  /** #/review (queue), #/review/<sampleCode> (second-person review of one sample) */
  review: ReviewSection,
  /** #/oos?status=… (list), #/oos/<code> (one investigation) */
  oos: OosSection,
  /** #/trends?product=<code>&item=<code>&highlight=<resultId> */
  trends: TrendsPage,
  /** #/intake (bench queue), #/intake/<lotCode> (tanker intake and decision), #/intake/panels */
  intake: IntakeSection,
  /** #/appeals?lot=<code>&new=1, #/appeals/calendar (working days) */
  appeals: AppealsSection,
  /** #/suppliers?supplier=<code>&history=<code> (performance, sampling level) */
  suppliers: SupplierPerformancePage,
  /** #/environment (alerts), #/environment?tab=heatmap, #/environment/<code> (one alert) */
  environment: EnvironmentSection,
  /** #/lots (list), #/lots/<code> (one lot) */
  lots: LotsSection,
  receiving: ReceivingPage,
  batches: BatchesPage,
  shipments: ShipmentPage,
  stock: StockPage,
  import: ImportPage,
  /** #/trace?lot=<code> */
  trace: TracePage,
  /** #/drills (drills and recalls), #/drills/programme?year=…, #/drills/<code> (one drill or recall) */
  drills: DrillsSection,
  /** #/instruments (list, live status), #/instruments/new, #/instruments/<id>?tab=… (one instrument) */
  instruments: InstrumentsSection,
  /** #/release (release queue), #/release/<lotCode> (checklist, decisions, audit review, COA, dossier) */
  release: DispositionSection,
  specifications: SpecificationsPage,
  /** #/labels?product=<code> (declared label values 标示值, the rule applied, retention profile) */
  labels: LabelValuesPage,
  /** #/catalog/product/<id>, #/catalog/material/<id> */
  catalog: SubjectPage,
  /** #/specs/version/<id> */
  specs: SpecEditorPage,
  audit: AuditPage,
  admin: AdminPage,
  account: AccountPage,
};
