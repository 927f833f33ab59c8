import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { IN } from '../../src/main/instruments/entities';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import {
  approveSpec,
  CUSTOMERS,
  customer,
  material,
  MATERIALS,
  maxItem,
  MOISTURE,
  product,
  PRODUCTS,
  receive,
  releaseSample,
  specDocument,
  supplier,
  SUPPLIERS,
  verifyLedger,
} from '../fixtures/plant';

const T0 = Date.parse('2026-07-01T01:00:00Z');
const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);

describe('lot disposition', () => {
  let app: TestApp;
  const clock = { now: T0 };
  let qa: Connection;
  let tech: Connection;
  let rev: Connection;
  let prod: Connection;
  let ig: string;
  let fg: string;
  let sampleCode: string;

  const failing = async (lot = fg) =>
    (await app.ok(qa, 'disposition.readiness', { lotCode: lot })).lines.filter((l) => !l.ok).map((l) => l.key);
  const verify = async () => {
    clock.now += 1000; // runs are ordered by their finishing time
    // Waits for the job's `finished` event (after the run is recorded), not for a timer.
    await verifyLedger(app.member(qa));
  };
  const reviewAudit = async (lot = fg) => {
    const e = await app.ok(qa, 'disposition.auditEntries', { lotCode: lot });
    await app.ok(qa, 'disposition.auditReview', {
      lotCode: lot,
      throughSeq: e.headSeq,
      comment: 'audit trail of the lot reviewed: no unexplained changes',
      signature: sign('audit_reviewed'),
    });
  };

  beforeAll(async () => {
    app = await createTestApp({ clock: () => clock.now, pdf: new ChromiumPdfPrinter() });
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    tech = await app.userWith(['technician'], 'tech.li');
    rev = await app.userWith(['reviewer'], 'rev.wang');
    prod = await app.userWith(['production'], 'prod.wu');
    await app.ok(app.admin, 'settings.update', {
      settings: { ...(await app.ok(app.admin, 'settings.get', {})), plantName: '宁夏示例乳业有限公司' },
      reason: 'plant name for certificates',
    });
    const qaM = app.member(qa);
    const productId = await product(qaM, {
      ...PRODUCTS.if1,
      nameZh: '婴儿配方奶粉（0-6月龄，1段）',
      registrationNo: '国食注字YP20230001',
      shelfLifeDays: 720,
    });
    await material(qaM, MATERIALS.wpc80);
    await supplier(qaM, SUPPLIERS.whey);
    await customer(app.member(prod), { ...CUSTOMERS.c001, address: '银川' });
    const items = [
      MOISTURE,
      maxItem({
        code: 'nitrite',
        name_zh: '亚硝酸盐',
        name_en: 'Nitrite',
        group: 'contaminants',
        method_code: 'GB 5009.33',
        unit: 'mg/kg',
        basis: 'per_kg',
        max: '2.0',
      }),
    ];
    await approveSpec(qaM, {
      subjectId: productId,
      code: 'SPEC-IF-1',
      titleZh: 'IF-1 企业标准',
      titleEn: 'IF-1 specification',
      doc: specDocument('IF-1', items, { standard: 'GB 10765-2021' }),
    });
    ig = await receive(app.member(prod), { supplierLot: 'W-1', containers: 40, expiryDate: '2027-12-31' });
    const b = await app.ok(prod, 'batches.start', {
      line: 'Line 2',
      outputKind: 'finished',
      itemCode: 'IF-1',
      unit: 'kg',
      expiryDate: '2028-06-30',
    });
    fg = b.output.code;
    await app.ok(prod, 'batches.consume', {
      batchId: b.id,
      inputLot: ig,
      quantity: '300',
      unit: 'kg',
      override: {
        signerId: 'qa.chen',
        reason: 'WPC released on supplier CoA pending inspection',
        signature: sign('override'),
      },
    } as never);
    await app.ok(prod, 'batches.finish', { batchId: b.id, quantity: '3200' });
    sampleCode = (
      await releaseSample(app.member(tech), fg, { samplingPoint: 'filler', quantity: '6', container: '800 g can' })
    ).code;
  });
  afterAll(() => app.close());

  it('each readiness line names itself until it is met; release is refused over the contract until all are', async () => {
    expect(await failing()).toEqual(['results_complete', 'inputs', 'retention', 'audit_review', 'ledger']);
    const refuse = await app.call(qa, 'disposition.decide', {
      lotCode: fg,
      decision: 'release',
      reason: 'try early',
      signature: sign('released'),
    });
    expect(errKey(refuse)).toBe('errors.lot_not_ready');
    expect(
      errKey(
        await app.call(qa, 'lots.decide', {
          code: fg,
          decision: 'release',
          reason: 'try the old way',
          signature: sign('released'),
        }),
      ),
    ).toBe('errors.lot_not_ready');
    // Results: entered, submitted, reviewed.
    const rs = (await app.ok(tech, 'results.forSample', { sampleCode })).results;
    await app.ok(tech, 'results.enterMany', {
      entries: [
        { id: rs[0]!.id, replicates: ['2.6'] },
        { id: rs[1]!.id, replicates: ['0.4'] },
      ],
    });
    await app.ok(tech, 'results.submit', { sampleCode, signature: sign('authored') });
    await app.ok(rev, 'results.review', { ids: rs.map((r) => r.id), decision: 'approve', signature: sign('reviewed') });
    expect(await failing()).toEqual(['inputs', 'retention', 'audit_review', 'ledger']);
    // The input lot is accepted; the retention sample registered.
    await app.ok(qa, 'lots.decide', {
      code: ig,
      decision: 'accept',
      reason: 'incoming inspection passed',
      signature: sign('accepted'),
    });
    await app.ok(tech, 'samples.register', {
      kind: 'retention',
      lotCode: fg,
      samplingPoint: 'filler',
      quantity: '6',
      unit: 'can',
      container: '800 g can',
    });
    expect(await failing()).toEqual(['audit_review', 'ledger']);
    await verify();
    expect(await failing()).toEqual(['audit_review']);
    const scope = await app.ok(qa, 'disposition.auditEntries', { lotCode: fg });
    // Issue 19 §10: the specification version the results were judged by (and its items) and
    // the accounts of everyone who signed are part of what the review sees.
    expect(new Set(scope.entries.map((e) => e.entity))).toEqual(
      new Set([
        'lot',
        'batch',
        'consumption',
        'sample',
        'sample_event',
        'test_result',
        'signature',
        'spec_version',
        'spec_item',
        'user',
      ]),
    );
    expect(scope.entries.every((e) => e.unreviewed)).toBe(true);
    await reviewAudit();
    expect(await failing()).toEqual([]);
    // A later change to one of the lot's records needs a new review.
    await app.ok(tech, 'samples.move', {
      code: sampleCode,
      storageLocation: 'Retention room B',
      reason: 'moved to the retention room',
    });
    expect(await failing()).toEqual(['audit_review']);
    expect(
      (await app.ok(qa, 'disposition.auditEntries', { lotCode: fg, onlyUnreviewed: true })).entries
        .map((e) => e.entity)
        .sort(),
    ).toEqual(['sample', 'sample_event']);
    await reviewAudit();
    // Instruments: a capture flagged by a failed daily check blocks until re-measured.
    const svc = app.core.need();
    const insId = svc.ledger.write({ id: 'admin', name: 'Admin' }, (w) => {
      const ins = w.create(IN.instrument, {
        code: 'HB43-01',
        name: 'Moisture analyser',
        kind: 'moisture_analyser',
        make: null,
        model: null,
        serial_no: null,
        location: null,
        port_path: '/dev/null',
        usb_serial: null,
        usb_vendor_id: null,
        usb_product_id: null,
        baud_rate: 9600,
        data_bits: 8,
        parity: 'none',
        stop_bits: 1,
        flow_control: 'none',
        line_ending: 'crlf',
        driver: 'mt-sics',
        print_config: null,
        check_interval_hours: 24,
        active: 1,
      });
      w.create(IN.capture, {
        instrument_id: ins.id,
        result_id: rs[0]!.id,
        replicate_index: 0,
        purpose: 'result',
        raw: Buffer.from('S S 2.6 %').toString('base64'),
        value: '2.6',
        unit: '%',
        stable: 1,
        settings: '{}',
        at: w.at,
        by_user: 'tech.li',
        status: 'used',
        typed_over_reason: null,
        flagged: 1,
        flag_reason: 'daily check failed',
      });
      // Its calibration before the capture: part of what the lot's audit review sees (issue 19 §10).
      w.create(IN.event, {
        instrument_id: ins.id,
        kind: 'calibration',
        performed_at: w.at - 86_400_000,
        due_on: '2027-12-31',
        certificate_no: 'CAL-2026-001',
        provider: 'NIM',
        passed: 1,
        points: null,
        by_user: 'tech.li',
        note: null,
      });
      return ins.id;
    });
    expect(insId).toBeTruthy();
    const withInstrument = (await app.ok(qa, 'disposition.auditEntries', { lotCode: fg })).entries.map((e) => e.entity);
    expect(withInstrument).toEqual(expect.arrayContaining(['instrument', 'instrument_event', 'instrument_capture']));
    const withCapture = await failing();
    expect(withCapture).toContain('instruments');
    const r = await app.ok(qa, 'disposition.readiness', { lotCode: fg });
    expect(r.lines.find((l) => l.key === 'instruments')!.evidence[0]).toMatchObject({
      kind: 'capture',
      label: 'HB43-01 → moisture',
    });
    svc.ledger.write({ id: 'tech.li', name: 'Tech' }, (w) => {
      const c = svc.ledger.db.prepare('SELECT id FROM instrument_capture').get() as { id: string };
      w.update(
        IN.capture,
        c.id,
        { status: 'typed_over', typed_over_reason: 're-measured on the oven method' },
        { reason: 're-measured' },
      );
    });
    await reviewAudit();
    expect(await failing()).toEqual([]);
    await verify();
    // Everything met: the QA manager releases with a signature.
    const done = await app.ok(qa, 'disposition.decide', {
      lotCode: fg,
      decision: 'release',
      reason: 'complete, within specification, audit trail reviewed',
      signature: sign('released'),
    });
    expect(done.readiness.lotStatus).toBe('released');
    expect(done.signatures.map((s) => s.meaning)).toContain('released');
    // Issue 19 §4: the release's own audit entries do not re-open the lot's readiness.
    expect(done.readiness.ready).toBe(true);
    expect(done.readiness.lines.find((l) => l.key === 'audit_review')!.ok).toBe(true);
  });

  it('a certificate of analysis prints every item, the signatures and the ledger head', async () => {
    const doc = await app.ok(qa, 'disposition.coa', { lotCode: fg, locale: 'zh-CN' });
    const dir = join(app.dir, 'coa');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'coa.pdf');
    writeFileSync(file, Buffer.from(doc.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']).toString('utf8');
    for (const s of [
      fg,
      '婴儿配方奶粉（0-6月龄，1段）',
      '国食注字YP20230001',
      '水分',
      '亚硝酸盐',
      '2.6',
      '0.4',
      '≤ 5.0',
      '≤ 2.0',
      'GB 5009.3',
      'User qa.chen',
      '放行',
      '审计追踪',
      '宁夏示例乳业有限公司',
    ]) {
      expect(text, s).toContain(s);
    }
    const docs = await app.ok(qa, 'documents.list', {
      subjectEntity: 'lot',
      subjectId: app.core.need().disposition.lot(fg).id,
    });
    const head = docs[0]!;
    expect(text).toContain(`#${head.headSeq}`);
    // The page as a picture, for a person to look at (test-results/screenshots/coa-zh-CN.png).
    const shots = join(__dirname, '..', '..', 'test-results', 'screenshots');
    mkdirSync(shots, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', file, join(shots, 'coa-zh-CN')]);
    const again = await app.ok(qa, 'disposition.coa', { lotCode: fg, locale: 'en' });
    expect(again.reprint).toBe(true);
    // The dossier is shown, not recorded.
    const before = app.core.need().ledger.head().seq;
    const dossier = await app.ok(qa, 'disposition.dossier', { lotCode: fg, locale: 'en' });
    writeFileSync(join(dir, 'dossier.pdf'), Buffer.from(dossier.base64, 'base64'));
    const dtext = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'dossier.pdf'), '-']).toString('utf8');
    for (const s of ['Inputs (batching)', ig, 'Results (with review and OOS history)', 'Audit trail', 'rev.wang'])
      expect(dtext, s).toContain(s);
    expect(app.core.need().ledger.head().seq).toBe(before);
  });

  it('a hold reaches every forward lot with stock left over a multi-level genealogy, shipped before or not, and lists the shipped ones with customers', async () => {
    // ig → IM (intermediate base powder) → C (finished, released, not shipped); ig → fg (released, shipped) and D (released, shipped).
    await app.ok(qa, 'catalog.products.save', {
      fields: {
        code: 'WMP',
        nameZh: '全脂乳粉',
        nameEn: 'Whole milk powder',
        stage: 'other_dairy',
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 540,
        packSizes: [],
      },
    });
    await app.ok(qa, 'catalog.products.save', {
      fields: {
        code: 'BASE',
        nameZh: '基粉',
        nameEn: 'Base powder',
        stage: 'other_dairy',
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 365,
        packSizes: [],
      },
    });
    const make = async (kind: 'intermediate' | 'finished', itemCode: string, input: string, qty: string) => {
      const b = await app.ok(prod, 'batches.start', { line: 'Line 3', outputKind: kind, itemCode, unit: 'kg' });
      await app.ok(prod, 'batches.consume', { batchId: b.id, inputLot: input, quantity: '10', unit: 'kg' });
      await app.ok(prod, 'batches.finish', { batchId: b.id, quantity: qty });
      await app.ok(qa, 'lots.decide', {
        code: b.output.code,
        decision: 'release',
        reason: 'released for the test genealogy',
        signature: sign('released'),
      });
      return b.output.code;
    };
    const im = await make('intermediate', 'BASE', ig, '500');
    const c = await make('finished', 'WMP', im, '400');
    const d = await make('finished', 'WMP', ig, '300');
    await app.ok(prod, 'shipments.create', {
      shipmentCode: 'SH-1',
      customerCode: 'C001',
      date: '2026-07-01',
      lines: [
        { lotCode: fg, quantity: '800', unit: 'kg' },
        { lotCode: d, quantity: '100', unit: 'kg' },
      ],
    });
    const f = await app.ok(qa, 'disposition.forward', { lotCode: ig });
    // Issue 19 §2: fg (2 400 of 3 200 kg left) and d (200 of 300 kg left) were partly shipped;
    // what is left of them is held with the rest (the rule changed: before, shipped lots were skipped).
    expect(f.unshipped.map((u) => [u.lot, u.depth, u.holdable, u.remaining])).toEqual([
      [fg, 1, true, '2400'],
      [d, 1, true, '200'],
      [im, 1, true, '490'],
      [c, 2, true, '400'],
    ]);
    expect(f.shipped.map((s) => s.lot).sort()).toEqual([fg, d].sort());
    expect(f.shipped.find((s) => s.lot === d)!.customers[0]).toMatchObject({
      code: 'C001',
      name: '银川母婴连锁',
      contact: '王经理',
      phone: '0951-1234567',
      quantity: '100',
    });
    // A reviewer may hold only when the plant allows it.
    expect(
      errKey(
        await app.call(rev, 'disposition.decide', {
          lotCode: ig,
          decision: 'hold',
          reason: 'customer complaint',
          signature: sign('held'),
        }),
      ),
    ).toBe('errors.hold_needs_qa');
    const held = await app.ok(qa, 'disposition.decide', {
      lotCode: ig,
      decision: 'hold',
      reason: 'supplier recall notice for W-1',
      propagate: true,
      signature: sign('held'),
    });
    expect(held.held).toEqual([ig, fg, d, im, c]);
    for (const code of [ig, fg, d, im, c]) {
      const l = await app.ok(qa, 'lots.get', { code });
      expect(l.lot.status).toBe('on_hold');
      expect(l.lot.held).toBe(true);
      expect(l.signatures.some((x) => x.meaning === 'held' && x.userId === 'qa.chen' && x.valid)).toBe(true);
    }
    // While held, what is left of d ships neither by the screen nor with an override.
    const head = app.core.need().ledger.head();
    expect(
      errKey(
        await app.call(prod, 'shipments.create', {
          shipmentCode: 'SH-2',
          customerCode: 'C001',
          date: '2026-07-01',
          lines: [{ lotCode: d, quantity: '100', unit: 'kg' }],
          override: { signerId: 'qa.chen', reason: 'urgent order', signature: sign('override') },
        } as never),
      ),
    ).toBe('errors.lot_held');
    expect(app.core.need().ledger.head()).toEqual(head);
  });
});
