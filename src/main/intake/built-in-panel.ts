import type { PanelItem } from '../../shared/contract/channels/intake';
import type { TestItem } from '../../shared/rules';
import type { ItemRules, RuleBasis, Timing } from './queries';

function testItem(over: Partial<TestItem> & Pick<TestItem, 'code' | 'name_zh' | 'name_en' | 'unit'>): TestItem {
  return {
    group: 'other',
    method_code: null,
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
    required_for_release: true,
    in_house_only: true,
    ...over,
  };
}

const screen = (
  code: string,
  zh: string,
  en: string,
  level: 'normal' | 'tightened',
  method: string | null,
  rule: RuleBasis = 'national',
): PanelItem => ({
  ...testItem({
    code,
    name_zh: zh,
    name_en: en,
    unit: '',
    group: 'contaminants',
    method_code: method,
    limit_form: 'sampling_plan',
    n: 1,
    c: 0,
    m: '0',
  }),
  level,
  screen: true,
  timing: 'gating',
  rule,
});
const numeric = (
  over: Partial<TestItem> & Pick<TestItem, 'code' | 'name_zh' | 'name_en' | 'unit'>,
  level: 'normal' | 'tightened' = 'normal',
  timing: Timing = 'gating',
  rule: RuleBasis = 'national',
): PanelItem => ({
  ...testItem(over),
  level,
  screen: false,
  timing,
  rule,
});

/**
 * The built-in panel: GB 19301-2010 receipt items (fat, protein, non-fat solids, relative
 * density, acidity, freezing point, sensory) with the usual bench checks (temperature,
 * alcohol test) and rapid screens (β-lactam, tetracycline, aflatoxin M1, melamine). Limits
 * are GB 19301-2010's (reference-data: spec pack gb-19301-2010-raw-milk).
 *
 * Gating items decide the tanker at the bench. Retrospective items are recorded after the
 * decision (issue 20 §4): the aerobic plate count (GB 4789.2, ~48 h of incubation) and the
 * somatic cell count on every tanker, and, at the tightened level, aflatoxin M1 quantified
 * (usually sent out); a late failure of one of them is traced to the lots that used the milk.
 *
 * Plant rules (not the national standard, so a rejection on them is no 第二十八条 matter):
 * the temperature on arrival (≤ 6 °C), the alcohol test and the somatic cell count (GB 19301
 * sets none; 600 000 /mL is an in-house figure, reference-data §2 [U]).
 */
