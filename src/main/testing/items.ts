import type { SpecItem } from '../../shared/catalog/spec-schema';
import { ENERGY_ITEM, RECONSTITUTION_ITEM, type TestItem } from '../../shared/rules';

/** The items a plan is made of: specification items, basis parameters, swab and water targets. */

/** Names of environmental / water targets that have no specification item. */
const TARGET_NAMES: Record<string, [string, string]> = {
  cronobacter: ['克罗诺杆菌属（阪崎肠杆菌）', 'Cronobacter spp.'],
  salmonella: ['沙门氏菌', 'Salmonella'],
  enterobacteriaceae: ['肠杆菌科', 'Enterobacteriaceae'],
  listeria: ['单核细胞增生李斯特氏菌', 'Listeria monocytogenes'],
  apc: ['菌落总数', 'Aerobic plate count'],
  coliforms: ['大肠菌群', 'Coliforms'],
  yeast_mould: ['霉菌和酵母', 'Yeasts and moulds'],
};

export function specItemToTest(i: SpecItem): TestItem {
  return {
    code: i.code,
    name_zh: i.name_zh,
    name_en: i.name_en,
    group: i.group,
    method_code: i.method_code,
    unit: i.unit,
    basis: i.basis,
    limit_form: i.limit_form,
    min: i.min,
    max: i.max,
    target: i.target,
    lod: i.lod,
    n: i.n,
    c: i.c,
    m: i.m,
    big_m: i.big_m,
    precision: i.precision,
    ...(i.reporting ? { reporting: i.reporting } : {}),
    // Only when set: a test planned from an item without one keeps the content it had (D-088).
    ...(i.loq ? { loq: i.loq } : {}),
    comparison: i.comparison,
    formula: i.formula,
    required_for_release: i.required_for_release,
    in_house_only: i.in_house_only,
  };
}

export function parameterItem(code: string): TestItem {
  const names: Record<string, [string, string, string]> = {
    [RECONSTITUTION_ITEM]: ['冲调比例（每100 mL所用粉量）', 'Reconstitution (powder per 100 mL)', 'g/100 mL'],
    [ENERGY_ITEM]: ['能量（每100 g）', 'Energy (per 100 g)', 'kJ/100 g'],
  };
  const [zh, en, unit] = names[code]!;
  return {
    code,
    name_zh: zh,
    name_en: en,
    group: 'other',
    method_code: null,
    unit,
    basis: 'as_is',
    limit_form: 'report_only',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: null,
    comparison: 'full_value',
    formula: null,
    required_for_release: false,
    in_house_only: false,
  };
}

export function targetItem(target: string): TestItem {
  const [zh, en] = TARGET_NAMES[target] ?? [target, target];
  return {
    code: target,
    name_zh: zh,
    name_en: en,
    group: 'microbiology',
    method_code: null,
    unit: 'per swab',
    basis: 'as_is',
    limit_form: 'sampling_plan',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: 1,
    c: 0,
    m: '0',
    big_m: null,
    precision: null,
    comparison: 'full_value',
    formula: null,
    required_for_release: false,
    in_house_only: true,
  };
}
