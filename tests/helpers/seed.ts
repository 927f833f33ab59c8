import {
  composeServices,
  findResourcesDir,
  idleConnections,
  verificationHealth,
  type Services,
} from '../../src/main/app/compose';
import type { CatalogService } from '../../src/main/catalog/catalog-service';
import { openDatabase } from '../../src/main/db/store';
import { AnchorStore } from '../../src/main/ledger/anchor';
import { loadHostKey, passphraseProtector } from '../../src/main/ledger/keys';
import type { Ledger } from '../../src/main/ledger/ledger';

/** Services of a ledger opened by a test, from the one composition root (as every host). */
export function servicesOf(ledger: Ledger, dataDir: string): Services {
  return composeServices(ledger, {
    dataDir,
    resourcesDir: findResourcesDir(),
    pdf: null,
    connections: idleConnections(),
    health: verificationHealth(ledger),
  });
}

/** The catalogue the import fixtures (tests/fixtures/import/ok) name: an import refuses unknown item codes. */
export function seedImportCatalog(catalog: CatalogService, actor = { id: 'qa.test', name: 'QA Test' }): void {
  const material = (code: string, name: string, kind: 'raw_milk' | 'ingredient' | 'packaging', unit: string) =>
    catalog.save(actor, 'materials', {
      fields: { code, nameZh: name, nameEn: name, kind, defaultUnit: unit } as never,
    });
  const product = (code: string, name: string, stage: string) =>
    catalog.save(actor, 'products', {
      fields: {
        code,
        nameZh: name,
        nameEn: name,
        stage,
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 720,
        packSizes: [],
      } as never,
    });
  material('RAWMILK', 'Raw cow milk', 'raw_milk', 'kg');
  material('LACTOSE', 'Lactose', 'ingredient', 'kg');
  material('CAN800', '800 g can', 'packaging', 'can');
  product('BASE1', 'Base powder stage 1', 'other_dairy');
  product('IMF1-800', 'Stage 1 formula 800 g', 'infant');
}

/** Seeds the import catalogue into a database the CLI created (opened with the CLI's own key). */
export function seedImportCatalogFile(
  dbFile: string,
  dataDir: string,
  opts: { passphrase?: string; historyMigration?: boolean } = {},
): void {
  const passphrase = opts.passphrase ?? 'cli-test-passphrase';
  const key = loadHostKey(dataDir, 'cli', passphraseProtector(passphrase));
  const ledger = openDatabase(dbFile, {
    key,
    workstation: 'cli@test',
    timeZone: 'Asia/Shanghai',
    anchors: AnchorStore.forDataDir(dataDir),
  });
  try {
    const services = servicesOf(ledger, dataDir);
    seedImportCatalog(services.catalog, { id: 'admin', name: 'admin' });
    if (opts.historyMigration) setGoLive(services, goLiveNextYear(services));
  } finally {
    ledger.db.close();
  }
}

/** A go-live date a year after the database's creation: imports until then are the migration of ERP history. */
export function goLiveNextYear(services: Services): string {
  const d = new Date(`${services.controls.creationDate()}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

/** Sets the go-live date as an administrator would (a recorded settings change). */
export function setGoLive(services: Services, date: string | null, actor = { id: 'admin', name: 'admin' }): void {
  services.ledger.write(actor, (w) => {
    services.controls.checkGoLiveChange(date);
    services.settings.set(w, { ...services.settings.get(), goLiveDate: date }, 'go-live date for the test');
  });
}
