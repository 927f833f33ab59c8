import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { SPEC_DOCUMENT_SCHEMA, type SpecItem } from '../../src/shared/catalog/spec-schema';
import * as plant from '../fixtures/plant';
import { MATERIALS, plainSupplier, PRODUCTS } from '../fixtures/plant';
import { DAY, DOCS, errKey, later, OK, runPanel, sign, tanker, world, type World } from '../helpers/intake';

describe('raw milk intake', () => {
  let w: World;
  afterEach(() => w.app.close());

  describe('decisions', () => {
    beforeEach(async () => {
      w = await world();
    });

    it('a clean tanker: the panel is planned as tests of the tanker sample; accept signed; the lot becomes usable', async () => {
      const lot = await tanker(w);
      expect((await w.app.ok(w.tech, 'intake.list', {})).awaiting.map((a) => a.lotCode)).toEqual([lot]);
      const d0 = await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      expect(d0.intake).toMatchObject({ status: 'testing', samplingLevel: 'normal', panelCode: 'BUILT-IN' });
      expect(d0.checks.map((c) => c.code)).toEqual([
        'temperature',
        'sensory_defect',
        'alcohol_test',
        'acidity',
        'relative_density',
        'fat',
        'protein',
        'non_fat_solids',
        'freezing_point',
        'beta_lactam',
        'tetracycline',
        'afm1_screen',
        'melamine_screen',
        'apc',
        'somatic_cells',
      ]);
      // Plate count and somatic cells are recorded later: they do not decide the tanker.
      expect(d0.checks.filter((c) => c.timing === 'retrospective').map((c) => c.code)).toEqual([
        'apc',
        'somatic_cells',
      ]);
      expect(d0.proposal).toBe('incomplete');
      await runPanel(w, lot);
      const d = await w.app.ok(w.tech, 'intake.get', { lotCode: lot });
      expect(d.proposal).toBe('accept');
      expect(d.checks.every((c) => c.verdict === 'pass')).toBe(true);
      await w.app.ok(w.tech, 'intake.decide', {
        lotCode: lot,
        decision: 'accept',
        reason: 'all checks within limits',
        signature: sign('accepted'),
      });
      const after = await w.app.ok(w.qa, 'intake.get', { lotCode: lot });
      expect(after.lot.status).toBe('accepted');
      expect(after.signatures.map((s) => [s.meaning, s.userId])).toEqual([['accepted', 'tech.li']]);
      // The accepted lot is usable in a batch without an override.
      await plant.product(w.app.member(w.qa), PRODUCTS.wmp);
      const b = await w.app.ok(w.prod, 'batches.start', {
        line: 'Line 1',
        outputKind: 'finished',
        itemCode: 'WMP',
        unit: 'kg',
      });
      await w.app.ok(w.prod, 'batches.consume', { batchId: b.id, inputLot: lot, quantity: '20000', unit: 'kg' });
    });

    it('a positive β-lactam screen proposes reject; accept is refused; only a QA manager rejects', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      await runPanel(w, lot, { beta_lactam: 'present' });
      const d = await w.app.ok(w.tech, 'intake.get', { lotCode: lot });
      expect(d.proposal).toBe('reject');
      expect(d.causes).toEqual(['check.beta_lactam']);
      expect(d.checks.find((c) => c.code === 'beta_lactam')).toMatchObject({
        verdict: 'fail',
        reported: 'present (1/1)',
      });
      // No OOS investigation for a tanker: the intake decision settles it.
      expect((await w.app.ok(w.qa, 'oos.list', {})).total).toBe(0);
      expect(
        errKey(
          await w.app.call(w.tech, 'intake.decide', {
            lotCode: lot,
            decision: 'accept',
            reason: 'looks fine',
            signature: sign('accepted'),
          }),
        ),
      ).toBe('errors.intake_checks_failed');
      expect(
        errKey(
          await w.app.call(w.tech, 'intake.decide', {
            lotCode: lot,
            decision: 'reject',
            reason: 'antibiotic residue',
            signature: sign('rejected'),
          }),
        ),
      ).toBe('errors.intake_reject_needs_qa');
      await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: 'β-lactam screen positive',
        signature: sign('rejected'),
      });
      const r = await w.app.ok(w.qa, 'intake.get', { lotCode: lot });
      expect(r.lot.status).toBe('rejected');
      expect(r.intake).toMatchObject({
        status: 'rejected',
        rejectCauses: ['check.beta_lactam'],
        decisionReason: 'β-lactam screen positive',
      });
      // A rejected lot cannot be used.
      await plant.product(w.app.member(w.qa), PRODUCTS.wmp);
      const b = await w.app.ok(w.prod, 'batches.start', {
        line: 'Line 1',
        outputKind: 'finished',
        itemCode: 'WMP',
        unit: 'kg',
      });
      expect(
        errKey(
          await w.app.call(w.prod, 'batches.consume', { batchId: b.id, inputLot: lot, quantity: '100', unit: 'kg' }),
        ),
      ).toBe('errors.lot_rejected');
    });

    it('a declared colostrum tanker is refused outright: no sample, no acceptance', async () => {
      const lot = await tanker(w);
      const d = await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: { ...OK, noColostrum: false } });
      expect(d.intake).toMatchObject({ status: 'refused', sampleCode: null });
      expect(d.proposal).toBe('reject');
      expect(d.causes).toEqual(['declaration.noColostrum']);
      expect((await w.app.ok(w.qa, 'samples.list', { lotCode: lot })).total).toBe(0);
      expect(
        errKey(
          await w.app.call(w.qa, 'intake.decide', {
            lotCode: lot,
            decision: 'accept',
            reason: 'override attempt',
            signature: sign('accepted'),
          }),
        ),
      ).toBe('errors.intake_declaration_refused');
      await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: 'colostrum declared',
        signature: sign('rejected'),
      });
      expect((await w.app.ok(w.qa, 'intake.get', { lotCode: lot })).lot.status).toBe('rejected');
    });

    it('tightened sampling after a rejection, back to normal after the configured consecutive passes', async () => {
      await w.app.ok(w.qa, 'suppliers.sampling.configure', {
        supplierCode: 'FARM-1',
        passesRequired: 2,
        reason: 'plant rule QP-12: two clean tankers',
      });
      const bad = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: bad, declarations: OK, documents: DOCS });
      await runPanel(w, bad, { freezing_point: '-0.480' }); // added water
      await w.app.ok(w.qa, 'intake.decide', {
        lotCode: bad,
        decision: 'reject',
        reason: 'freezing point: added water',
        signature: sign('rejected'),
      });
      expect((await w.app.ok(w.qa, 'suppliers.sampling', { supplierCode: 'FARM-1' })).level).toBe('tightened');
      // The other farm is not affected.
      expect((await w.app.ok(w.qa, 'suppliers.sampling', { supplierCode: 'FARM-2' })).level).toBe('normal');
      const codes: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const lot = await tanker(w);
        const d = await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
        codes.push(d.checks.map((c) => c.code));
        expect(d.sampling.level).toBe(i < 2 ? 'tightened' : 'normal');
        await runPanel(w, lot);
        await w.app.ok(w.tech, 'intake.decide', {
          lotCode: lot,
          decision: 'accept',
          reason: 'all checks within limits',
          signature: sign('accepted'),
        });
      }
      expect(codes[0]).toEqual(expect.arrayContaining(['apc', 'afm1', 'melamine', 'impurities']));
      expect(codes[0]).toHaveLength(18);
      expect(codes[2]).toHaveLength(15);
      const h = await w.app.ok(w.qa, 'suppliers.sampling', { supplierCode: 'FARM-1' });
      expect(h.level).toBe('normal');
      expect(h.history.map((x) => x.level)).toEqual(['normal', 'tightened', 'tightened', 'normal']);
      expect(h.history[0]!.reason).toMatch(/^normal: 2 consecutive passes/);
      const perf = await w.app.ok(w.qa, 'suppliers.performance', {
        from: '2026-01-01',
        to: '2026-12-31',
        supplierCode: 'FARM-1',
      });
      expect(perf[0]).toMatchObject({
        intakes: 4,
        accepted: 3,
        rejected: 1,
        passRate: '75.0',
        rejectsByCause: [{ cause: 'check.freezing_point', count: 1 }],
        level: 'normal',
      });
    });

    it('a failed ingredient inspection tightens the supplier: the next inspection tests every item', async () => {
      await plant.material(w.app.member(w.qa), MATERIALS.wpc80);
      // The whey supplier with no audit dates on file (the library's SUP-W has them).
      await plant.supplier(w.app.member(w.qa), plainSupplier('SUP-W', 'ingredient'));
      const m = (
        (await w.app.ok(w.qa, 'catalog.materials.list', {} as never)) as Array<{ id: string; code: string }>
      ).find((x) => x.code === 'WPC80')!;
      const item = (over: Partial<SpecItem> & { code: string }): SpecItem => ({
        name_zh: over.code,
        name_en: over.code,
        group: 'macronutrients',
        method_code: null,
        unit: 'g/100g',
        basis: 'per_100g',
        limit_form: 'minimum',
        min: '78.0',
        max: null,
        target: null,
        lod: null,
        n: null,
        c: null,
        m: null,
        big_m: null,
        precision: 1,
        comparison: 'full_value',
        required_for_release: true,
        in_house_only: true,
        frequency: 'every_lot',
        frequency_n: null,
        period_days: null,
        formula: null,
        clause: null,
        source: 'plant',
        verification: 'plant',
        note: null,
        ...over,
      });
      const items = [
        item({ code: 'protein' }),
        item({
          code: 'pb',
          group: 'contaminants',
          unit: 'mg/kg',
          basis: 'per_kg',
          limit_form: 'maximum',
          min: null,
          max: '0.3',
          frequency: 'every_nth_lot',
          frequency_n: 10,
        }),
      ];
      const json = JSON.stringify({
        schema: SPEC_DOCUMENT_SCHEMA,
        title_zh: 'WPC',
        title_en: 'WPC',
        subject_kind: 'material',
        applies_to: 'ingredient',
        standard: null,
        version_note: null,
        items,
      });
      const v = await w.app.ok(w.qa, 'specs.create', {
        subjectKind: 'material',
        subjectId: m.id,
        code: 'SPEC-WPC',
        titleZh: 'WPC',
        titleEn: 'WPC',
        from: { kind: 'document', json },
      });
      await w.app.ok(w.qa, 'specs.setEffective', { versionId: v.id, effectiveFrom: '2026-01-01' });
      await w.app.ok(w.qa, 'specs.approve', { versionId: v.id, signature: sign('approved') });
      const receive = async () =>
        (
          await w.app.ok(w.prod, 'lots.receive', {
            kind: 'ingredient',
            materialCode: 'WPC80',
            supplierCode: 'SUP-W',
            supplierLot: `W-${Math.random()}`,
            quantity: '1000',
            unit: 'kg',
            containers: 40,
            condition: 'intact',
            expiryDate: '2027-12-31',
          })
        ).code;
      const inspect = async (lot: string) =>
        (
          await w.app.ok(w.tech, 'samples.register', {
            kind: 'incoming_inspection',
            lotCode: lot,
            samplingPoint: 'Bag 3',
            quantity: '200',
            unit: 'g',
            container: 'bag',
            receipt: { condition: 'intact' },
          })
        ).sample.code;
      const first = await inspect(await receive());
      const rs = (await w.app.ok(w.tech, 'results.forSample', { sampleCode: first })).results;
      expect(rs.map((r) => r.itemCode)).toEqual(['protein', 'pb']); // first lot: pb due (every 10th)
      await w.app.ok(w.tech, 'results.enterMany', {
        entries: [
          { id: rs[0]!.id, replicates: ['80.1'] },
          { id: rs[1]!.id, replicates: ['0.05'] },
        ],
      });
      await w.app.ok(w.tech, 'results.submit', { sampleCode: first, signature: sign('authored') });
      await w.app.ok(w.rev, 'results.review', {
        ids: rs.map((r) => r.id),
        decision: 'approve',
        signature: sign('reviewed'),
      });
      const second = await inspect(await receive());
      const rs2 = (await w.app.ok(w.tech, 'results.forSample', { sampleCode: second })).results;
      expect(rs2.map((r) => r.itemCode)).toEqual(['protein']); // normal sampling: pb not due
      await w.app.ok(w.tech, 'results.enter', { id: rs2[0]!.id, replicates: ['75.0'] });
      await w.app.ok(w.tech, 'results.submit', { sampleCode: second, signature: sign('authored') });
      expect((await w.app.ok(w.qa, 'suppliers.sampling', { supplierCode: 'SUP-W' })).level).toBe('tightened');
      const third = await inspect(await receive());
      expect(
        (await w.app.ok(w.tech, 'results.forSample', { sampleCode: third })).results.map((r) => r.itemCode),
      ).toEqual(['protein', 'pb']);
    });
  });

  describe('authority report', () => {
    beforeEach(async () => {
      w = await world(true);
    });

    it('a rejection produces the 第二十八条 report with tanker, supplier, result and reason', async () => {
      const lot = await tanker(w);
      await w.app.ok(w.tech, 'intake.start', { lotCode: lot, declarations: OK, documents: DOCS });
      await runPanel(w, lot, { beta_lactam: 'present' });
      w.app.conn('qa'); // the QA manager's session prints in Chinese
      const d = await w.app.ok(w.qa, 'intake.decide', {
        lotCode: lot,
        decision: 'reject',
        reason: 'β-lactam screen positive',
        signature: sign('rejected'),
      });
      expect(d.intake!.reportDocumentId).not.toBeNull();
      const doc = await w.app.ok(w.qa, 'intake.report', { lotCode: lot, locale: 'zh-CN' });
      expect(doc.reprint).toBe(true);
      const file = join(w.app.dir, 'report.pdf');
      writeFileSync(file, Buffer.from(doc.base64, 'base64'));
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
      for (const s of [
        lot,
        'FARM-1',
        '宁A·12345',
        'β-内酰胺类抗生素',
        '不合格',
        'β-lactam screen positive',
        '第二十八条',
        '拒收',
      ])
        expect(text).toContain(s);
      const docs = await w.app.ok(w.qa, 'documents.list', {
        subjectEntity: 'raw_milk_intake',
        subjectId: d.intake!.id,
      });
      expect(docs.map((x) => x.kind)).toEqual(['authority_report', 'authority_report']);
    });
  });
});

