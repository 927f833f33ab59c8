import { seedDisposition, type DispositionSeed } from './disposition-seed';
import { SPEC } from './testing-seed';
import type { SpecDocument, SpecItem } from '../../src/shared/catalog/spec-schema';

const base = SPEC.items.find((i) => i.code === 'protein')!;
const item = (p: Partial<SpecItem> & Pick<SpecItem, 'code' | 'name_zh' | 'name_en'>): SpecItem => ({
  ...base,
  min: null,
  max: null,
  method_code: null,
  ...p,
});

/**
 * GB 10765-2021 limits protein and fat per 100 kJ: the lab measures per 100 g, energy and
 * carbohydrate are calculated, and the certificate must print the per-100 kJ value with
 * its unit "g/100 kJ" (issue 20 §2). The limits are rough e2e figures.
 */
export const PER_KJ_SPEC: SpecDocument = {
  ...SPEC,
  items: [
    item({
      code: 'energy',
      name_zh: '能量',
      name_en: 'Energy',
      unit: 'kJ/100 g',
      min: '1850',
      max: '2250',
      precision: 0,
      formula: '17 * protein + 37 * fat + 17 * carbohydrate',
    }),
    item({
      code: 'protein',
      name_zh: '蛋白质',
      name_en: 'Protein',
      unit: 'g',
      basis: 'per_100kj',
      min: '0.43',
      max: '0.72',
      precision: 2,
      method_code: 'GB 5009.5',
    }),
    item({
      code: 'fat',
      name_zh: '脂肪',
      name_en: 'Fat',
      unit: 'g',
      basis: 'per_100kj',
      min: '1.05',
      max: '1.43',
      precision: 2,
      method_code: 'GB 5009.6',
    }),
    item({
      code: 'carbohydrate',
      name_zh: '碳水化合物',
      name_en: 'Carbohydrate',
      limit_form: 'report_only',
      precision: 1,
      formula: '100 - moisture - protein - fat - ash',
    }),
    item({
      code: 'moisture',
      name_zh: '水分',
      name_en: 'Moisture',
      group: 'other',
      limit_form: 'maximum',
      max: '5.0',
      precision: 1,
      method_code: 'GB 5009.3',
    }),
    item({
      code: 'ash',
      name_zh: '灰分',
      name_en: 'Ash',
      group: 'other',
      limit_form: 'report_only',
      precision: 1,
      method_code: 'GB 5009.4',
    }),
  ],
};

/**
 * The release journey's lot on PER_KJ_SPEC, measured per 100 g: carbohydrate 56.87 g/100 g,
 * energy 2144.70 kJ/100 g, so protein 11.83 g/100 g is 0.55 g/100 kJ and fat 26.4 g/100 g is
 * 1.23 g/100 kJ. Everything else as seedDisposition: only the audit-trail review is missing.
 */
export async function seedPerKjRelease(url: string): Promise<DispositionSeed> {
  return seedDisposition(url, {
    spec: PER_KJ_SPEC,
    entries: (ids) => [
      { id: ids['protein']!, replicates: ['11.83'] },
      { id: ids['fat']!, replicates: ['26.4'] },
      { id: ids['moisture']!, replicates: ['2.6'] },
      { id: ids['ash']!, replicates: ['2.3'] },
    ],
  });
}
