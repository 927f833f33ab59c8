import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/main/import/import-files';
import { translate } from '../../src/shared/i18n';
import { lotsealAsync } from '../helpers/cli';
import { untilJobFinished } from '../fixtures/plant';
import { ADMIN_PASSWORD, ADMIN_SIGNATURE } from '../helpers/core';
import { controlsWorld, errKey, sign, type ControlsWorld } from '../helpers/controls-world';

/**
 * Issue 19: each bypass the issue reports, attempted through the contract, the CLI and the
 * import, refused with a clear message in the user's language, and nothing written.
 */
describe('controls that hold on every path (issue 19)', () => {
  let w: ControlsWorld;
  let dir: string;
  let ig: string;
  let live: string; // a finished lot awaiting release (on hold), made in LotSeal
  let released: string; // a finished lot released in LotSeal
  let pw: string;
  let db: string;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

  beforeAll(async () => {
    w = await controlsWorld();
    dir = mkdtempSync(join(w.app.dir, 'csv-'));
    ig = await w.ingredient('5000');
    live = await w.finished(ig, '800', { release: false });
    released = await w.finished(ig, '800');
    pw = join(w.app.dir, 'prod-password.txt');
    writeFileSync(pw, 'user-password-01\n');
    db = join(w.app.dir, 'lotseal.db');
    const apw = join(w.app.dir, 'admin-password.txt');
    writeFileSync(apw, `${ADMIN_PASSWORD}\n`);
    // This machine's CLI key, registered once by an administrator.
    const reg = await lotsealAsync(['--db', db, 'user', 'list', '--user', 'admin', '--password-file', apw, '--json'], {
      dataDir: w.app.dir,
    });
    expect(reg.code, reg.stderr).toBe(0);
  });
  afterAll(() => w.app.close());

  const csv = (name: string, rows: string[]) => {
    const f = join(dir, name);
    writeFileSync(f, `${rows.join('\n')}\n`);
    return f;
  };
  const lotRow = (code: string) => w.app.core.need().lots.mustLot(code);
  const lotLine = (code: string, over: Record<string, string> = {}) => {
    const r = lotRow(code);
    const v = {
      lot_code: code,
      kind: r['kind'] as string,
      item_code: r['item_code'] as string,
      item_name: r['item_name'] as string,
      quantity: r['quantity'] as string,
      unit: r['unit'] as string,
      date: r['lot_date'] as string,
      ...over,
    };
    return v;
  };
  const lotsCsv = (rows: Array<Record<string, string>>, cols = Object.keys(rows[0]!)) =>
    csv(`lots-${Math.random().toString(16).slice(2)}.csv`, [
      cols.join(','),
      ...rows.map((r) => cols.map((c) => r[c] ?? '').join(',')),
    ]);

  /** The import through its three paths: the composition root's service (as the CLI runs it), `lotseal import`, and the app's upload. */
  async function everyPath(
    files: Partial<Record<'suppliers' | 'lots' | 'shipments' | 'stock', string>>,
    reason: string | undefined,
  ): Promise<Array<{ path: string; errors: Array<[string, number, string | null, string]>; message: string }>> {
    const out: Array<{ path: string; errors: Array<[string, number, string | null, string]>; message: string }> = [];
    const pick = (r: Pick<ImportReport, 'errors'>) =>
      r.errors.map((e) => [e.file, e.row, e.column || null, e.code] as [string, number, string | null, string]);
    const head = w.head();
    const svc = await w.app.core.need().imports.run({ id: 'prod.wu', name: 'User prod.wu' }, files, {
      stagingDir: dir,
      ...(reason ? { correctionReason: reason } : {}),
    });
    out.push({ path: 'service', errors: pick(svc), message: svc.errors[0]?.message ?? '' });
    expect(w.head()).toEqual(head);
    const args = ['--db', db, 'import', '--user', 'prod.wu', '--password-file', pw, '--json', '--staging-dir', dir];
    for (const [k, f] of Object.entries(files)) args.push(`--${k}`, f);
    if (reason) args.push('--correction-reason', reason);
    const cli = await lotsealAsync(args, { dataDir: w.app.dir });
    expect(cli.code, cli.stderr).toBe(1);
    const cj = JSON.parse(cli.stdout) as ImportReport;
    out.push({ path: 'cli', errors: pick(cj), message: cj.errors[0]?.message ?? '' });
    expect(w.head()).toEqual(head);
    // The app: upload, then import (not a dry run) — refused all the same, nothing written.
    let uploadId: string | undefined;
    for (const [k, f] of Object.entries(files)) {
      const { readFileSync } = await import('node:fs');
      const up = await w.app.ok(w.prod, 'import.upload', {
        ...(uploadId ? { uploadId } : {}),
        file: k as 'lots',
        fileName: `${k}.csv`,
        chunkBase64: b64(readFileSync(f, 'utf8')),
        final: true,
      });
      uploadId = up.uploadId;
    }
    // Waits for the import job's `finished` event, not for a timer.
    const job = await untilJobFinished(w.app.member(w.prod).link, 'import', () =>
      w.app.ok(w.prod, 'import.start', {
        uploadId: uploadId!,
        dryRun: false,
        ...(reason ? { correctionReason: reason } : {}),
      }),
    );
    expect((await w.app.ok(w.prod, 'import.result', { jobId: job.jobId })).done).toBe(true);
    const app = (await w.app.ok(w.prod, 'import.result', { jobId: job.jobId })).report!;
    out.push({
      path: 'app',
      // The app stores each upload as <kind>.csv: name it back as the person chose it.
      errors: app.errors.map(
        (e) =>
          [
            Object.entries(files)
              .find(([k]) => `${k}.csv` === e.file)?.[1]
              .split('/')
              .pop() ?? e.file,
            e.row,
            e.column || null,
            e.code ?? '',
          ] as [string, number, string | null, string],
      ),
      message: app.errors[0]?.message ?? '',
    });
    expect(w.head()).toEqual(head);
    return out;
  }

  function sameOnEveryPath(
    r: Awaited<ReturnType<typeof everyPath>>,
    want: Array<[string, number, string | null, string]>,
  ): void {
    for (const p of r) expect(p.errors, p.path).toEqual(want);
  }

  it('an ERP import cannot release a lot QA holds, with or without a correction reason', async () => {
    const f = lotsCsv([lotLine(live, { status: 'released' })]);
    const name = f.split('/').pop()!;
    for (const reason of [undefined, 'ERP says released']) {
      const r = await everyPath({ lots: f }, reason);
      sameOnEveryPath(r, [[name, 1, 'status', 'status_decided_by_qa']]);
      expect(r[0]!.message).toContain('Decided in LotSeal by QA');
    }
    expect(lotRow(live)['status']).toBe('on_hold');
    // In the user's language.
    expect(
      translate('zh-CN', 'import.status_decided_by_qa', { lot: live, stored: 'on_hold', value: 'released' }),
    ).toContain('由质量部在 LotSeal 中决定');
  });

  it('a new lot dated on or after the go-live date enters quarantine / on hold; a status saying otherwise is an error; history keeps the ERP status', async () => {
    const r = await everyPath(
      {
        lots: lotsCsv(
          [
            {
              lot_code: 'FG-ERP-LIVE',
              kind: 'finished',
              item_code: 'WMP',
              item_name: 'WMP',
              quantity: '100',
              unit: 'kg',
              date: w.today,
              status: 'released',
            },
          ],
          ['lot_code', 'kind', 'item_code', 'item_name', 'quantity', 'unit', 'date', 'status'],
        ),
      },
      undefined,
    );
    expect(r.map((p) => p.errors.map((e) => [e[1], e[2], e[3]]))).toEqual([
      [[1, 'status', 'status_after_go_live']],
      [[1, 'status', 'status_after_go_live']],
      [[1, 'status', 'status_after_go_live']],
    ]);
    // Without a status: it enters on hold, LotSeal decides. Dated before the go-live date: history.
    const ok = await w.app.core.need().imports.run(
      { id: 'prod.wu', name: 'User prod.wu' },
      {
        lots: lotsCsv(
          [
            {
              lot_code: 'FG-ERP-NEW',
              kind: 'finished',
              item_code: 'WMP',
              item_name: 'WMP',
              quantity: '100',
              unit: 'kg',
              date: w.today,
              status: '',
            },
            {
              lot_code: 'FG-ERP-OLD',
              kind: 'finished',
              item_code: 'WMP',
              item_name: 'WMP',
              quantity: '100',
              unit: 'kg',
              date: '2020-01-01',
              status: 'released',
            },
          ],
          ['lot_code', 'kind', 'item_code', 'item_name', 'quantity', 'unit', 'date', 'status'],
        ),
      },
      { stagingDir: dir },
    );
    expect(ok.errors).toEqual([]);
    expect(lotRow('FG-ERP-NEW')['status']).toBe('on_hold');
    expect(lotRow('FG-ERP-OLD')['status']).toBe('released');
    expect((await w.app.ok(w.qa, 'lots.get', { code: 'FG-ERP-OLD' })).lot.decision?.standing).toBe('history');
    // A live lot's readiness: imported without genealogy, its inputs line fails and says so.
    const rd = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: 'FG-ERP-NEW' });
    const inputs = rd.lines.find((l) => l.key === 'inputs')!;
    expect(inputs).toMatchObject({ ok: false, details: { inputs: '0' } });
    expect(rd.lines.find((l) => l.key === 'production')!.ok).toBe(true);
  });

  it('an import cannot approve a supplier; from the go-live date a new supplier enters not approved, and its receipts are errors', async () => {
    await w.app.ok(w.qa, 'catalog.suppliers.save', {
      fields: {
        code: 'SUP-X',
        name: '未批准供应商',
        kind: 'ingredient',
        approvalStatus: 'not_approved',
        approvedOn: null,
        lastAuditOn: null,
        nextAuditDue: null,
        contact: null,
        phone: null,
      },
    });
    const sup = csv('suppliers-x.csv', [
      'supplier_code,name,kind,approved',
      'SUP-X,未批准供应商,ingredient,yes',
      'SUP-NEW,新供应商,ingredient,yes',
    ]);
    const r = await everyPath({ suppliers: sup }, 'ERP master data');
    sameOnEveryPath(r, [
      ['suppliers-x.csv', 1, 'approved', 'approval_decided_by_qa'],
      ['suppliers-x.csv', 2, 'approved', 'new_supplier_approval'],
    ]);
    const rec = csv('lots-rec.csv', [
      'lot_code,kind,item_code,item_name,quantity,unit,date,supplier_code',
      `IG-ERP-1,ingredient,WPC80,WPC80,100,kg,${w.today},SUP-X`,
      `IG-ERP-2,ingredient,NOPE,Unknown,100,kg,${w.today},SUP-W`,
      `FG-ERP-2,finished,WPC80,WPC80,100,kg,${w.today},`,
    ]);
    const r2 = await everyPath({ lots: rec }, undefined);
    sameOnEveryPath(r2, [
      ['lots-rec.csv', 1, 'supplier_code', 'supplier_not_approved'],
      ['lots-rec.csv', 2, 'item_code', 'unknown_item'],
      ['lots-rec.csv', 3, 'item_code', 'item_not_product'],
    ]);
    expect(r2[0]!.message).toContain('SUP-X');
    expect(
      (
        w.app.core.need().ledger.db.prepare("SELECT approval_status FROM supplier WHERE code = 'SUP-X'").get() as {
          approval_status: string;
        }
      ).approval_status,
    ).toBe('not_approved');
  });

  it('an import cannot ship a lot that is not released, held or under a recall; returns are bounded by what was shipped', async () => {
    const held = await w.finished(ig, '300');
    await w.app.ok(w.qa, 'disposition.decide', {
      lotCode: held,
      decision: 'hold',
      reason: 'complaint',
      signature: sign('held'),
    });
    const rec = await w.finished(ig, '300');
    await w.app.ok(w.qa, 'drills.start', { mode: 'recall', lotCode: rec, reason: 'complaint' });
    const ship = csv('ship-x.csv', [
      'shipment_code,lot_code,customer_code,quantity,unit,date',
      `SH-E1,${live},C001,1,kg,${w.today}`,
      `SH-E2,${held},C001,1,kg,${w.today}`,
      `SH-E3,${rec},C001,1,kg,${w.today}`,
    ]);
    const r = await everyPath({ shipments: ship }, undefined);
    sameOnEveryPath(r, [
      ['ship-x.csv', 1, 'lot_code', 'ship_not_released'],
      ['ship-x.csv', 2, 'lot_code', 'ship_held'],
      ['ship-x.csv', 3, 'lot_code', 'ship_under_recall'],
    ]);
    // Returns: 800 kg shipped of the released lot; 5 000 kg cannot come back.
    await w.ship('SH-R', released, '800');
    const stock = csv('stock-x.csv', ['lot_code,movement,quantity,unit,date', `${released},return,5000,kg,${w.today}`]);
    const r2 = await everyPath({ stock }, undefined);
    sameOnEveryPath(r2, [['stock-x.csv', 1, 'quantity', 'return_over_shipped']]);
    // The stock screen: the same bound.
    const head = w.head();
    const s = await w.app.call(w.prod, 'stock.record', {
      lotCode: released,
      movement: 'return',
      quantity: '5000',
      unit: 'kg',
      date: w.today,
    });
    expect(errKey(s)).toBe('errors.return_over_shipped');
    expect(w.head()).toEqual(head);
    await w.app.ok(w.prod, 'stock.record', {
      lotCode: released,
      movement: 'return',
      quantity: '800',
      unit: 'kg',
      date: w.today,
    });
    expect(
      errKey(
        await w.app.call(w.prod, 'stock.record', {
          lotCode: released,
          movement: 'return',
          quantity: '1',
          unit: 'kg',
          date: w.today,
        }),
      ),
    ).toBe('errors.return_over_shipped');
  });

  it('a release needs the production batch completed with a quantity above zero', async () => {
    const b = await w.app.ok(w.prod, 'batches.start', {
      line: 'Line 1',
      outputKind: 'finished',
      itemCode: 'WMP',
      unit: 'kg',
    });
    await w.app.ok(w.prod, 'batches.consume', { batchId: b.id, inputLot: ig, quantity: '10', unit: 'kg' });
    const head = w.head();
    const r = await w.app.call(w.qa, 'lots.decide', {
      code: b.output.code,
      decision: 'release',
      reason: 'release',
      signature: sign('released'),
    });
    expect(errKey(r)).toBe('errors.lot_not_produced');
    expect(w.head()).toEqual(head);
    const rd = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: b.output.code });
    expect(rd.lines.find((l) => l.key === 'production')).toMatchObject({
      ok: false,
      details: { batchStatus: 'open', quantity: '0' },
    });
  });

  it('a broken signature stops the lot until a new signed decision (an import correction, and an insider’s edit of the file)', async () => {
    const lot = await w.finished(ig, '600');
    expect((await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.decision?.standing).toBe('signed');
    // The ERP corrects the quantity (allowed, with a reason): the release no longer matches.
    const f = lotsCsv([lotLine(lot, { quantity: '590' })]);
    const rep = await w.app.core.need().imports.run(
      { id: 'prod.wu', name: 'User prod.wu' },
      { lots: f },
      {
        stagingDir: dir,
        correctionReason: 'ERP correction: weighed again',
      },
    );
    expect(rep.errors).toEqual([]);
    const g = await w.app.ok(w.qa, 'lots.get', { code: lot });
    expect(g.lot.decision).toMatchObject({ standing: 'broken', meaning: 'released' });
    expect(g.signatures.find((s) => s.meaning === 'released')!.valid).toBe(false);
    const rd = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot });
    expect(rd.lines.find((l) => l.key === 'signature')).toMatchObject({ ok: false, details: { standing: 'broken' } });
    expect(rd.ready).toBe(false);
    const head = w.head();
    const ship = () =>
      w.app.call(w.prod, 'shipments.create', {
        shipmentCode: `SH-B-${Math.random().toString(16).slice(2, 8)}`,
        customerCode: 'C001',
        date: w.today,
        lines: [{ lotCode: lot, quantity: '1', unit: 'kg' }],
      });
    expect(errKey(await ship())).toBe('errors.lot_signature_broken');
    expect(w.head()).toEqual(head);
    // A new signed decision: hold, then release from hold.
    await w.app.ok(w.qa, 'lots.decide', {
      code: lot,
      decision: 'hold',
      reason: 'quantity corrected after release',
      signature: sign('held'),
    });
    await w.app.ok(w.qa, 'lots.decide', {
      code: lot,
      decision: 'release_from_hold',
      reason: 'quantity checked: 590 kg',
      signature: sign('released'),
    });
    expect((await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.decision?.standing).toBe('signed');
    expect((await ship()).ok).toBe(true);

    // An insider who edits the database file (the host passphrase does not help: the row no longer matches the signature).
    const raw = new Database(w.app.core.dbFile);
    raw.prepare('UPDATE lot SET quantity = ? WHERE code = ?').run('9999', lot);
    raw.close();
    expect((await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.decision?.standing).toBe('broken');
    const head2 = w.head();
    expect(errKey(await ship())).toBe('errors.lot_signature_broken');
    expect(w.head()).toEqual(head2);
  });

  it('the go-live date: the database’s creation date by default, changed only by an administrator (recorded), never later over live lots', async () => {
    const settings = await w.app.ok(w.qa, 'settings.get', {});
    expect(settings.goLiveDate ?? null).toBeNull();
    expect((await w.app.ok(w.prod, 'import.status', {})).goLiveDate).toBe(w.today);
    const qaTry = await w.app.call(w.qa, 'settings.update', {
      settings: { ...settings, goLiveDate: '2030-01-01' },
      reason: 'try',
    });
    expect(errKey(qaTry)).toBe('errors.forbidden');
    const approved = { password: ADMIN_PASSWORD, meaning: 'approved' } as const;
    const later = await w.app.call(w.app.admin, 'settings.update', {
      settings: { ...settings, goLiveDate: '2099-01-01' },
      reason: 'turn live lots into history',
      signature: approved,
    });
    expect(errKey(later)).toBe('errors.go_live_later');
    // A change of what a release requires is the administrator's signed decision (D-112):
    // unsigned, or signed with another meaning or a wrong password, nothing is written.
    const head = w.head();
    const unsigned = await w.app.call(w.app.admin, 'settings.update', {
      settings: { ...settings, goLiveDate: '2026-01-01' },
      reason: 'go-live agreed with QA: 1 January',
    });
    expect(errKey(unsigned)).toBe('errors.settings_signature_required');
    expect(translate('zh-CN', 'errors.settings_signature_required')).toContain('上线日期');
    for (const signature of [ADMIN_SIGNATURE, { password: 'not-the-password', meaning: 'approved' as const }]) {
      const r = await w.app.call(w.app.admin, 'settings.update', {
        settings: { ...settings, goLiveDate: '2026-01-01' },
        reason: 'go-live agreed with QA: 1 January',
        signature,
      });
      expect(r.ok).toBe(false);
    }
    for (const change of [{ reviewersMayHold: !settings.reviewersMayHold }, { envAlertNegativeSwabs: 2 }]) {
      const r = await w.app.call(w.app.admin, 'settings.update', {
        settings: { ...settings, ...change },
        reason: 'try',
      });
      expect(errKey(r), JSON.stringify(change)).toBe('errors.settings_signature_required');
    }
    expect(w.head()).toEqual(head);
    // Other settings stay a recorded change with a reason (no signature).
    await w.app.ok(w.app.admin, 'settings.update', {
      settings: { ...settings, clockSkewMinutes: 4 },
      reason: 'NTP checked',
    });
    const earlier = await w.app.ok(w.app.admin, 'settings.update', {
      settings: { ...settings, goLiveDate: '2026-01-01' },
      reason: 'go-live agreed with QA: 1 January',
      signature: approved,
    });
    expect(earlier.goLiveDate).toBe('2026-01-01');
    const entry = w.app.core
      .need()
      .ledger.db.prepare("SELECT actor, reason FROM audit_entry WHERE entity = 'setting' ORDER BY seq DESC LIMIT 1")
      .get();
    expect(entry).toEqual({ actor: 'admin', reason: 'go-live agreed with QA: 1 January' });
    const sigs = await w.app.ok(w.app.admin, 'signatures.forRecord', { entity: 'setting', entityId: 'global' });
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ meaning: 'approved', userId: 'admin', valid: true });
    expect(sigs[0]!.comment).toContain('goLiveDate: — → 2026-01-01');
  });

  it('the lot’s audit review sees the account and role changes of everyone who signed, up to their signature', async () => {
    const { app } = w;
    await app.ok(app.admin, 'users.update', {
      userId: 'qa.chen',
      printedName: 'User qa.chen',
      roles: ['qa_manager', 'reviewer'],
      reason: 'also reviews',
      signature: ADMIN_SIGNATURE,
    });
    const lot = await w.finished(ig, '100');
    const entries = (await app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot })).entries;
    const users = entries.filter((e) => e.entity === 'user');
    // The QA manager's account: created, then the role added — not every sign-in.
    expect(users.filter((e) => e.entityId === 'qa.chen').map((e) => e.changes.map((c) => c.field))).toContainEqual(
      expect.arrayContaining(['roles']),
    );
    expect(users.every((e) => !e.changes.every((c) => ['last_sign_in_at', 'failed_attempts'].includes(c.field)))).toBe(
      true,
    );
    // A change after the release does not re-open the released lot's readiness.
    await app.ok(app.admin, 'users.update', {
      userId: 'qa.chen',
      printedName: 'User qa.chen',
      roles: ['qa_manager'],
      reason: 'back to QA only',
      signature: ADMIN_SIGNATURE,
    });
    const after = (await app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot })).entries.filter(
      (e) => e.entity === 'user',
    );
    expect(after).toHaveLength(users.length);
  });
  it('a drill reports returns above what was shipped and an accounted total above 100 % as findings', async () => {
    const { app, qa } = w;
    const lot = await w.finished(ig, '100');
    await w.ship('SH-OV', lot, '100');
    // Records from before the bound (e.g. an older system): written as they were.
    const svc = app.core.need();
    const { L } = await import('../../src/main/lots/entities');
    svc.ledger.write({ id: 'prod.wu', name: 'User prod.wu' }, (tx) => {
      tx.create(L.stockMovement, {
        lot_code: lot,
        movement: 'return',
        quantity: '150',
        unit: 'kg',
        date: w.today,
        location: null,
        reason: 'legacy return record',
        origin: 'import',
        customer_code: null,
        shipment_id: null,
        drill_id: null,
      });
      tx.create(L.stockMovement, {
        lot_code: lot,
        movement: 'waste',
        quantity: '200',
        unit: 'kg',
        date: w.today,
        location: null,
        reason: 'legacy waste record',
        origin: 'import',
        customer_code: null,
        shipment_id: null,
        drill_id: null,
      });
    });
    const d = await app.ok(qa, 'drills.start', { lotCode: lot, direction: 'forward' });
    await app.ok(qa, 'drills.step', { code: d.drill.code, step: 'mass_balance' });
    const g = await app.ok(qa, 'drills.get', { code: d.drill.code });
    // 100 shipped + 200 wasted − 150 returned = 150 of 100 kg.
    expect(g.drill.accountedPct).toBe('150.0');
    expect(g.findings.map((f) => [f.kind, f.ref])).toEqual(
      expect.arrayContaining([
        ['over_accounted', lot],
        ['over_return', lot],
      ]),
    );
  });
});
