import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { I } from '../../src/main/intake/entities';
import { actorOf } from '../../src/main/identity';
import { verifyDatabase } from '../../src/main/ledger/verify';
import type { TankerDocumentInput } from '../../src/shared/contract/channels/intake';
import { DAY, DOCS, errKey, later, OK, runPanel, sign, tanker, world, type World } from '../helpers/intake';
import * as plant from '../fixtures/plant';

/*
 * Issue 20 §4 on real SQLite files: gating and retrospective tests, a late failure traced to
 * the silo, batch and lots and held with one signature, the 第二十八条 report only for milk
 * that failed the national standard, the tanker's documents with a signed override, and the
 * spot-check register with deadlines on the holiday calendar (appeals carried forward).
 */

const accept = (w: World, lotCode: string) =>
  w.app.ok(w.tech, 'intake.decide', {
    lotCode,
    decision: 'accept',
    reason: 'gating checks within limits',
    signature: sign('accepted'),
  });

/** A tanker whose gating checks pass and are submitted; plate count and somatic cells still to come. */
async function acceptedTanker(w: World, over: Record<string, string> = {}): Promise<string> {
  const lot = await tanker(w);
  await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
  await runPanel(w, lot, over, ['apc', 'somatic_cells', 'afm1']);
  await accept(w, lot);
  return lot;
}

/** Enters and submits one retrospective result of a tanker. */
async function retrospective(w: World, lotCode: string, itemCode: string, value: string): Promise<void> {
  const d = await w.app.ok(w.tech, 'intake.get', { lotCode });
  const r = (await w.app.ok(w.tech, 'results.forSample', { sampleCode: d.intake!.sampleCode! })).results.find(
    (x) => x.itemCode === itemCode,
  )!;
  await w.app.ok(w.tech, 'results.enter', { id: r.id, replicates: [value] });
  await w.app.ok(w.tech, 'results.submit', {
    sampleCode: d.intake!.sampleCode!,
    ids: [r.id],
    signature: sign('authored'),
  });
}

