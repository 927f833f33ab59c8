import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coaHtml } from '../../src/main/disposition/documents';
import {
  approveSpec,
  by,
  enterAll,
  errKey,
  finishedLot,
  head,
  IF1_ITEMS,
  releaseSample,
  startCultures,
  results,
  specItem,
  world,
  type World,
} from '../helpers/testing-world';

/** Issue 20 §2 over the contract: reporting rules in the specification, micro notation at entry, units with their basis. */
describe('reported as the standards print them (issue 20 §2)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  const ITEMS = [
    ...IF1_ITEMS.map((i) => (i.code === 'apc' ? { ...i, reporting: { kind: 'colony_count' as const } } : i)),
    specItem({
      code: 'nitrate',
      group: 'contaminants',
      method_code: 'GB 5009.33',
      unit: 'mg/kg',
      basis: 'per_kg',
      limit_form: 'maximum',
      max: '100',
      precision: null,
      reporting: { kind: 'interval', interval: '5' },
    }),
    specItem({
      code: 'vit_a',
      group: 'vitamins',
      method_code: 'GB 5009.82',
      unit: 'µg RE',
      basis: 'per_100g',
      limit_form: 'report_only',
      precision: null,
      reporting: { kind: 'figures', figures: 2 },
    }),
  ];

  it('a count typed as 2.1E3 or 1.5×10^3 is stored as the decimal it states and reported by GB 4789.2', async () => {
    const versionId = await approveSpec(w, ITEMS);
    const view = await w.app.ok(w.qa, 'specs.get', { versionId });
    expect(view.items.find((i) => i.code === 'apc')?.reporting).toEqual({ kind: 'colony_count' });
    const s = await releaseSample(w, await finishedLot(w));
    const rs = await enterAll(w, s, {
      apc: ['2.1E3', '1.5×10^3', '<10', '2.0×10²', '1000'],
      nitrate: ['62.4'],
      vit_a: ['438'],
    });
    const apc = by(rs, 'apc');
    expect(apc.unitValues).toEqual(['2100', '1500', '<10', '200', '1000']);
    expect(apc).toMatchObject({ reported: '2100', verdict: 'pass', reportUnit: 'CFU/g' });
    expect(apc.item.reporting).toEqual({ kind: 'colony_count' });
    expect(by(rs, 'nitrate')).toMatchObject({ reported: '60', verdict: 'pass', reportUnit: 'mg/kg' });
    expect(by(rs, 'vit_a')).toMatchObject({ reported: '440', reportUnit: 'µg RE/100 g' });
    expect(by(rs, 'protein')).toMatchObject({ reported: '0.56', reportUnit: 'g/100 kJ' });
    expect(by(rs, 'energy').reportUnit).toBe('kJ/100 mL');
    // Completeness (and so the certificate) carries the basis and the rule.
    const lot = apc.lotCode!;
    const c = await w.app.ok(w.qa, 'results.completeness', { lotCode: lot });
    expect(c.items.find((i) => i.code === 'protein')).toMatchObject({ reportUnit: 'g/100 kJ' });
    expect(c.items.find((i) => i.code === 'apc')?.reporting).toEqual({ kind: 'colony_count' });
  });

  it('notation and words an item does not take are refused, naming the value, and nothing is written', async () => {
    await approveSpec(w, ITEMS);
    const s = await releaseSample(w, await finishedLot(w));
    await startCultures(w, s);
    const rs = await results(w, s);
    const before = head(w);
    const refused = async (code: string, input: { replicates?: string[]; unitValues?: string[] }, key: string) => {
      const r = await w.app.call(w.tech, 'results.enter', { id: by(rs, code).id, ...input });
      expect(errKey(r), `${code} ${JSON.stringify(input)}`).toBe(key);
    };
    await refused('protein', { replicates: ['1.2E1'] }, 'errors.result_value_not_for_item');
    await refused('protein', { replicates: ['阴性'] }, 'errors.result_qualitative_not_allowed');
    await refused(
      'apc',
      { unitValues: ['absent', 'absent', 'absent', 'absent', 'absent'] },
      'errors.result_qualitative_not_allowed',
    );
    await refused(
      'apc',
      { unitValues: ['presumptive', '<10', '<10', '<10', '<10'] },
      'errors.result_presumptive_not_allowed',
    );
    await refused(
      'salmonella',
      { unitValues: ['2.1E3', 'absent', 'absent', 'absent', 'absent'] },
      'errors.result_value_not_for_item',
    );
    expect(head(w)).toBe(before);
    // Words are read for the item: 未检出 on a presence/absence plan is "absent", on lead "ND".
    const sal = await w.app.ok(w.tech, 'results.enter', {
      id: by(rs, 'salmonella').id,
      unitValues: ['未检出', '阴性', '未检出', '未检出', '未检出'],
    });
    expect(by(sal.changed, 'salmonella')).toMatchObject({ unitValues: Array(5).fill('absent'), reported: 'absent' });
    const pb = await w.app.ok(w.tech, 'results.enter', { id: by(rs, 'pb').id, replicates: ['未检出'] });
    expect(by(pb.changed, 'pb')).toMatchObject({ replicates: ['ND'], reported: 'ND', verdict: 'pass' });
  });

  it('the certificate prints each result with its basis and colony counts as a.b × 10ⁿ', () => {
    const html = coaHtml(
      {
        plantName: '宁夏示例乳业有限公司',
        product: { code: 'IF-1', nameZh: '婴儿配方奶粉', nameEn: 'Infant formula', registrationNo: null },
        lot: { code: 'FG-1', productionDate: '2026-03-05', expiryDate: null, quantity: '1000', unit: 'kg' },
        spec: null,
        items: [
          {
            code: 'protein',
            nameZh: '蛋白质',
            nameEn: 'Protein',
            reported: '0.53',
            limit: '0.43–0.72',
            unit: 'g/100 kJ',
            method: 'GB 5009.5',
            verdict: 'pass',
          },
          {
            code: 'apc',
            nameZh: '菌落总数',
            nameEn: 'Aerobic plate count',
            reported: '2100',
            limit: 'n=5 c=2 m=1000 M=10000',
            unit: 'CFU/g',
            reporting: { kind: 'colony_count' },
            method: 'GB 4789.2',
            verdict: 'pass',
          },
        ],
        signatures: [],
        issuedBy: 'QA',
      },
      'zh-CN',
      { seq: 42, hash: 'ab'.repeat(32) },
    );
    expect(html).toContain('g/100 kJ');
    expect(html).toContain('2.1 × 10³');
  });
});
