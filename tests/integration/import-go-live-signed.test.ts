/**
 * D-065: the ERP import's exemption from the signed-change rules holds only for history. A lot
 * created `accepted` / `released` / `rejected` with `origin: import` needs no signature when its
 * `lot_date` is before the go-live date in force at its creation; dated on or after it, it is a
 * live lot and needs the QA manager's signature (`lot.import_live_*`) — refused by the write
 * path, reported by both verifiers. Here: an import of the ERP's history still writes and
 * verifies clean (lotseal's verifier and the standalone Python one), and the write path refuses
 * a decided "imported" lot dated on or after the go-live date, whether that date is the
 * setting's or the database's creation date.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../src/main/app/compose';
import { createDatabase } from '../../src/main/db/store';
import { createHostKey, passphraseProtector } from '../../src/main/ledger/keys';
import type { Ledger } from '../../src/main/ledger/ledger';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { L } from '../../src/main/lots/entities';
import '../../src/main/catalog/entities';
import { AppErrorException } from '../../src/shared/contract/errors';
import { tempDir } from '../helpers/core';
import { runVerifier } from '../helpers/python';
import { goLiveNextYear, seedImportCatalog, servicesOf, setGoLive } from '../helpers/seed';
import { SKEW_MS } from '../fixtures/ledger-helpers';

const OK = join(__dirname, '..', 'fixtures', 'import', 'ok');
const kinds = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'] as const;
const actor = { id: 'prod1', name: 'Zhang Wei' };

describe('the import exemption holds for history only (D-065)', () => {
  let t: { dir: string; cleanup: () => void };
  let ledger: Ledger;
  let services: Services;
  let file: string;

  beforeEach(() => {
    t = tempDir('lotseal-golive-');
    const key = createHostKey(
      join(t.dir, 'data'),
      'cli',
      'test-host',
      passphraseProtector('test-passphrase'),
      Date.now() - 60_000,
    );
    file = join(t.dir, 'x.db');
    ledger = createDatabase(file, { key, workstation: 'cli@test', timeZone: 'Asia/Shanghai', anchors: null });
    services = servicesOf(ledger, t.dir);
    seedImportCatalog(services.catalog);
  });
  afterEach(() => {
    ledger.db.close();
    t.cleanup();
  });

  /** Both verifiers' findings (kind, seq, entity, id) on the database as it stands. */
  async function verifyBoth(): Promise<{ ts: string[]; py: string[] }> {
    ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const ts = await verifyDatabase(ledger.db, { skewMs: SKEW_MS, anchor: null });
    const py = await runVerifier(['--db', file, '--no-anchor', '--no-manifest']);
    const loci = (fs: Array<{ kind: string; seq: number | null; entity: string | null; id: string | null }>) =>
      fs.map((f) => JSON.stringify([f.kind, f.seq, f.entity, f.id])).sort();
    return { ts: loci(ts.findings), py: loci(py.report.findings) };
  }

  /** A finished lot as the import writes it, created `status` and dated `lotDate`. */
  const importedLot = (code: string, lotDate: string, status = 'released') => ({
    code,
    kind: 'finished',
    item_code: 'IMF1-800',
    item_name: 'Stage 1 formula 800 g',
    quantity: '8000',
    unit: 'can',
    lot_date: lotDate,
    supplier_code: null,
    supplier_lot: null,
    expiry_date: '2099-12-31',
    location: null,
    status,
    origin: 'import',
    receipt_id: null,
    batch_id: null,
  });

  /** The write path's refusal of a change, as a value. */
  function refusal(fn: () => void): { code: string; rule: unknown } | null {
    try {
      fn();
      return null;
    } catch (e) {
      if (!(e instanceof AppErrorException)) throw e;
      return { code: e.error.code, rule: e.error.details?.['rule'] };
    }
  }

  it('an import of the ERP history (lots released and accepted before go-live) writes and verifies clean in both verifiers', async () => {
    setGoLive(services, goLiveNextYear(services));
    cpSync(OK, join(t.dir, 'csv'), { recursive: true });
    const files = Object.fromEntries(kinds.map((k) => [k, join(t.dir, 'csv', `${k}.csv`)]));
    const r = await services.imports.run(actor, files, { stagingDir: t.dir });
    expect(r.errors).toEqual([]);
    // The exemption is exercised: decided lots were created by the import, unsigned.
    const decided = ledger.db
      .prepare(
        "SELECT count(*) AS n FROM lot WHERE origin = 'import' AND status IN ('accepted', 'released', 'rejected')",
      )
      .get() as { n: number };
    expect(decided.n).toBeGreaterThan(0);
    expect(ledger.db.prepare("SELECT count(*) AS n FROM signature WHERE entity = 'lot'").get()).toEqual({ n: 0 });
    expect(await verifyBoth()).toEqual({ ts: [], py: [] });
  });

  it('the write path refuses an "imported" lot created released on or after the go-live date set, and allows one before it', async () => {
    setGoLive(services, '2026-06-01');
    const head = ledger.head();
    expect(
      refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-LIVE', '2026-06-01T08:00:00+08:00')))),
    ).toEqual({ code: 'signature_required', rule: 'lot.import_live_released' });
    expect(
      refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-LIVE-R', '2026-07-01', 'rejected')))),
    ).toEqual({ code: 'signature_required', rule: 'lot.import_live_rejected' });
    expect(ledger.head()).toEqual(head);
    // History (the day before go-live) and an undecided live lot are written unsigned.
    expect(refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-HIST', '2026-05-31'))))).toBeNull();
    expect(
      refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-Q', '2026-06-02', 'quarantine')))),
    ).toBeNull();
    // The go-live date in force at the change: moved earlier in the same transaction, it applies.
    expect(
      refusal(() =>
        ledger.write({ id: 'admin', name: 'admin' }, (w) => {
          services.settings.set(w, { ...services.settings.get(), goLiveDate: '2026-04-01' }, 'earlier go-live');
          w.create(L.lot, importedLot('FG-APR', '2026-05-01'));
        }),
      ),
    ).toEqual({ code: 'signature_required', rule: 'lot.import_live_released' });
    services.settings.invalidate();
    expect(await verifyBoth()).toEqual({ ts: [], py: [] });
  });

  it('without a go-live date set, the database creation date (local, the entry’s zone) is the boundary', async () => {
    const today = services.controls.creationDate();
    expect(services.controls.goLiveDate()).toBe(today);
    expect(
      refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-TODAY', `${today} 00:00`)))),
    ).toEqual({ code: 'signature_required', rule: 'lot.import_live_released' });
    expect(
      refusal(() => ledger.write(actor, (w) => w.create(L.lot, importedLot('FG-OLD', '2020-01-01', 'accepted')))),
    ).toBeNull();
    expect(await verifyBoth()).toEqual({ ts: [], py: [] });
  });
});