describe('intake by the clauses', () => {
  let w: World;
  afterEach(() => w.app.close());

  describe('gating and retrospective tests; a late failure', () => {
    beforeEach(async () => {
      w = await world();
    });

    it('the tanker is decided on its gating tests; plate count and somatic cells are recorded later', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      await runPanel(w, lot, {}, ['apc', 'somatic_cells']);
      const d = await w.app.ok(w.tech, 'intake.get', { lotCode: lot });
      expect(d.proposal).toBe('accept');
      expect(d.pendingRetrospective).toEqual(['apc', 'somatic_cells']);
      expect(d.checks.find((c) => c.code === 'apc')).toMatchObject({
        timing: 'retrospective',
        rule: 'national',
        status: 'pending',
      });
      expect(d.checks.find((c) => c.code === 'somatic_cells')).toMatchObject({
        timing: 'retrospective',
        rule: 'plant',
      });
      expect(d.checks.find((c) => c.code === 'temperature')).toMatchObject({ timing: 'gating', rule: 'plant' });
      await accept(w, lot);
      // Recorded afterwards, within limits: no late failure.
      await retrospective(w, lot, 'apc', '450000');
      await retrospective(w, lot, 'somatic_cells', '320000');
      const after = await w.app.ok(w.qa, 'intake.get', { lotCode: lot });
      expect(after.pendingRetrospective).toEqual([]);
      expect(after.lateFailures).toEqual([]);
      expect(await w.app.ok(w.qa, 'intake.lateFailures.list', {})).toEqual([]);
    });

    it('at the tightened level the plate count and AFM1 sent out still do not hold the tanker', async () => {
      await w.app.ok(w.qa, 'suppliers.sampling.configure', {
        supplierCode: 'FARM-1',
        passesRequired: 3,
        reason: 'QP-12',
      });
      const bad = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: bad, declarations: OK, documents: DOCS });
      await runPanel(w, bad, { freezing_point: '-0.470' }, ['apc', 'somatic_cells']);
      await w.app.ok(w.qa, 'intake.decide', {
        lotCode: bad,
        decision: 'reject',
        reason: 'freezing point: added water',
        signature: sign('rejected'),
      });
      const lot = await tanker(w);
      const d = await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      expect(d.intake!.samplingLevel).toBe('tightened');
      expect(d.checks.filter((c) => c.timing === 'retrospective').map((c) => c.code)).toEqual([
        'apc',
        'somatic_cells',
        'afm1',
      ]);
      await runPanel(w, lot, {}, ['apc', 'somatic_cells', 'afm1']);
      expect((await w.app.ok(w.tech, 'intake.get', { lotCode: lot })).proposal).toBe('accept');
      await accept(w, lot);
      expect((await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.status).toBe('accepted');
    });

    it('a late plate-count failure lists the silo, batches and lots that used the tanker and holds them with one signature', async () => {
      const { app, qa, prod } = w;
      const qaM = app.member(qa);
      const prodM = app.member(prod);
      await plant.product(qaM, plant.PRODUCTS.wmp);
      await plant.customer(prodM, plant.CUSTOMERS.c001);
      const lot = await acceptedTanker(w);
      const other = await acceptedTanker(w);
      // Tanker → silo 2 (intermediate) → whole milk powder (finished, released, part shipped).
      await plant.makeLot(prodM, {
        itemCode: 'RAWMILK',
        kind: 'intermediate',
        line: 'Silo 2',
        code: 'SILO2-260430',
        inputs: [{ lot, quantity: '25000' }],
        quantity: '25000',
      });
      await plant.decide(qaM, 'SILO2-260430', 'release', 'silo standardised');
      const powder = await plant.makeLot(prodM, {
        itemCode: 'WMP',
        line: 'Dryer 1',
        inputs: [{ lot: 'SILO2-260430', quantity: '20000' }],
        quantity: '2500',
      });
      await plant.decide(qaM, powder.code, 'release', 'released');
      await plant.ship(prodM, {
        code: 'SH-0501',
        customer: 'C001',
        date: '2026-04-30',
        lines: [{ lot: powder.code, quantity: '500' }],
      });
      // Another tanker's powder, not made from this one (the batch stays open).
      const powder2 = await plant.makeLot(prodM, {
        itemCode: 'WMP',
        line: 'Dryer 1',
        inputs: [{ lot: other, quantity: '10000' }],
      });

      await later(w, 2 * DAY); // the plates are read after 48 h
      await retrospective(w, lot, 'apc', '3500000');
      const open = await app.ok(qa, 'intake.lateFailures.list', { status: 'open' });
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ lotCode: lot, items: ['apc'], basis: 'national', status: 'open' });
      // No OOS investigation: the late failure is its own record.
      expect((await app.ok(qa, 'oos.list', {})).total).toBe(0);
      const d = await app.ok(qa, 'intake.lateFailures.get', { lotCode: lot });
      expect(d.results.map((r) => [r.itemCode, r.reported, r.rule])).toEqual([['apc', '3500000', 'national']]);
      expect(d.affected.map((a) => [a.lot, a.kind, a.batchCode, a.status, a.shipped, a.holdable])).toEqual([
        ['SILO2-260430', 'intermediate', 'B-SILO2-260430', 'released', false, true],
        [powder.code, 'finished', powder.batchCode, 'released', true, true],
      ]);
      expect(d.affected.map((a) => a.lot)).not.toContain(powder2.code);
      expect(d.shipments.map((s) => [s.lot, s.customer, s.quantity])).toEqual([[powder.code, 'C001', '500']]);
      expect(d.reportRequired).toBe(true);
      expect((await app.ok(qa, 'intake.get', { lotCode: lot })).reportRequired).toBe(true);

      // Lots not made from the tanker are refused; a technician cannot sign the hold.
      expect(
        errKey(
          await app.call(qa, 'intake.lateFailures.hold', {
            lotCode: lot,
            lotCodes: [powder2.code],
            reason: 'plate count over GB 19301',
            signature: sign('held'),
          }),
        ),
      ).toBe('errors.late_failure_lot_not_affected');
      expect(
        (
          await app.call(w.tech, 'intake.lateFailures.hold', {
            lotCode: lot,
            lotCodes: [lot],
            reason: 'x plate count',
            signature: sign('held'),
          })
        ).ok,
      ).toBe(false);

      const held = await app.ok(qa, 'intake.lateFailures.hold', {
        lotCode: lot,
        lotCodes: [lot, 'SILO2-260430', powder.code],
        reason: '菌落总数 3.5×10⁶ CFU/mL，超过 GB 19301 限量',
        signature: sign('held'),
      });
      expect(held.status).toBe('held');
      expect(held.holds).toHaveLength(1);
      expect(held.holds[0]!.heldLots).toEqual([lot, 'SILO2-260430', powder.code]);
      expect(held.holds[0]!.signatures.map((s) => [s.meaning, s.userId])).toEqual([['held', 'qa.chen']]);
      for (const c of [lot, 'SILO2-260430', powder.code]) {
        const l = await app.ok(qa, 'lots.get', { code: c });
        expect(l.lot.status).toBe('on_hold');
      }
      // One signing: the three lots' `held` signatures and the record's were made in one transaction.
      const sigs = app.core
        .need()
        .ledger.db.prepare("SELECT DISTINCT signed_at FROM signature WHERE meaning = 'held'")
        .all() as Array<{ signed_at: number }>;
      expect(sigs).toHaveLength(1);
      expect((await app.ok(qa, 'intake.lateFailures.list', { status: 'held' })).map((x) => x.lotCode)).toEqual([lot]);
      expect(
        errKey(
          await app.call(qa, 'intake.lateFailures.hold', {
            lotCode: lot,
            lotCodes: [],
            reason: 'again',
            signature: sign('held'),
          }),
        ),
      ).toBe('errors.late_failure_held');
      // A second retrospective failure (somatic cells, a plant rule) opens it again: only that one is new.
      await retrospective(w, lot, 'somatic_cells', '900000');
      const again = await app.ok(qa, 'intake.lateFailures.get', { lotCode: lot });
      expect(again.status).toBe('open');
      expect(again.results.map((r) => [r.itemCode, r.held, r.rule])).toEqual([
        ['apc', true, 'national'],
        ['somatic_cells', false, 'plant'],
      ]);
      // The ledger verifies with the new records (rows replayed, signatures bound).
      const v = await verifyDatabase(app.core.need().ledger.db, { skewMs: 5 * 60_000, anchor: null });
      expect(v.findings).toEqual([]);
    });
  });

  describe('the 第二十八条 report only for national-standard failures', () => {
    beforeEach(async () => {
      w = await world(true);
    });

    it('a temperature rejection is a plant-rule rejection: no report, its own wording', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      await runPanel(w, lot, { temperature: '8.4' }, ['apc', 'somatic_cells']);
      const d0 = await w.app.ok(w.qa, 'intake.get', { lotCode: lot });
      expect(d0.causes).toEqual(['check.temperature']);
      const d = await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: '到厂温度 8.4 ℃，超过本厂 ≤6 ℃ 的收奶规定',
        signature: sign('rejected'),
      });
      expect(d.intake).toMatchObject({ status: 'rejected', rejectBasis: 'plant', reportDocumentId: null });
      expect(d.reportRequired).toBe(false);
      expect(errKey(await w.app.call(w.qa, 'intake.report', { lotCode: lot, locale: 'zh-CN' }))).toBe(
        'errors.intake_report_not_national',
      );
      expect(
        await w.app.ok(w.qa, 'documents.list', { subjectEntity: 'raw_milk_intake', subjectId: d.intake!.id }),
      ).toEqual([]);
    });

    it('a refusal on the declarations (第二十四条) is no test result: no report', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', {
        lotCode: lot,
        declarations: { ...OK, withdrawalRespected: false },
        documents: DOCS,
      });
      const d = await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: '司机申报有休药期内奶牛',
        signature: sign('rejected'),
      });
      expect(d.intake!.rejectBasis).toBe('declaration');
      expect(d.reportRequired).toBe(false);
    });

    it('a failed national item (temperature failing too) is reported, and so is a late national failure', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      await runPanel(w, lot, { temperature: '7.0', tetracycline: 'present' }, ['apc', 'somatic_cells']);
      const d = await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: '四环素类快速检测阳性',
        signature: sign('rejected'),
      });
      expect(d.intake!.rejectBasis).toBe('national');
      expect(d.intake!.reportDocumentId).not.toBeNull();

      // Accepted, then the plate count fails: the report says so, with the lots held.
      const late = await acceptedTanker(w);
      await retrospective(w, late, 'apc', '2600000');
      await w.app.ok(w.qa, 'intake.lateFailures.hold', {
        lotCode: late,
        lotCodes: [late],
        reason: '菌落总数超标，停止使用',
        signature: sign('held'),
      });
      const doc = await w.app.ok(w.qa, 'intake.report', { lotCode: late, locale: 'zh-CN' });
      const file = join(w.app.dir, 'late.pdf');
      writeFileSync(file, Buffer.from(doc.base64, 'base64'));
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
      for (const s of [late, '第二十八条', '追溯检验', '菌落总数', '2600000', '已暂扣', '暂扣'])
        expect(text).toContain(s);
    });
  });

  describe('the tanker’s documents (第二十五条)', () => {
    beforeEach(async () => {
      w = await world();
    });

    it('a missing purchase licence and an expired permit block acceptance until a QA manager signs an override', async () => {
      const lot = await tanker(w);
      const docs: TankerDocumentInput[] = DOCS.map((d) =>
        d.kind === 'purchase_licence'
          ? { ...d, present: false, number: null, validUntil: null }
          : d.kind === 'transport_permit'
            ? { ...d, validUntil: '2026-03-31' }
            : d,
      );
      const d0 = await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: docs });
      expect(d0.documents.deficient).toEqual(['transport_permit', 'purchase_licence']);
      expect(d0.documents.items.find((i) => i.kind === 'transport_permit')!.problem).toBe('expired');
      expect(d0.documents.items.find((i) => i.kind === 'purchase_licence')!.problem).toBe('missing');
      expect(d0.documents.blocking).toBe(true);
      await runPanel(w, lot, {}, ['apc', 'somatic_cells']);
      expect((await w.app.ok(w.tech, 'intake.get', { lotCode: lot })).proposal).toBe('accept');
      expect(
        errKey(
          await w.app.call(w.tech, 'intake.decide', {
            lotCode: lot,
            decision: 'accept',
            reason: 'checks passed',
            signature: sign('accepted'),
          }),
        ),
      ).toBe('errors.intake_documents_missing');
      // The technician cannot override for the QA manager, nor sign as someone else's override.
      expect(
        errKey(
          await w.app.call(w.tech, 'intake.documents.override', {
            lotCode: lot,
            signerId: 'tech.li',
            reason: 'driver will bring it',
            signature: sign('override'),
          }),
        ),
      ).toBe('errors.override_needs_qa');
      // The QA manager signs at the bench terminal.
      const o = await w.app.ok(w.tech, 'intake.documents.override', {
        lotCode: lot,
        signerId: 'qa.chen',
        reason: '收购站许可证复印件已传真，原件次日补交；准运证明已在办理换证',
        signature: sign('override'),
      });
      expect(o.documents).toMatchObject({ blocking: false, override: { by: 'qa.chen' } });
      const sig = w.app.core
        .need()
        .identity.signaturesFor(
          'intake_documents',
          w.app.core.need().ledger.db.prepare('SELECT id FROM intake_documents').pluck().get() as string,
        );
      expect(sig.map((s) => [s.meaning, s.user_id])).toEqual([['override', 'qa.chen']]);
      // Re-recording the documents withdraws the override (it covered what was missing then).
      const again = await w.app.ok(w.tech, 'intake.documents.save', {
        lotCode: lot,
        documents: DOCS.filter((d) => d.kind !== 'cleaning_record'),
        reason: '补录单证',
      });
      expect(again.documents).toMatchObject({ deficient: ['cleaning_record'], override: null, blocking: true });
      await w.app.ok(w.tech, 'intake.documents.save', { lotCode: lot, documents: DOCS, reason: '清洗消毒记录补录' });
      await accept(w, lot);
      expect((await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.status).toBe('accepted');
      // Decided: the documents are closed.
      expect(
        errKey(
          await w.app.call(w.tech, 'intake.documents.save', { lotCode: lot, documents: DOCS, reason: 'late edit' }),
        ),
      ).toBe('errors.intake_decided');
    });
  });

  describe('the spot-check register (监督抽查, 第二十七条)', () => {
    beforeEach(async () => {
      w = await world();
      // 2026 Labour Day: 1–5 May off; Saturday 9 May a make-up working day (调休).
      for (const d of ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05'])
        await w.app.ok(w.qa, 'calendar.save', { date: d, kind: 'holiday', name: '劳动节' });
      await w.app.ok(w.qa, 'calendar.save', { date: '2026-05-09', kind: 'workday', name: '劳动节调休' });
    });

    it('a nonconforming raw-milk result: apply within 5 working days, another lab, report within 7 working days', async () => {
      const lot = await acceptedTanker(w);
      const sc = await w.app.ok(w.qa, 'spotChecks.create', {
        subject: 'raw_milk',
        lotCode: lot,
        sampleDesc: '进厂生鲜乳（罐车 宁A·12345）',
        authority: '贺兰县农业农村局',
        firstLab: '宁夏回族自治区兽药饲料监察所',
        sampledOn: '2026-04-28',
        reportNo: 'NX-JC-2026-0142',
        receivedOn: '2026-04-30',
        items: [
          { name: '黄曲霉毒素M1', result: '0.62 µg/kg', requirement: '≤0.5 µg/kg', conforming: false },
          { name: '蛋白质', result: '3.1 g/100g', requirement: '≥2.8 g/100g', conforming: true },
        ],
      });
      // Received Thursday 30 April: 6, 7, 8, 9 (make-up Saturday), 11 May.
      expect(sc).toMatchObject({
        code: expect.stringMatching(/^CJ2026-\d{4}$/),
        supplierCode: 'FARM-1',
        result: 'nonconforming',
        stage: 'open',
        applyDeadline: '2026-05-11',
        nextDeadline: '2026-05-11',
        nextDeadlineKind: 'apply',
        overdue: false,
        rule: { id: 'ningxia_27', verified: true },
      });
      expect((await w.app.ok(w.qa, 'intake.get', { lotCode: lot })).spotChecks.map((s) => s.code)).toEqual([sc.code]);
      await later(w, 12 * DAY); // 12 May
      expect((await w.app.ok(w.qa, 'spotChecks.list', { overdueOnly: true })).map((x) => x.code)).toEqual([sc.code]);
      expect(
        errKey(
          await w.app.call(w.qa, 'spotChecks.update', {
            code: sc.code,
            appliedOn: '2026-05-12',
            appliedTo: '银川市农业农村局',
            reason: 'applied',
          }),
        ),
      ).toBe('errors.spot_check_applied_late');
      const applied = await w.app.ok(w.qa, 'spotChecks.update', {
        code: sc.code,
        appliedOn: '2026-05-08',
        appliedTo: '银川市农业农村局',
        reason: '5月8日向上一级主管部门提交复检申请',
      });
      expect(applied).toMatchObject({ stage: 'applied', disputed: true, overdue: false });
      expect(
        errKey(
          await w.app.call(w.qa, 'spotChecks.update', {
            code: sc.code,
            retestLab: ' 宁夏回族自治区 兽药饲料监察所',
            retestSampleReceivedOn: '2026-05-11',
            reason: 'retest arranged',
          }),
        ),
      ).toBe('errors.appeal_same_lab');
      // Sample received Monday 11 May → 12, 13, 14, 15, 18, 19, 20 May.
      const retest = await w.app.ok(w.qa, 'spotChecks.update', {
        code: sc.code,
        retestLab: '宁夏食品检测研究院',
        retestSampleReceivedOn: '2026-05-11',
        reason: '复检机构收到样品',
      });
      expect(retest).toMatchObject({ stage: 'retesting', reportDeadline: '2026-05-20', nextDeadlineKind: 'report' });
      await later(w, 9 * DAY); // 21 May: the report is late
      expect((await w.app.ok(w.qa, 'spotChecks.get', { code: sc.code })).overdue).toBe(true);
      expect(
        errKey(await w.app.call(w.qa, 'spotChecks.update', { code: sc.code, closure: 'upheld', reason: 'upheld' })),
      ).toBe('errors.appeal_report_required');
      const closed = await w.app.ok(w.qa, 'spotChecks.update', {
        code: sc.code,
        reportReceivedOn: '2026-05-21',
        closure: 'overturned',
        reason: '复检报告：黄曲霉毒素M1 0.41 µg/kg，合格',
      });
      expect(closed).toMatchObject({ stage: 'closed', closure: 'overturned', overdue: false });
      expect(
        errKey(await w.app.call(w.qa, 'spotChecks.update', { code: sc.code, note: 'x', reason: 'after close' })),
      ).toBe('errors.spot_check_closed');
      const perf = await w.app.ok(w.qa, 'suppliers.performance', {
        from: '2026-01-01',
        to: '2026-12-31',
        supplierCode: 'FARM-1',
      });
      expect(perf[0]).toMatchObject({ spotChecks: 1, spotChecksNonconforming: 1 });
    });

    it('a product spot check: the Food Safety Law rule is shown unverified; the retention sample is withdrawn for the re-test', async () => {
      const { app, qa, prod, tech } = w;
      await plant.product(app.member(qa), plant.PRODUCTS.wmp);
      const b = await plant.makeLot(app.member(prod), { itemCode: 'WMP', line: 'Dryer 1' });
      const ret = (
        await app.ok(tech, 'samples.register', {
          kind: 'retention',
          lotCode: b.code,
          samplingPoint: 'filler',
          quantity: '1200',
          unit: 'g',
          container: '400 g can ×3',
          receipt: { condition: 'intact' },
        })
      ).sample.code;
      const sc = await app.ok(qa, 'spotChecks.create', {
        subject: 'product',
        lotCode: b.code,
        sampleDesc: '全脂乳粉 400 g/罐',
        authority: '银川市市场监督管理局',
        firstLab: '宁夏产品质量检验院',
        sampledOn: '2026-04-27',
        receivedOn: '2026-04-30',
        items: [
          { name: '蛋白质', result: '33.1 g/100g', requirement: '≥34 g/100g（非脂乳固体中）', conforming: false },
        ],
      });
      expect(sc.rule).toMatchObject({ id: 'food_safety_law_88', verified: false, reportDays: null });
      // 7 working days: 6, 7, 8, 9, 11, 12, 13 May.
      expect(sc.applyDeadline).toBe('2026-05-13');
      expect(
        errKey(
          await app.call(qa, 'spotChecks.retestSample', {
            code: sc.code,
            retentionCode: ret,
            quantity: '1500',
            unit: 'g',
            reason: 'retest',
          }),
        ),
      ).toBe('errors.retention_overdrawn');
      const withdrawn = await app.ok(qa, 'spotChecks.retestSample', {
        code: sc.code,
        retentionCode: ret,
        quantity: '0.4',
        unit: 'kg',
        reason: '复检用样：留样一罐送复检机构',
      });
      expect(withdrawn.retention).toMatchObject({ sampleCode: ret, quantity: '0.4', unit: 'kg' });
      const detail = await app.ok(qa, 'retention.detail', { code: ret });
      expect(detail).toMatchObject({ withdrawn: '400', remaining: '800' });
      expect(detail.withdrawals.map((x) => [x.purpose, x.spotCheckCode])).toEqual([['spot_check_retest', sc.code]]);
      expect(
        errKey(
          await app.call(qa, 'spotChecks.retestSample', {
            code: sc.code,
            retentionCode: ret,
            quantity: '1',
            unit: 'g',
            reason: 'again',
          }),
        ),
      ).toBe('errors.spot_check_retention_taken');
    });

    it('appeals recorded against the plant’s own rejections are carried forward or retired, never rewritten', async () => {
      const rejected = async () => {
        const lot = await tanker(w);
        await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
        await runPanel(w, lot, { beta_lactam: 'present' }, ['apc', 'somatic_cells']);
        await w.app.ok(w.qa, 'intake.decide', {
          lotCode: lot,
          decision: 'reject',
          reason: 'β-lactam positive',
          signature: sign('rejected'),
        });
        return lot;
      };
      const a = await rejected();
      const b = await rejected();
      // Two appeals as the app recorded them before issue 20 (the old channel is gone).
      const svc = w.app.core.need();
      const qaUser = svc.identity.getUser('qa.chen')!;
      const ids = svc.ledger.write(actorOf(qaUser), (wr) =>
        [a, b].map((lot) => {
          const intake = svc.ledger.db.prepare('SELECT id FROM raw_milk_intake WHERE lot_code = ?').get(lot) as {
            id: string;
          };
          return wr.create(I.appeal, {
            intake_id: intake.id,
            lot_code: lot,
            supplier_code: 'FARM-1',
            item_codes: 'beta_lactam',
            first_lab: 'LotSeal plant laboratory',
            notified_on: '2026-04-30',
            apply_deadline: '2026-05-11',
            applied_on: '2026-04-30',
            retest_lab: null,
            sample_received_on: null,
            report_deadline: null,
            report_received_on: null,
            outcome: null,
            status: 'applied',
            note: null,
          }).id;
        }),
      );
      expect((await w.app.ok(w.qa, 'appeals.list', {})).map((x) => x.id).sort()).toEqual([...ids].sort());
      const sc = await w.app.ok(w.qa, 'appeals.carryForward', {
        id: ids[0]!,
        authority: '贺兰县农业农村局',
        sampledOn: '2026-04-29',
        sampleDesc: '收购站生鲜乳',
        items: [{ name: 'β-内酰胺类抗生素', result: '阳性', requirement: '阴性', conforming: false }],
        reason: '该复检申请实为县局监督抽查结果的异议',
      });
      expect(sc).toMatchObject({
        legacyAppealId: ids[0],
        appliedOn: '2026-04-30',
        appliedTo: '贺兰县农业农村局',
        stage: 'applied',
      });
      await w.app.ok(w.qa, 'appeals.retire', { id: ids[1]!, reason: '供应商对本厂拒收结果有异议，不属于监督抽查复检' });
      expect(await w.app.ok(w.qa, 'appeals.list', {})).toEqual([]);
      // The old records are still there, retired with their reasons.
      const audit = svc.ledger.db
        .prepare(
          "SELECT entity_id, action, reason FROM audit_entry WHERE entity = 'intake_appeal' AND action = 'retire' ORDER BY seq",
        )
        .all() as Array<{ entity_id: string; reason: string }>;
      expect(audit.map((x) => x.entity_id)).toEqual(ids);
      expect(audit[0]!.reason).toContain(sc.code);
      expect(errKey(await w.app.call(w.qa, 'appeals.retire', { id: ids[0]!, reason: 'twice' }))).toBe(
        'errors.appeal_not_found',
      );
    });
  });
});
