import type { ComponentType } from 'react';
import { HomePage } from '../features/home/home-page';
import { AdminPage } from '../features/admin/admin-page';
import { AuditPage } from '../features/audit/audit-page';
import { AccountPage } from '../features/auth/account-page';
import { SpecificationsPage } from '../features/catalog/specifications-page';
import { SubjectPage } from '../features/catalog/subject-page';
import { SpecEditorPage } from '../features/specs/spec-editor-page';
import { PlaceholderPage, type PlaceholderKey } from '../features/placeholders/placeholder-page';
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
import { SitesPage } from '../features/sites/sites-page';

function placeholder(which: PlaceholderKey): ComponentType {
  const Page = () => <PlaceholderPage which={which} />;
  Page.displayName = `Placeholder(${which})`;
  return Page;
}

/** Page key (first hash segment) → page. Later capabilities replace their placeholder here. */
export const pages: Record<string, ComponentType> = {
  '': HomePage,
  home: HomePage,
  /** #/samples (reception desk), #/samples/<code> (one sample) */
  samples: SamplesSection,
  'sample-list': SampleListPage,
  retention: RetentionPage,
  sites: SitesPage,
  testing: placeholder('testing'),
  /** #/lots (list), #/lots/<code> (one lot) */
  lots: LotsSection,
  receiving: ReceivingPage,
  batches: BatchesPage,
  shipments: ShipmentPage,
  stock: StockPage,
  import: ImportPage,
  /** #/trace?lot=<code> */
  trace: TracePage,
  instruments: placeholder('instruments'),
  specifications: SpecificationsPage,
  /** #/catalog/product/<id>, #/catalog/material/<id> */
  catalog: SubjectPage,
  /** #/specs/version/<id> */
  specs: SpecEditorPage,
  audit: AuditPage,
  admin: AdminPage,
  account: AccountPage,
};
