import Decimal from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approveSpec,
  DAY,
  errCode,
  errKey,
  finishedLot,
  head,
  later,
  releaseSample,
  results,
  sign,
  specItem,
  world,
  type World,
} from '../helpers/testing-world';


const MOISTURE = specItem({
  code: 'moisture',
  group: 'other',
  method_code: 'GB 5009.3',
  unit: 'g/100g',
  basis: 'per_100g',
  limit_form: 'maximum',
  max: '5.0',
  precision: 1,
});

/** One lot a day: a release sample with its moisture entered, submitted and reviewed. */
async function lotWithMoisture(w: World, value: string): Promise<{ lot: string; date: string }> {
  const lot = await finishedLot(w);
  const s = await releaseSample(w, lot);
  const [r] = await results(w, s);
  await w.app.ok(w.tech, 'results.enter', { id: r!.id, replicates: [value] });
  await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
  await w.app.ok(w.rev, 'results.review', { ids: [r!.id], decision: 'approve', signature: sign('reviewed') });
  const date = (await w.app.ok(w.qa, 'lots.get', { code: lot })).lot.date.slice(0, 10);
  await later(w, DAY);
  return { lot, date };
}

const mean = (xs: string[]) =>
  xs
    .reduce((a, b) => a.plus(b), new Decimal(0))
    .div(xs.length)
    .toFixed(10);

/**
 * Issue 20 §6 over the contract: limits from a baseline period a QA manager signs, computed on
 * unrounded values; Westgard against that baseline; QC check samples charted per method and
 * instrument.
 */