describe('environmental monitoring', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  it("a positive zone 1 swab lists the lots made on its line since the last negative there (live, until closed), holds those with stock with one signature, schedules follow-ups and closes only after three negatives with a QA manager's signature", async () => {
    const { app, qa, tech, prod } = w;
    // IF-1 as a plain dairy product: the swab holds lots, no infant-formula release rules involved.
    await plant.product(app.member(qa), { ...PRODUCTS.if1, stage: 'other_dairy', shelfLifeDays: 720, packSizes: [] });
    const site = await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z1-FILLER-2',
        nameZh: '2线灌装机内表面',
        nameEn: 'Line 2 filler inner surface',
        kind: 'environment',
        zone: 1,
        line: 'Line 2',
        room: 'Filling 2',
        active: true,
      },
    });
    await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z2-FILLER-2',
        nameZh: '2线灌装机外壳',
        nameEn: 'Line 2 filler housing',
        kind: 'environment',
        zone: 2,
        line: 'Line 2',
        room: 'Filling 2',
        active: true,
      },
    });
    await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z1-FILLER-1',
        nameZh: '1线灌装机',
        nameEn: 'Line 1 filler',
        kind: 'environment',
        zone: 1,
        line: 'Line 1',
        room: 'Filling 1',
        active: true,
      },
    });
    // Each finished lot is made from accepted raw milk and has stock (a hold reaches lots with stock left).
    const milk = await tanker(w);
    await app.ok(qa, 'lots.decide', {
      code: milk,
      decision: 'accept',
      reason: 'intake passed',
      signature: sign('accepted'),
    } as never);
    const lotOn = async (line: string) => {
      const b = await app.ok(prod, 'batches.start', { line, outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' });
      await app.ok(prod, 'batches.consume', { batchId: b.id, inputLot: milk, quantity: '100', unit: 'kg' });
      await app.ok(prod, 'batches.finish', { batchId: b.id, quantity: '12' });
      return b.output.code;
    };
    const swab = async (value: 'absent' | 'present') => {
      const s = await app.ok(tech, 'samples.register', {
        kind: 'environmental_swab',
        siteCode: site.code,
        samplingPoint: 'filler nozzle',
        targets: ['cronobacter'],
        quantity: '1',
        unit: 'pcs',
        container: 'swab tube',
        receipt: { condition: 'intact' },
      });
      const [r] = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
      await app.ok(tech, 'results.enter', { id: r!.id, unitValues: [value] });
      return (
        await app.ok(tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') }),
        s.sample.code
      );
    };
    const old = await lotOn('Line 2'); // before the last negative
    await later(w, DAY);
    await swab('absent');
    await later(w, DAY);
    const a1 = await lotOn('Line 2');
    const other = await lotOn('Line 1');
    await later(w, DAY);
    const a2 = await lotOn('Line 2');
    await later(w, DAY);
    // a2 is released and shipped part; a1 is released; the finished lots start on hold.
    await app.ok(qa, 'lots.decide', {
      code: a1,
      decision: 'release',
      reason: 'released',
      signature: sign('released'),
    } as never);
    const swabCode = await swab('present');
    const alerts = await app.ok(qa, 'env.alerts.list', { status: 'open' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ siteCode: 'Z1-FILLER-2', target: 'cronobacter', zone: 1, sampleCode: swabCode });
    const d = await app.ok(qa, 'env.alerts.get', { code: alerts[0]!.code });
    expect(d.lots.map((l) => l.code)).toEqual([a1, a2]);
    expect(d.lots.map((l) => l.code)).not.toContain(old);
    expect(d.lots.map((l) => l.code)).not.toContain(other);
    expect(d.lots.find((l) => l.code === a1)).toMatchObject({ status: 'released', holdable: true });
    expect(d.lots.find((l) => l.code === a2)).toMatchObject({ status: 'on_hold', holdable: false });
    expect(d.followUps.map((f) => [f.siteCode, f.kind])).toEqual([
      ['Z1-FILLER-2', 're_swab'],
      ['Z2-FILLER-2', 'vector'],
    ]);
    expect((await app.ok(tech, 'sites.due', {})).map((s) => s.siteCode).sort()).toEqual(['Z1-FILLER-2', 'Z2-FILLER-2']);
    // No OOS for a swab; the lots on hold awaiting release stay blocked while the alert is open.
    expect((await app.ok(qa, 'oos.list', {})).total).toBe(0);
    expect(
      errKey(
        await app.call(qa, 'lots.decide', {
          code: a2,
          decision: 'release',
          reason: 'release',
          signature: sign('released'),
        } as never),
      ),
    ).toBe('errors.lot_env_alert');
    const held = await app.ok(qa, 'env.alerts.hold', {
      code: alerts[0]!.code,
      lotCodes: [a1],
      reason: 'Cronobacter on zone 1 filler',
      signature: sign('held'),
    });
    expect(held.held).toEqual([a1]);
    expect((await app.ok(qa, 'lots.get', { code: a1 })).lot.status).toBe('on_hold');
    expect(
      errKey(
        await app.call(qa, 'env.alerts.hold', {
          code: alerts[0]!.code,
          lotCodes: [other],
          reason: 'not affected',
          signature: sign('held'),
        }),
      ),
    ).toBe('errors.env_lot_not_affected');
    const heat = await app.ok(qa, 'env.heatmap', { from: '2026-04-27', to: '2026-05-10' });
    expect(
      heat.cells
        .filter((c) => c.siteId === site.id)
        .map((c) => c.result)
        .sort(),
    ).toEqual(['negative', 'positive']);
    // Live (issue 19 §6): a lot made on the line after the alert was raised is at risk too.
    await later(w, DAY);
    const a3 = await lotOn('Line 2');
    expect((await app.ok(qa, 'env.alerts.get', { code: alerts[0]!.code })).lots.map((l) => l.code)).toEqual([
      a1,
      a2,
      a3,
    ]);
    expect(
      errKey(
        await app.call(qa, 'lots.decide', {
          code: a3,
          decision: 'release',
          reason: 'release',
          signature: sign('released'),
        } as never),
      ),
    ).toBe('errors.lot_env_alert');
    // Closing needs three consecutive negative follow-up swabs of the site, and a QA manager's signature.
    const close = (c: Connection) =>
      app.call(c, 'env.alerts.close', {
        code: alerts[0]!.code,
        reason: 'three negative re-swabs, cleaning verified',
        signature: sign('alert_closed'),
      });
    expect(errKey(await close(qa))).toBe('errors.env_close_swabs');
    for (let i = 0; i < 2; i++) {
      await later(w, DAY);
      await swab('absent');
    }
    const g = await app.ok(qa, 'env.alerts.get', { code: alerts[0]!.code });
    expect(g.alert).toMatchObject({ negativeSwabs: 2, swabsNeeded: 3 });
    expect(errKey(await close(qa))).toBe('errors.env_close_swabs');
    await later(w, DAY);
    await swab('absent');
    const head = app.core.need().ledger.head();
    // A technician may not close it (sites.manage is QA's), nor a QA manager without the right meaning.
    expect(errKey(await close(tech))).toBe('errors.forbidden');
    expect(
      errKey(
        await app.call(qa, 'env.alerts.close', {
          code: alerts[0]!.code,
          reason: 'closing',
          signature: sign('approved'),
        }),
      ),
    ).toBe('errors.signature_meaning_mismatch');
    expect(app.core.need().ledger.head()).toEqual(head);
    const closed = await close(qa);
    expect(closed.ok).toBe(true);
    const after = await app.ok(qa, 'env.alerts.get', { code: alerts[0]!.code });
    expect(after.alert).toMatchObject({ status: 'closed', closedBy: 'qa.chen' });
    expect(after.alert.closureSwabs).toHaveLength(3);
    expect(after.lots.map((l) => l.code)).toEqual([a1, a2, a3]);
    const sigs = app.core.need().identity.signaturesFor('env_alert', after.alert.id);
    expect(sigs.map((x) => [x['meaning'], x['user_id'], x.valid])).toEqual([['alert_closed', 'qa.chen', true]]);
    expect((await app.ok(tech, 'sites.due', {})).map((s) => s.siteCode)).toEqual([]);
    // Closed: lots made afterwards are not at risk; the alert no longer blocks.
    await later(w, DAY);
    const a4 = await lotOn('Line 2');
    expect((await app.ok(qa, 'env.alerts.get', { code: alerts[0]!.code })).lots.map((l) => l.code)).not.toContain(a4);
  });
});