export const BUILT_IN_PANEL: PanelItem[] = [
  numeric(
    {
      code: 'temperature',
      name_zh: '到厂温度',
      name_en: 'Temperature on arrival',
      unit: '°C',
      limit_form: 'maximum',
      max: '6.0',
      precision: 1,
    },
    'normal',
    'gating',
    'plant',
  ),
  screen(
    'sensory_defect',
    '感官异常（色泽、滋味、气味、组织状态）',
    'Sensory defect (colour, taste, odour, texture)',
    'normal',
    'GB 19301-2010 4.2',
  ),
  screen(
    'alcohol_test',
    '酒精试验（72% 乙醇，出现絮片为阳性）',
    'Alcohol test (72 % ethanol, flocculation = positive)',
    'normal',
    'GB 5009.239',
    'plant',
  ),
  numeric({
    code: 'acidity',
    name_zh: '酸度',
    name_en: 'Acidity',
    unit: '°T',
    limit_form: 'range',
    min: '12',
    max: '18',
    precision: 0,
    method_code: 'GB 5009.239',
  }),
  numeric({
    code: 'relative_density',
    name_zh: '相对密度（20 ℃/4 ℃）',
    name_en: 'Relative density (20 °C/4 °C)',
    unit: '',
    limit_form: 'minimum',
    min: '1.027',
    precision: 3,
    method_code: 'GB 5009.2',
  }),
  numeric({
    code: 'fat',
    name_zh: '脂肪',
    name_en: 'Fat',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '3.1',
    precision: 1,
    method_code: 'GB 5009.6',
  }),
  numeric({
    code: 'protein',
    name_zh: '蛋白质',
    name_en: 'Protein',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '2.8',
    precision: 1,
    method_code: 'GB 5009.5',
  }),
  numeric({
    code: 'non_fat_solids',
    name_zh: '非脂乳固体',
    name_en: 'Non-fat milk solids',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '8.1',
    precision: 1,
    method_code: 'GB 5413.39',
  }),
  numeric({
    code: 'freezing_point',
    name_zh: '冰点',
    name_en: 'Freezing point',
    unit: '°C',
    limit_form: 'range',
    min: '-0.560',
    max: '-0.500',
    precision: 3,
    method_code: 'GB 5413.38',
  }),
  screen('beta_lactam', 'β-内酰胺类抗生素（快速检测）', 'β-lactam antibiotics (rapid screen)', 'normal', null),
  screen('tetracycline', '四环素类抗生素（快速检测）', 'Tetracyclines (rapid screen)', 'normal', null),
  screen('afm1_screen', '黄曲霉毒素M1（快速检测）', 'Aflatoxin M1 (rapid screen)', 'normal', null),
  screen('melamine_screen', '三聚氰胺（快速检测）', 'Melamine (rapid screen)', 'normal', null),
  numeric(
    {
      code: 'apc',
      name_zh: '菌落总数',
      name_en: 'Aerobic plate count',
      unit: 'CFU/mL',
      group: 'microbiology',
      limit_form: 'maximum',
      max: '2000000',
      precision: 0,
      method_code: 'GB 4789.2',
    },
    'normal',
    'retrospective',
  ),
  numeric(
    {
      code: 'somatic_cells',
      name_zh: '体细胞数',
      name_en: 'Somatic cell count',
      unit: 'cells/mL',
      group: 'other',
      limit_form: 'maximum',
      max: '600000',
      precision: 0,
    },
    'normal',
    'retrospective',
    'plant',
  ),
  numeric(
    {
      code: 'afm1',
      name_zh: '黄曲霉毒素M1',
      name_en: 'Aflatoxin M1',
      unit: 'µg/kg',
      group: 'contaminants',
      limit_form: 'maximum',
      max: '0.5',
      precision: 1,
      method_code: 'GB 5009.24',
    },
    'tightened',
    'retrospective',
  ),
  numeric(
    {
      code: 'melamine',
      name_zh: '三聚氰胺',
      name_en: 'Melamine',
      unit: 'mg/kg',
      group: 'contaminants',
      limit_form: 'maximum',
      max: '2.5',
      precision: 1,
      method_code: 'GB/T 22388',
    },
    'tightened',
  ),
  numeric(
    {
      code: 'impurities',
      name_zh: '杂质度',
      name_en: 'Impurities',
      unit: 'mg/kg',
      limit_form: 'maximum',
      max: '4.0',
      precision: 1,
      method_code: 'GB 5413.30',
    },
    'tightened',
  ),
];

/** Item codes of the built-in panel with their timing and basis: the defaults for panels saved before issue 20. */
const BUILT_IN_RULES = new Map(BUILT_IN_PANEL.map((i) => [i.code, { timing: i.timing, rule: i.rule }]));

/** A stored panel item, with the timing and basis it had or the defaults (built-in code, else gating / national). */
export function normalisePanelItem(i: Partial<PanelItem> & { code: string }): PanelItem {
  const d = BUILT_IN_RULES.get(i.code);
  return {
    ...(i as PanelItem),
    timing: i.timing ?? d?.timing ?? 'gating',
    rule: i.rule ?? d?.rule ?? 'national',
  };
}

/** An item's timing and basis as recorded for an intake (items recorded before issue 20: gating, the built-in basis). */
export function ruleOf(rules: ItemRules, code: string): { timing: Timing; rule: RuleBasis } {
  return rules[code] ?? { timing: 'gating', rule: BUILT_IN_RULES.get(code)?.rule ?? 'national' };
}

/** Why a rejection was made: a failed national item, else a failed plant rule, else the declarations (第二十四条). */
export function rejectBasisOf(causes: string[], rules: ItemRules): 'national' | 'plant' | 'declaration' {
  const checks = causes.filter((c) => c.startsWith('check.')).map((c) => c.slice(6));
  if (checks.some((c) => ruleOf(rules, c).rule === 'national')) return 'national';
  return checks.length ? 'plant' : 'declaration';
}
