import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, USER_PASSWORD, ADMIN_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';
import { startSiteServer } from '../../src/main/server/site-server';
import { siteTls } from '../helpers/site';
import { CUSTOMERS, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';

const T0 = Date.parse('2026-08-03T01:00:00Z');
const MIN = 60_000;
const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);

describe('recall drills and recalls', () => {
  let app: TestApp;
  const clock = { now: T0 };
  let qa: Connection;
  let prod: Connection;
  let rm: string;
  let fgA: string;
  let fgB: string;
  let rm2: string;

  const later = async (ms: number) => {
    clock.now += ms;
    for (const c of [qa, prod]) await app.ok(c, 'auth.unlock', { password: USER_PASSWORD });
    await app.ok(app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
  };

  /** RM (25 000 kg) → FG-A (3 200 kg; 800 to C001, 1 000 to C002) and FG-B (not shipped); RM2 → partly consumed. */
  beforeAll(async () => {
    app = await createTestApp({ clock: () => clock.now, pdf: new ChromiumPdfPrinter() });
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    prod = await app.userWith(['production'], 'prod.wu');
    const QA = app.member(qa);
    const PROD = app.member(prod);
    await plant.material(QA, { ...MATERIALS.rawMilk, nameEn: 'Raw milk' });
    await plant.supplier(QA, { ...SUPPLIERS.farm, name: '贺兰山牧场' });
    await plant.product(QA, PRODUCTS.wmp);
    await plant.customer(PROD, { ...CUSTOMERS.c001, address: '银川' });
    await plant.customer(PROD, { ...CUSTOMERS.c002, name: '石嘴山超市' });
    const tanker = async (qty: string) => {
      const code = await plant.receiveTanker(PROD, { quantity: qty, temperature: '4.0' });
      await plant.decide(QA, code, 'accept', 'intake passed');
      return code;
    };
    rm = await tanker('25000');
    rm2 = await tanker('20000');
    const batch = async (inputs: Array<[string, string]>, qty: string) => {
      const { code } = await plant.makeLot(PROD, {
        line: 'Line 1',
        itemCode: 'WMP',
        inputs: inputs.map(([lot, quantity]) => ({ lot, quantity })),
        quantity: qty,
        location: 'WH-A',
      });
      await plant.decide(QA, code, 'release', 'released');
      return code;
    };
    fgA = await batch([[rm, '20000']], '3200');
    fgB = await batch(
      [
        [rm, '5000'],
        [rm2, '4000'],
      ],
      '1000',
    );
    await plant.ship(PROD, { code: 'SH-1', customer: 'C001', date: '2026-08-02', lines: [{ lot: fgA, quantity: '800' }] });
    await plant.ship(PROD, { code: 'SH-2', customer: 'C002', date: '2026-08-02', lines: [{ lot: fgA, quantity: '1000' }] });
  });
  afterAll(() => app.close());

  it('a drill from the raw milk lot: affected lots, customers, mass balance, findings, timed and signed', async () => {
    const d = await app.ok(qa, 'drills.start', { lotCode: rm, direction: 'both' });
    expect(d.drill).toMatchObject({
      code: 'DRL-2026-0001',
      mode: 'drill',
      status: 'open',
      selection: 'typed',
      targetMinutes: 240,
    });
    const code = d.drill.code;
    for (const step of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const)
      await app.ok(qa, 'drills.step', { code, step });
    const g = await app.ok(qa, 'drills.get', { code });
    expect(g.lots.map((l) => [l.lot, l.direction, l.shipped])).toEqual([
      [rm, 'root', false],
      [fgA, 'forward', true],
      [fgB, 'forward', false],
    ]);
    expect(g.lots.find((l) => l.lot === fgA)).toMatchObject({ remaining: '1400', location: 'WH-A' });
    expect(g.customers.map((c) => [c.code, c.shipments.map((s) => s.quantity)])).toEqual([
      ['C001', ['800']],
      ['C002', ['1000']],
    ]);
    // 25 000 received, 25 000 consumed: fully accounted.
    expect(g.drill).toMatchObject({ accountedPct: '100.0', withinTolerance: true });
    expect(g.steps.map((s) => s.step)).toEqual(['affected_lots', 'stock', 'customers', 'mass_balance', 'documents']);
    expect(g.documents.map((x) => x.kind)).toEqual(
      expect.arrayContaining(['receipt', 'batch', 'decision', 'shipment']),
    );
    // The customer without contact details is a finding; it needs an explanation before completion.
    expect(g.findings.map((f) => [f.kind, f.ref])).toEqual([['customer_no_contact', 'C002']]);
    await later(95 * MIN);
    expect(errKey(await app.call(qa, 'drills.complete', { code, signature: sign('drill_completed') }))).toBe(
      'errors.drill_findings_unexplained',
    );
    await app.ok(qa, 'drills.finding', {
      code,
      findingId: g.findings[0]!.id,
      explanation: 'contact found in the sales system: 李店长 0952-7654321; catalogue updated',
    });
    const done = await app.ok(qa, 'drills.complete', { code, signature: sign('drill_completed') });
    expect(done.drill).toMatchObject({ status: 'completed', elapsedMs: 95 * MIN, withinTarget: true, findings: 1 });
    expect(done.signatures.map((s) => [s.meaning, s.valid])).toEqual([['drill_completed', true]]);
    // A completed drill never changes.
    expect(errKey(await app.call(qa, 'drills.step', { code, step: 'stock' }))).toBe('errors.drill_completed');
    // The evidence pack: PDF (recorded) and CSV.
    const ev = await app.ok(qa, 'drills.evidence', { code, locale: 'en' });
    const pdf = join(app.dir, 'evidence.pdf');
    writeFileSync(pdf, Buffer.from(ev.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8');
    for (const s of [
      code,
      rm,
      fgA,
      'C001',
      '银川母婴连锁',
      '100.0',
      'Recall drill completed',
      'Mass balance',
      'Received / produced',
      '1. Affected lots',
      'Accounted 100.0 %',
      'contact found in the sales system',
    ])
      expect(text, s).toContain(s);
    // Read by an inspector: no raw codes or JSON, and local times with their offset.
    for (const raw of ['drill_completed', '{"', 'received_or_produced', 'affected_lots', 'receipt RM', 'results of'])
      expect(text).not.toContain(raw);
    // …with an honest zone label (D-078): the workstation's zone here (no company set), never "GMT+00:00 (UTC)".
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} (UTC|UTC[+-]\d{2}:\d{2} \(|Beijing time \(UTC\+08:00\))/);
    expect(text).not.toContain('GMT+00:00 (UTC)');
    const rows = ev.csv.trim().split('\r\n');
    expect(rows[0]).toMatch(/^drill,mode,root_lot,record,/);
    const record = (r: string) => r.split(',')[3];
    expect(rows.slice(1).filter((r) => record(r) === 'lot')).toHaveLength(3);
    expect(rows.slice(1).filter((r) => record(r) === 'shipment')).toHaveLength(2);
    const kpis = await app.ok(qa, 'drills.kpis', {});
    expect(kpis.drills).toEqual([
      { code, completedAt: expect.any(String), minutes: 95, accountedPct: '100.0', findings: 1, withinTarget: true },
    ]);
  });

  it('outside the tolerance is a finding; random selection picks only lots of the group and period', async () => {
    // RM2: 20 000 received, 4 000 consumed, nothing else recorded → 20 % accounted.
    const d = await app.ok(qa, 'drills.start', { lotCode: rm2, direction: 'forward' });
    await app.ok(qa, 'drills.step', { code: d.drill.code, step: 'mass_balance' });
    const g = await app.ok(qa, 'drills.get', { code: d.drill.code });
    expect(g.drill).toMatchObject({ accountedPct: '20.0', withinTolerance: false });
    expect(g.findings.map((f) => f.kind)).toEqual(['mass_balance']);
    expect(
      errKey(await app.call(qa, 'drills.complete', { code: d.drill.code, signature: sign('drill_completed') })),
    ).toBe('errors.drill_steps_missing');
    const roots = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await app.ok(qa, 'drills.start', {
        random: { productGroup: 'raw_milk', from: '2026-08-01', to: '2026-08-31' },
        direction: 'both',
      });
      expect(r.drill.selection).toBe('random');
      roots.add(r.drill.rootLot);
    }
    expect([...roots].every((x) => x === rm || x === rm2)).toBe(true);
    expect(
      errKey(
        await app.call(qa, 'drills.start', {
          random: { productGroup: 'infant', from: '2026-08-01', to: '2026-08-31' },
        }),
      ),
    ).toBe('errors.drill_no_candidates');
  });

  it('a real recall holds every affected lot with stock left, shipped or not; refuses their shipment; returns are bounded records per shipment and customer', async () => {
    expect(errKey(await app.call(qa, 'drills.start', { mode: 'recall', lotCode: rm }))).toBe(
      'errors.recall_reason_required' as never,
    );
    const r = await app.ok(qa, 'drills.start', {
      mode: 'recall',
      lotCode: rm,
      reason: 'farm notice: antibiotic treatment not declared',
    });
    expect(r.drill.code).toMatch(/^RCL-2026-/);
    // Under the open recall, even before the hold, nothing affected ships (issue 19 §2).
    const head0 = app.core.need().ledger.head();
    const ship = await app.call(prod, 'shipments.create', {
      shipmentCode: 'SH-9',
      customerCode: 'C001',
      date: '2026-08-03',
      lines: [{ lotCode: fgA, quantity: '100', unit: 'kg' }],
    });
    expect(errKey(ship)).toBe('errors.lot_under_recall');
    expect(app.core.need().ledger.head()).toEqual(head0);
    const held = await app.ok(qa, 'recalls.hold', {
      code: r.drill.code,
      reason: 'recall RCL: suspect raw milk',
      signature: sign('held'),
    });
    // The rule changed (issue 19 §2): a hold covers every affected lot with stock left, shipped
    // before or not. FG-A (3 200 kg, 1 800 shipped, 1 400 left) is held with FG-B; RM has
    // nothing left (all 25 000 kg consumed), so there is nothing of it to hold. The old
    // assertion ([rm, fgB], FG-A left released) described the bypass the issue reports.
    expect(held.held).toEqual([fgA, fgB]);
    expect((await app.ok(qa, 'lots.get', { code: fgA })).lot).toMatchObject({ status: 'on_hold', held: true });
    await app.ok(qa, 'recalls.contact', {
      code: r.drill.code,
      customerCode: 'C001',
      channel: 'phone',
      outcome: 'reached',
      note: '王经理: 800 kg in their warehouse, quarantined',
    });
    // Returns: at most what the shipment delivered less what came back already.
    const ret = (quantity: string) =>
      app.call(qa, 'recalls.return', {
        code: r.drill.code,
        customerCode: 'C001',
        lotCode: fgA,
        quantity,
        unit: 'kg',
        date: '2026-08-03',
        note: 'returned',
      });
    const head1 = app.core.need().ledger.head();
    expect(errKey(await ret('5000'))).toBe('errors.recall_return_over');
    expect(app.core.need().ledger.head()).toEqual(head1);
    expect((await ret('500')).ok).toBe(true);
    expect(errKey(await ret('301'))).toBe('errors.recall_return_over');
    expect((await ret('300')).ok).toBe(true);
    expect(errKey(await ret('0.001'))).toBe('errors.recall_return_over');
    expect(
      errKey(
        await app.call(qa, 'recalls.return', {
          code: r.drill.code,
          customerCode: 'C002',
          lotCode: fgB,
          quantity: '1',
          unit: 'kg',
          date: '2026-08-03',
        }),
      ),
    ).toBe('errors.recall_return_not_shipped');
    const g = await app.ok(qa, 'drills.get', { code: r.drill.code });
    const c1 = g.customers.find((c) => c.code === 'C001')!;
    expect(c1.contacts.map((c) => [c.channel, c.outcome, c.by])).toEqual([['phone', 'reached', 'qa.chen']]);
    expect(c1.returned).toEqual([
      { lot: fgA, quantity: '500', unit: 'kg', date: '2026-08-03', shipment: 'SH-1' },
      { lot: fgA, quantity: '300', unit: 'kg', date: '2026-08-03', shipment: 'SH-1' },
    ]);
    expect(c1.contacted).toBe(true);
    expect(c1.lines).toEqual([
      { shipment: 'SH-1', lot: fgA, unit: 'kg', shipped: '800', returned: '800', outstanding: '0' },
    ]);
    const c2 = g.customers.find((c) => c.code === 'C002')!;
    expect(c2.contacted).toBe(false);
    expect(c2.lines).toEqual([
      { shipment: 'SH-2', lot: fgA, unit: 'kg', shipped: '1000', returned: '0', outstanding: '1000' },
    ]);
    // The return is a record tied to its shipment, customer and recall — not a reason text.
    const rows = app.core
      .need()
      .ledger.db.prepare("SELECT customer_code, drill_id, shipment_id FROM stock_movement WHERE movement = 'return'")
      .all() as Array<{ customer_code: string; drill_id: string; shipment_id: string }>;
    const sh1 = app.core.need().ledger.db.prepare("SELECT id FROM shipment WHERE shipment_code = 'SH-1'").get() as {
      id: string;
    };
    expect(rows).toEqual([
      { customer_code: 'C001', drill_id: g.drill.id, shipment_id: sh1.id },
      { customer_code: 'C001', drill_id: g.drill.id, shipment_id: sh1.id },
    ]);
    expect((await app.ok(qa, 'drills.list', { mode: 'recall' })).drills.map((x) => x.mode)).toEqual(['recall']);
  });

  it('the yearly programme: planned drills, uncovered groups, overdue entries', async () => {
    await app.ok(qa, 'drills.plan.save', {
      year: 2026,
      productGroup: 'raw_milk',
      direction: 'both',
      dueOn: '2026-06-30',
    });
    await app.ok(qa, 'drills.plan.save', {
      year: 2026,
      productGroup: 'other_dairy',
      direction: 'forward',
      dueOn: '2026-12-31',
    });
    const p = await app.ok(qa, 'drills.plan', { year: 2026 });
    expect(p.entries.map((e) => [e.productGroup, e.overdue])).toEqual([
      ['raw_milk', true],
      ['other_dairy', false],
    ]);
    expect(p.uncovered).toEqual([{ productGroup: 'other_dairy', direction: 'backward' }]);
  });

  it('lotseal drill writes the evidence as JSON, CSV and HTML and leaves the drill open for signing', async () => {
    const { lotsealAsync } = await import('../helpers/cli');
    const pw = join(app.dir, 'qa-password.txt');
    writeFileSync(pw, `${USER_PASSWORD}\n`);
    const outDir = join(app.dir, 'evidence');
    // The CLI opens the same database file with its own key, registered by an administrator first.
    const r0 = await lotsealAsync(
      [
        '--db',
        join(app.dir, 'lotseal.db'),
        'drill',
        '--lot',
        rm,
        '--user',
        'qa.chen',
        '--password-file',
        pw,
        '--out',
        outDir,
        '--json',
      ],
      { dataDir: app.dir },
    );
    if (r0.code !== 0) {
      // An unenrolled CLI key is refused: the administrator enrols this host once (issue 18 §5).
      const apw = join(app.dir, 'admin-password.txt');
      writeFileSync(apw, `${ADMIN_PASSWORD}\n`);
      const reg = await lotsealAsync(
        ['--db', join(app.dir, 'lotseal.db'), 'host', 'enrol', '--user', 'admin', '--password-file', apw, '--json'],
        { dataDir: app.dir },
      );
      expect(reg.code, reg.stderr).toBe(0);
    }
    const r =
      r0.code === 0
        ? r0
        : await lotsealAsync(
            [
              '--db',
              join(app.dir, 'lotseal.db'),
              'drill',
              '--lot',
              rm,
              '--user',
              'qa.chen',
              '--password-file',
              pw,
              '--out',
              outDir,
              '--json',
            ],
            { dataDir: app.dir },
          );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { drill: string; status: string; files: string[]; affected_lots: number };
    expect(j).toMatchObject({ status: 'open', affected_lots: 3 });
    for (const f of j.files) expect(existsSync(f)).toBe(true);
    expect(readFileSync(j.files[2]!, 'utf8')).toContain(rm);
    const g = await app.ok(qa, 'drills.get', { code: j.drill });
    expect(g.drill.status).toBe('open');
    expect(g.steps).toHaveLength(5);
    expect(g.signatures).toEqual([]);
  });

  it('lotseal drill --server runs the drill on a site server (each step a write with its request id) and writes the same evidence at the workstation', async () => {
    const { lotsealAsync } = await import('../helpers/cli');
    const server = await startSiteServer({ core: app.core, listen: { host: '127.0.0.1', port: 0 }, tls: siteTls() });
    try {
      const ws = join(app.dir, 'drill-workstation');
      const pw = join(app.dir, 'qa-password.txt');
      const apw = join(app.dir, 'admin-password.txt');
      writeFileSync(pw, `${USER_PASSWORD}\n`);
      writeFileSync(apw, `${ADMIN_PASSWORD}\n`);
      const site = ['--server', server.url, '--server-fingerprint', server.fingerprint];
      const reg = await lotsealAsync(
        [...site, 'host', 'enrol', '--user', 'admin', '--password-file', apw, '--name', 'DRILL-WS', '--json'],
        { dataDir: ws },
      );
      expect(reg.code, reg.stderr).toBe(0);
      const outDir = join(ws, 'evidence');
      const args = ['drill', '--user', 'qa.chen', '--password-file', pw, '--out', outDir, '--json'];
      const r = await lotsealAsync([...site, ...args, '--lot', rm], { dataDir: ws });
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as { drill: string; files: string[] };
      expect(j).toMatchObject({ ok: true, status: 'open', lot: rm, affected_lots: 3 });
      expect(j.files).toEqual(['json', 'csv', 'html'].map((x) => join(outDir, `${j.drill}.${x}`)));
      expect(readFileSync(j.files[2]!, 'utf8')).toContain(rm);
      expect(JSON.parse(readFileSync(j.files[0]!, 'utf8'))).toMatchObject({ drill: { code: j.drill } });
      const g = await app.ok(qa, 'drills.get', { code: j.drill });
      expect(g.steps).toHaveLength(5);
      // The start and each step went through the server's exactly-once log, from that workstation.
      const db = app.core.need().ledger.db;
      const logged = db
        .prepare("SELECT channel FROM request_log WHERE channel IN ('drills.start', 'drills.step') ORDER BY first_seq")
        .all() as Array<{ channel: string }>;
      expect(logged.map((x) => x.channel)).toEqual(['drills.start', ...Array(5).fill('drills.step')]);
      // An unknown lot: the local command's answer (exit 1, lot_not_found).
      const none = await lotsealAsync([...site, ...args, '--lot', 'NO-SUCH-LOT'], { dataDir: ws });
      expect(none.code).toBe(1);
      expect(JSON.parse(none.stdout)).toEqual({ error: 'lot_not_found', lot: 'NO-SUCH-LOT' });
    } finally {
      await server.close();
    }
  });
});