describe('charts that do not drift (issue 20 §6)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await approveSpec(w, [MOISTURE]);
  });
  afterEach(() => w.app.close());

  it('a signed baseline of unrounded values fixes the limits; later points are judged against it', async () => {
    const base = ['2.54', '2.46', '2.51', '2.58', '2.43', '2.49'];
    const lots = [];
    for (const v of base) lots.push(await lotWithMoisture(w, v));
    const chart = { kind: 'product' as const, productCode: 'IF-1', itemCode: 'moisture' };
    // Before any baseline the chart says it has none (its limits come from the window).
    let s = await w.app.ok(w.qa, 'trends.series', { productCode: 'IF-1', itemCode: 'moisture' });
    expect(s.baseline).toBeNull();
    expect(s.points.map((p) => [p.reported, p.value])).toEqual(
      base.map((v) => [new Decimal(v).toFixed(1, Decimal.ROUND_HALF_EVEN), v]),
    );
    const period = { from: lots[0]!.date, to: lots.at(-1)!.date };
    // Only a QA manager signs a baseline, with the meaning `approved`; too short a period is refused.
    expect(
      errCode(
        await w.app.call(w.tech, 'trends.baselineCreate', {
          chart,
          ...period,
          note: 'x baseline',
          signature: sign('approved'),
        }),
      ),
    ).toBe('forbidden');
    const before = head(w);
    expect(
      errKey(
        await w.app.call(w.qa, 'trends.baselineCreate', {
          chart,
          from: lots[0]!.date,
          to: lots[2]!.date,
          note: 'three lots only',
          signature: sign('approved'),
        }),
      ),
    ).toBe('errors.baseline_too_few');
    expect(head(w)).toBe(before);
    const b = await w.app.ok(w.qa, 'trends.baselineCreate', {
      chart,
      ...period,
      note: 'Validation lots after the dryer overhaul (CAPA-2026-004)',
      signature: sign('approved'),
    });
    // Computed on the unrounded values (2.54 …), not on the reported ones (2.5 …).
    expect(b).toMatchObject({ n: 6, status: 'active', createdBy: 'qa.chen', mean: mean(base) });
    expect(mean(base)).not.toBe(mean(base.map((v) => new Decimal(v).toFixed(1))));
    expect(b.points.map((p) => p.value)).toEqual(base);
    const sigs = await w.app.ok(w.qa, 'signatures.forRecord', { entity: 'control_baseline', entityId: b.id });
    expect(sigs.map((x) => x.meaning)).toEqual(['approved']);

    // Later lots do not move the limits; a far point is flagged against the baseline.
    s = await w.app.ok(w.qa, 'trends.series', { productCode: 'IF-1', itemCode: 'moisture' });
    const limits = s.stats;
    await lotWithMoisture(w, '2.97');
    await lotWithMoisture(w, '2.52');
    s = await w.app.ok(w.qa, 'trends.series', { productCode: 'IF-1', itemCode: 'moisture' });
    expect(s.baseline?.id).toBe(b.id);
    expect(s.stats).toEqual(limits);
    const far = s.points.find((p) => p.value === '2.97')!;
    expect(far.rules).toEqual(expect.arrayContaining(['1_2s', '1_3s']));
    // Without the baseline the window's own limits would have widened around 2.97.
    expect(new Decimal(s.stats!.ctlHigh).lt('2.97')).toBe(true);

    // A new baseline supersedes the old one; both stay on record.
    const b2 = await w.app.ok(w.qa, 'trends.baselineCreate', {
      chart,
      from: lots[0]!.date,
      to: (await w.app.ok(w.qa, 'trends.series', { productCode: 'IF-1', itemCode: 'moisture' })).points.at(-1)!.lotDate,
      note: 'Extended after review of the 2.97 excursion (no assignable cause)',
      signature: sign('approved'),
    });
    const all = await w.app.ok(w.qa, 'trends.baselines', { chart });
    expect(all.map((x) => [x.id, x.status])).toEqual([
      [b2.id, 'active'],
      [b.id, 'superseded'],
    ]);
  });

  it('QC check samples have their own charts per method and instrument, judged against their own baseline', async () => {
    const fields = {
      name: 'Oven',
      kind: 'moisture_analyser' as const,
      make: null,
      model: null,
      serialNo: null,
      location: 'Lab 2',
      portPath: '/dev/ttyUSB9',
      usbSerial: null,
      usbVendorId: null,
      usbProductId: null,
      baudRate: 9600,
      dataBits: 8 as const,
      parity: 'none' as const,
      stopBits: 1 as const,
      flowControl: 'none' as const,
      lineEnding: 'crlf' as const,
      driver: 'mt-sics' as const,
      printConfig: null,
      checkIntervalHours: 0,
      active: true,
    };
    const oven1 = await w.app.ok(w.app.admin, 'instruments.save', { fields: { ...fields, code: 'OVEN-1' } });
    const oven2 = await w.app.ok(w.app.admin, 'instruments.save', { fields: { ...fields, code: 'OVEN-2' } });
    const material = {
      code: 'SPK-MOIST-01',
      nameZh: '水分加标样',
      nameEn: 'Moisture spiked sample',
      kind: 'spiked' as const,
      methodCode: 'GB 5009.3',
      itemCode: 'moisture',
      unit: 'g/100 g',
      assignedValue: '4.00',
      uncertainty: null,
      certificateNo: null,
      lotNo: 'SPK-2603',
      expiresOn: null,
      note: null,
      active: true,
    };
    expect(errCode(await w.app.call(w.tech, 'qc.materialSave', material))).toBe('forbidden');
    await w.app.ok(w.qa, 'qc.materialSave', material);
    expect(
      errKey(
        await w.app.call(w.qa, 'qc.materialSave', {
          ...material,
          code: 'CRM-1',
          kind: 'reference_material',
        }),
      ),
    ).toBe('errors.qc_certificate_required');
    const days: string[] = [];
    for (const v of ['3.98', '4.03', '3.95', '4.01', '4.04', '3.97']) {
      const r = await w.app.ok(w.tech, 'qc.record', { materialCode: material.code, instrumentId: oven1.id, value: v });
      expect(r.recovery).toBe(new Decimal(v).times(25).toString()); // v / 4.00 × 100
      days.push(
        (
          await w.app.ok(w.qa, 'qc.series', {
            materialCode: material.code,
            methodCode: 'GB 5009.3',
            instrumentId: oven1.id,
          })
        ).points.at(-1)!.lotDate,
      );
      await later(w, DAY);
    }
    // Another instrument is another chart.
    await w.app.ok(w.tech, 'qc.record', { materialCode: material.code, instrumentId: 'OVEN-2', value: '3.50' });
    const charts = await w.app.ok(w.qa, 'qc.charts', {});
    expect(charts.map((c) => [c.materialCode, c.instrumentCode, c.count])).toEqual([
      [material.code, 'OVEN-1', 6],
      [material.code, 'OVEN-2', 1],
    ]);
    // What charted results mean cannot change under them (a new assigned value is a new material).
    const heldHead = head(w);
    expect(
      errKey(
        await w.app.call(w.qa, 'qc.materialSave', { ...material, assignedValue: '4.10', reason: 'new certificate' }),
      ),
    ).toBe('errors.qc_material_in_use');
    expect(head(w)).toBe(heldHead);
    await w.app.ok(w.qa, 'qc.materialSave', { ...material, lotNo: 'SPK-2603B', reason: 'lot number corrected' });
    const spec = { kind: 'qc' as const, materialCode: material.code, methodCode: 'GB 5009.3', instrumentId: oven1.id };
    // A wrong password signs nothing (the failed attempt itself is a security record).
    expect(
      errCode(
        await w.app.call(w.qa, 'trends.baselineCreate', {
          chart: spec,
          from: days[0]!,
          to: days.at(-1)!,
          note: 'wrong password',
          signature: { password: 'not-the-password', meaning: 'approved' },
        }),
      ),
    ).toBe('wrong_password');
    expect(await w.app.ok(w.qa, 'trends.baselines', { chart: spec })).toEqual([]);
    const b = await w.app.ok(w.qa, 'trends.baselineCreate', {
      chart: spec,
      from: days[0]!,
      to: days.at(-1)!,
      note: 'OVEN-1 spiked-sample baseline, six runs',
      signature: sign('approved'),
    });
    expect(b).toMatchObject({ n: 6, mean: mean(['99.5', '100.75', '98.75', '100.25', '101', '99.25']) });
    await w.app.ok(w.tech, 'qc.record', { materialCode: material.code, instrumentId: oven1.id, value: '3.80' });
    const s = await w.app.ok(w.qa, 'qc.series', {
      materialCode: material.code,
      methodCode: 'GB 5009.3',
      instrumentId: oven1.id,
    });
    expect(s.item.unit).toBe('%');
    expect(s.baseline?.id).toBe(b.id);
    const last = s.points.at(-1)!;
    expect([last.measured, last.reported]).toEqual(['3.80', '95']);
    expect(last.rules).toContain('1_3s');
    // The OVEN-2 chart has no baseline of its own.
    const other = await w.app.ok(w.qa, 'qc.series', {
      materialCode: material.code,
      methodCode: 'GB 5009.3',
      instrumentId: oven2.id,
    });
    expect(other.baseline).toBeNull();
  });
});
