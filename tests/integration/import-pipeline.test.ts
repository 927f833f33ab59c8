import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/main/db/store';
import type { ImportReport } from '../../src/main/import/import-files';
import type { Services } from '../../src/main/app/compose';
import { goLiveNextYear, seedImportCatalog, servicesOf, setGoLive } from '../helpers/seed';
import { createHostKey, passphraseProtector } from '../../src/main/ledger/keys';
import type { Ledger } from '../../src/main/ledger/ledger';
import '../../src/main/lots/entities';
import '../../src/main/catalog/entities';
import { tempDir } from '../helpers/core';

const OK = join(__dirname, '..', 'fixtures', 'import', 'ok');
const kinds = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'] as const;
const actor = { id: 'prod1', name: 'Zhang Wei' };

describe('ERP import pipeline', () => {
  let t: { dir: string; cleanup: () => void };
  let ledger: Ledger;
  let files: Record<(typeof kinds)[number], string>;
  let services: Services;

  beforeEach(() => {
    t = tempDir('lotseal-import-');
    const key = createHostKey(
      join(t.dir, 'data'),
      'cli',
      'test-host',
      passphraseProtector('test-passphrase'),
      Date.now() - 60_000,
    );
    ledger = createDatabase(join(t.dir, 'x.db'), {
      key,
      workstation: 'cli@test',
      timeZone: 'Asia/Shanghai',
      anchors: null,
    });
    services = servicesOf(ledger, t.dir);
    seedImportCatalog(services.catalog);
    // The fixture is the ERP's history, migrated before the go-live date (its suppliers come
    // approved, its lots with the ERP's status); tests/integration/import-controls.test.ts
    // covers live records.
    setGoLive(services, goLiveNextYear(services));
    cpSync(OK, join(t.dir, 'csv'), { recursive: true });
    files = Object.fromEntries(kinds.map((k) => [k, join(t.dir, 'csv', `${k}.csv`)])) as typeof files;
  });
  afterEach(() => {
    ledger.db.close();
    t.cleanup();
  });

  const run = (f: Partial<typeof files> = files, correctionReason?: string): Promise<ImportReport> =>
    services.imports.run(actor, f, { stagingDir: t.dir, ...(correctionReason ? { correctionReason } : {}) });
  const count = (table: string): number =>
    (ledger.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const edit = (kind: keyof typeof files, fn: (text: string) => string): void =>
    writeFileSync(files[kind], fn(readFileSync(files[kind], 'utf8')));

  /** Imports, expects exactly one error like `want`, and that nothing was written. */
  async function refused(
    want: { file: string; row: number; column: string | null; code: string },
    f: Partial<typeof files> = files,
  ): Promise<ImportReport> {
    const head = ledger.head();
    const r = await run(f);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => ({ file: e.file, row: e.row, column: e.column, code: e.code }))).toContainEqual(want);
    for (const e of r.errors) expect(typeof e.message).toBe('string');
    expect(ledger.head()).toEqual(head);
    expect(
      count('lot') + count('consumption') + count('shipment') + count('stock_movement') + count('import_run'),
    ).toBe(0);
    return r;
  }

  it('imports the six files in one transaction with origin import, and the import_run names each file and its SHA-256', async () => {
    const head = ledger.head();
    const r = await run();
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.inserted).toEqual({ suppliers: 3, customers: 2, lots: 6, consumption: 5, shipments: 2, stock: 4 });
    expect(r.unchanged).toEqual({ suppliers: 0, customers: 0, lots: 0, consumption: 0, shipments: 0, stock: 0 });
    const checkpoints = ledger.db.prepare('SELECT count(*) AS n FROM checkpoint WHERE seq > ?').get(head.seq) as {
      n: number;
    };
    expect(checkpoints.n).toBe(1);
    expect(ledger.db.prepare('SELECT DISTINCT origin FROM lot').all()).toEqual([{ origin: 'import' }]);
    expect(ledger.db.prepare("SELECT status FROM lot WHERE code = 'RM-20260301-001'").get()).toEqual({
      status: 'accepted',
    });
    expect(ledger.db.prepare("SELECT status FROM lot WHERE code = 'IB-20260302-01'").get()).toEqual({
      status: 'released',
    });
    expect(ledger.db.prepare("SELECT name FROM customer WHERE code = 'C002'").get()).toEqual({ name: '母婴店 北京' });
    const runRow = ledger.db.prepare('SELECT files FROM import_run').get() as { files: string };
    expect(JSON.parse(runRow.files).lots.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a missing column is an error naming the file and the column', async () => {
    edit('lots', (s) => s.replace('item_name,', '').replace(/^([^,]*,[^,]*,[^,]*,)[^,]*,/gm, (m, a: string) => a));
    await refused({ file: 'lots.csv', row: 0, column: 'item_name', code: 'missing_column' });
  });

  it('an unknown column and a duplicate column are errors naming the file and the column', async () => {
    edit('suppliers', (s) =>
      s.replace('approved\n', 'approved,colour\n').replace(/yes\n/g, 'yes,red\n').replace(/,\n/g, ',,red\n'),
    );
    await refused({ file: 'suppliers.csv', row: 0, column: 'colour', code: 'unknown_column' });
    edit('suppliers', () => 'supplier_code,name,kind,name\nF001,a,farm,b\n');
    await refused({ file: 'suppliers.csv', row: 0, column: 'name', code: 'duplicate_column' });
  });

  it('a bad date is an error on its row and column', async () => {
    edit('lots', (s) => s.replace('2026-02-20,S010', '2026-02-30,S010'));
    const r = await refused({ file: 'lots.csv', row: 3, column: 'date', code: 'bad_date' });
    expect(r.errors[0]!.message).toContain('2026-02-30');
  });

  it('a negative quantity is refused (only a stock adjustment is signed)', async () => {
    edit('shipments', (s) => s.replace(',3000,can', ',-3000,can'));
    await refused({ file: 'shipments.csv', row: 1, column: 'quantity', code: 'negative_quantity' });
  });

  it('an unknown supplier is refused', async () => {
    edit('lots', (s) => s.replace('1000,kg,2026-02-20,S010', '1000,kg,2026-02-20,S999'));
    await refused({ file: 'lots.csv', row: 3, column: 'supplier_code', code: 'unknown_supplier' });
  });

  it('a unit across dimensions is refused (kg into a lot counted in cans)', async () => {
    edit('consumption', (s) => s.replace('PK-CAN-0001,FG-20260303-01,8000,can', 'PK-CAN-0001,FG-20260303-01,80,kg'));
    const r = await refused({ file: 'consumption.csv', row: 5, column: 'unit', code: 'unit_dimension' });
    expect(r.errors.find((e) => e.code === 'unit_dimension')!.message).toContain('PK-CAN-0001');
  });

  it('a cycle in the genealogy is refused and the error names the lots on it', async () => {
    edit('consumption', (s) => `${s}FG-20260303-01,IB-20260302-01,1,kg,2026-03-04\n`);
    const r = await refused({ file: 'consumption.csv', row: 4, column: 'input_lot', code: 'cycle' });
    const msg = r.errors.find((e) => e.code === 'cycle')!.message;
    expect(msg).toContain('IB-20260302-01 → FG-20260303-01 → IB-20260302-01');
  });

  it('a cycle through a stored edge is found too', async () => {
    expect((await run()).ok).toBe(true);
    const extra = join(t.dir, 'more.csv');
    writeFileSync(extra, 'input_lot,output_lot,quantity,unit,date\nFG-20260303-01,IB-20260302-01,1,can,2026-03-09\n');
    const r = await run({ consumption: extra });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.code)).toContain('cycle');
  });

  it('a GBK file is refused with a message that says it is not UTF-8', async () => {
    // "北京" in GBK: B1 B1 BE A9
    const gbk = Buffer.concat([
      Buffer.from('customer_code,name\nC003,'),
      Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]),
      Buffer.from('\n'),
    ]);
    writeFileSync(files.customers, gbk);
    const r = await refused({ file: 'customers.csv', row: 0, column: null, code: 'not_utf8' });
    expect(r.errors[0]!.message).toMatch(/not valid UTF-8/);
    expect(r.errors[0]!.message).toMatch(/GBK/);
  });

  it('the same key twice with different content is an error naming both rows', async () => {
    edit('shipments', (s) => `${s}SH-0001,FG-20260303-01,C001,3001,can,2026-03-05\n`);
    const r = await refused({ file: 'shipments.csv', row: 3, column: 'shipment_code', code: 'duplicate_key' });
    const e = r.errors.find((x) => x.code === 'duplicate_key')!;
    expect(e.message).toContain('row 1');
    expect(e.details).toMatchObject({ other: 1 });
  });

  it('the same row twice with the same content is written once', async () => {
    edit('stock', (s) => `${s}FG-20260303-01,sample,12,can,2026-03-03\n`);
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.inserted.stock).toBe(4);
    expect(r.duplicates.stock).toBe(1);
  });

  it('running quantity: the row that takes a lot over its quantity (by date, after unit conversion) is the error', async () => {
    // FG-20260303-01: 8000 cans; shipped 3000 + 2500; a third shipment of 2600 dated
    // between the two crosses only once the later one is counted: the later row is blamed.
    edit('shipments', (s) => `${s}SH-0003,FG-20260303-01,C001,2600,can,2026-03-05T12:00:00+08:00\n`);
    const r = await refused({ file: 'shipments.csv', row: 2, column: 'quantity', code: 'quantity_exceeded' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toContain('8100');
  });

  it('running quantity counts what is already stored', async () => {
    expect((await run()).ok).toBe(true);
    const more = join(t.dir, 'ship2.csv');
    writeFileSync(
      more,
      'shipment_code,lot_code,customer_code,quantity,unit,date\nSH-0009,FG-20260303-01,C002,2501,can,2026-03-20\n',
    );
    const head = ledger.head();
    const r = await run({ shipments: more });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ file: 'ship2.csv', row: 1, column: 'quantity', code: 'quantity_exceeded' });
    expect(ledger.head()).toEqual(head);
  });

  it('re-import is a no-op: nothing written, every row counted as unchanged', async () => {
    expect((await run()).ok).toBe(true);
    const head = ledger.head();
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.inserted).toEqual({ suppliers: 0, customers: 0, lots: 0, consumption: 0, shipments: 0, stock: 0 });
    expect(r.unchanged).toEqual({ suppliers: 3, customers: 2, lots: 6, consumption: 5, shipments: 2, stock: 4 });
    expect(ledger.head()).toEqual(head);
  });

  it('a changed row is refused without a correction reason, and recorded with it in the audit trail', async () => {
    expect((await run()).ok).toBe(true);
    edit('lots', (s) =>
      s.replace('ING-LAC-0001,ingredient,LACTOSE,Lactose,1000,kg', 'ING-LAC-0001,ingredient,LACTOSE,Lactose,1200,kg'),
    );
    const head = ledger.head();
    const r = await run();
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'lots.csv', row: 3, column: 'quantity', code: 'changed_without_reason' });
    expect(r.errors[0]!.message).toContain('1000 → 1200');
    expect(ledger.head()).toEqual(head);

    const fixed = await run(files, 'ERP correction: weighbridge ticket 4471');
    expect(fixed.ok).toBe(true);
    expect(fixed.corrected.lots).toBe(1);
    expect(fixed.unchanged.lots).toBe(5);
    const lot = ledger.db.prepare("SELECT id, quantity, rev FROM lot WHERE code = 'ING-LAC-0001'").get() as {
      id: string;
      quantity: string;
      rev: number;
    };
    expect(lot).toMatchObject({ quantity: '1200', rev: 2 });
    const entry = ledger.db
      .prepare(
        "SELECT action, reason, actor FROM audit_entry WHERE entity = 'lot' AND entity_id = ? ORDER BY seq DESC LIMIT 1",
      )
      .get(lot.id);
    expect(entry).toEqual({ action: 'update', reason: 'ERP correction: weighbridge ticket 4471', actor: 'prod1' });
    expect(
      ledger.db.prepare('SELECT correction_reason FROM import_run ORDER BY started_at DESC LIMIT 1').get(),
    ).toEqual({
      correction_reason: 'ERP correction: weighbridge ticket 4471',
    });
  });

  it('lists every error of every file, and caps the list with a note row', async () => {
    const lines = ['input_lot,output_lot,quantity,unit,date'];
    for (let i = 0; i < 1_200; i++) lines.push(`X-${i},Y-${i},-1,kg,2026-13-01`);
    writeFileSync(files.consumption, `${lines.join('\n')}\n`);
    const r = await run();
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1_001);
    expect(r.errors[1_000]!.code).toBe('too_many_errors');
    expect(r.error_count).toBe(2_400); // two errors a row: negative quantity and bad date
  });

  it('a mid-size import (50,000 consumption rows) completes and the counts match', async () => {
    const lots = ['lot_code,kind,item_code,item_name,quantity,unit,date,supplier_code'];
    const cons = ['input_lot,output_lot,quantity,unit,date'];
    for (let i = 0; i < 5_000; i++)
      lots.push(`RM-${i},raw_milk,RAWMILK,Raw milk,25000,kg,2026-01-01T06:00:00+08:00,F001`);
    for (let j = 0; j < 500; j++) lots.push(`IB-${j},intermediate,BASE1,Base,100000,kg,2026-01-02,`);
    for (let k = 0; k < 50_000; k++)
      cons.push(
        `RM-${k % 5_000},IB-${Math.floor(k / 100)},${(k % 7) + 1}.5,kg,2026-01-02T${String(k % 24).padStart(2, '0')}:00:00+08:00`,
      );
    writeFileSync(files.lots, `${lots.join('\n')}\n`);
    writeFileSync(files.consumption, `${cons.join('\n')}\n`);
    const r = await run({ suppliers: files.suppliers, lots: files.lots, consumption: files.consumption });
    expect(r.errors).toEqual([]);
    expect(r.inserted).toEqual({ suppliers: 3, lots: 5_500, consumption: 50_000 });
    expect(count('consumption')).toBe(50_000);
  }); // a cap for a loaded machine (it ran 46–55 s at load 40–45, 9 s on a quiet one), not a speed figure
});
