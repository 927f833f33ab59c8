/**
 * `node --import tsx scripts/build-spec-packs.ts [--check]`: builds the GB spec packs in
 * resources/spec-packs/ (documents in the `lotseal.specification/1` format of
 * src/shared/catalog/spec-schema.ts) plus resources/spec-packs/index.json.
 *
 * Inputs, beside the repository: ../shared/reference/spec-items.json (the limits as data)
 * and ../shared/reference/reference-data.md (§1.2 and §2 give the stated digits of the same
 * limits, e.g. "1.20" where the JSON number reads 1.2, and the table of each GB 10765 value).
 * When either is absent the committed packs are left as they are. The output is checked in:
 * the app reads resources/spec-packs at run time. `--check` writes nothing and exits 1 when
 * the committed files differ from what would be generated.
 *
 * Rules the data follows (regulatory data: exact and honest):
 * - Limits come ONLY from GB sources: spec-items.json rows of the pack's own standard, the
 *   [U] contaminant / micro limits of reference-data.md §1.4 and the melamine announcement
 *   ([S]). EU Directive and Codex rows are different standards and are never used.
 * - Where no GB value is sourced, the limit is empty, the item is `missing` and its note says
 *   what to enter from the official text. GB 10765 values are never copied into GB 10766 or
 *   GB 10767; a note may quote them "for orientation only".
 * - Limits are decimal strings with their stated digits: the JSON number literal as written
 *   in spec-items.json ("12.0" stays "12.0"), or the reference table's form when it states
 *   the same number with more digits ("1.20"). Nothing is ever computed or rounded.
 * - Every GB row of spec-items.json must be used by a pack or explicitly excluded below, so
 *   a new row in the reference is noticed instead of silently dropped.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  SPEC_DOCUMENT_SCHEMA,
  specDocumentSchema,
  verificationStates,
  type SpecDocument,
  type SpecItem,
} from '../src/shared/catalog/spec-schema';

const ROOT = path.resolve(__dirname, '..');
const OUT_DIR = path.join(ROOT, 'resources', 'spec-packs');
/** ../shared/reference beside the repository, or LOTSEAL_REFERENCE_DIR (a worktree elsewhere). */
const REFERENCE_DIR = process.env['LOTSEAL_REFERENCE_DIR'] ?? path.resolve(ROOT, '..', 'shared', 'reference');
const SPEC_ITEMS_FILE = path.join(REFERENCE_DIR, 'spec-items.json');
const REFERENCE_MD_FILE = path.join(REFERENCE_DIR, 'reference-data.md');

type Verification = (typeof verificationStates)[number];
type Group = SpecItem['group'];
type Basis = SpecItem['basis'];
type LimitForm = SpecItem['limit_form'];

// ---------------------------------------------------------------------------------------
// Reading spec-items.json with its number literals intact
// ---------------------------------------------------------------------------------------

/** A JSON number kept as the text it was written as ("12.0", "-0.56", "2000000"). */
class NumberLiteral {
  constructor(readonly text: string) {}
}
type RawJson = string | boolean | null | NumberLiteral | RawJson[] | { [key: string]: RawJson };

/** A small JSON parser that keeps number literals as written (JSON.parse loses "12.0"). */
export function parseJsonKeepingNumbers(text: string): RawJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`spec-items.json: ${what} at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] ?? '')) i++;
  };
  const value = (): RawJson => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const obj: { [key: string]: RawJson } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail('object key expected');
        ws();
        if (text[i] !== ':') fail('":" expected');
        i++;
        obj[key as string] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('"," or "}" expected');
      }
    }
    if (ch === '[') {
      i++;
      const arr: RawJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('"," or "]" expected');
      }
    }
    if (ch === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) return fail('bad string');
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return new NumberLiteral(num[0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail('value expected');
  };
  const result = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return result;
}

interface SourceRow {
  readonly standard: string;
  readonly product_group: string;
  readonly item: string;
  readonly unit: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly per: string;
  readonly method: string | null;
  readonly source_url: string | null;
  readonly verified: boolean;
  readonly note: string | null;
}

function decimalField(row: { [key: string]: RawJson }, key: string): string | null {
  const v = row[key];
  if (v === null || v === undefined) return null;
  if (!(v instanceof NumberLiteral) || !/^-?\d+(\.\d+)?$/.test(v.text)) {
    throw new Error(`spec-items.json: ${key} of "${String(row.item)}" is not a plain decimal number`);
  }
  return v.text;
}

function textField(row: { [key: string]: RawJson }, key: string): string | null {
  const v = row[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new Error(`spec-items.json: ${key} is not a string`);
  return v;
}

export function readSpecItems(text: string): SourceRow[] {
  const raw = parseJsonKeepingNumbers(text);
  if (!Array.isArray(raw)) throw new Error('spec-items.json: expected an array');
  return raw.map((r) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r) || r instanceof NumberLiteral) {
      throw new Error('spec-items.json: expected objects');
    }
    return {
      standard: textField(r, 'standard') ?? '',
      product_group: textField(r, 'product_group') ?? '',
      item: textField(r, 'item') ?? '',
      unit: textField(r, 'unit') ?? '',
      min: decimalField(r, 'min'),
      max: decimalField(r, 'max'),
      per: textField(r, 'per') ?? '',
      method: textField(r, 'method'),
      source_url: textField(r, 'source_url'),
      verified: r.verified === true,
      note: textField(r, 'note'),
    };
  });
}

// ---------------------------------------------------------------------------------------
// Stated digits from reference-data.md (§1.2 table, §2 table)
// ---------------------------------------------------------------------------------------

/** Table rows of one section of the markdown: first cell → the other cells. */
function sectionTable(md: string, startHeading: string, endHeading: string): Map<string, string[]> {
  const start = md.indexOf(startHeading);
  const end = md.indexOf(endHeading, start + 1);
  if (start < 0 || end < 0) throw new Error(`reference-data.md: section "${startHeading}" not found`);
  const rows = new Map<string, string[]>();
  for (const line of md.slice(start, end).split('\n')) {
    if (!line.startsWith('|') || line.startsWith('|---')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const [label, ...rest] = cells;
    if (label) rows.set(label, rest);
  }
  return rows;
}

function rowByPrefix(table: Map<string, string[]>, prefix: string): string[] {
  const hits = [...table.entries()].filter(([label]) => label === prefix || label.startsWith(`${prefix} `));
  if (hits.length !== 1) throw new Error(`reference-data.md: expected one row "${prefix}…", found ${hits.length}`);
  return hits[0]?.[1] ?? [];
}

function decimals(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** "-0.5600" → "-0.56", "12.0" → "12", "-0" → "0": for equality of stated numbers. */
function canonical(s: string): string {
  let t = s.startsWith('-') ? s.slice(1) : s;
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  t = t.replace(/^0+(?=\d)/, '');
  return (s.startsWith('-') && t !== '0' ? '-' : '') + t;
}

/**
 * The stated form of a limit: the reference table's literal when it states the same number
 * with more digits than the JSON literal ("1.20" for 1.2), else the JSON literal.
 */
function statedForm(jsonLiteral: string, referenceCells: readonly string[]): { text: string; fromTable: boolean } {
  const candidates = referenceCells.flatMap((c) => c.replace(/\u2212/g, '-').match(/-?\d+(?:\.\d+)?/g) ?? []);
  let best = jsonLiteral;
  for (const c of candidates) {
    if (canonical(c) === canonical(jsonLiteral) && decimals(c) > decimals(best)) best = c;
  }
  return { text: best, fromTable: best !== jsonLiteral };
}

// ---------------------------------------------------------------------------------------
// Item definitions
// ---------------------------------------------------------------------------------------

const GB10765 = 'GB 10765-2021';
const GB10766 = 'GB 10766-2021';
const GB10767 = 'GB 10767-2021';
const GB19301 = 'GB 19301-2010';
const MELAMINE = 'MOH et al. Announcement 2011 No.10';
type ImfStandard = typeof GB10765 | typeof GB10766 | typeof GB10767;

const REF_12 = 'reference-data.md §1.2';
const REF_14U = 'reference-data.md §1.4 [U]';
const OFFICIAL = 'the official text (NHC/CFSA platform sppt.cfsa.net.cn)';

/** Where an item's limit may come from. */
type LimitSource =
  /** A spec-items row of the pack's own product standard, by `item` name. */
  | { readonly kind: 'own'; readonly item: string; readonly table?: string }
  /**
   * A pathogen limit of GB 29921-2021 (预包装食品中致病菌限量), to which the 2021 product
   * standards refer pathogens. The plan values come from the only rows the reference has —
   * GB 10765's, tagged [U] — and are used for the infant pack only, as unverified drafts with
   * the source clause; the other packs list the item as missing with the same clause.
   */
  | { readonly kind: 'gb29921'; readonly item: string; readonly clause: string }
  /**
   * A limit of a general standard (GB 2762 / GB 2761 contaminants, the melamine
   * announcement), the same for every IMF stage: usable in all three IMF packs.
   */
  | { readonly kind: 'general'; readonly standard: string; readonly item: string }
  | { readonly kind: 'none' };

interface ImfDef {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly group: Group;
  readonly method_code: string | null;
  readonly unit: string;
  readonly basis: Basis;
  /** The form the standard uses; for missing items, the form the entered limit will take. */
  readonly form: LimitForm;
  readonly formula?: string;
  readonly limit: LimitSource;
  /** Row label prefix in reference-data.md §1.2 (stated digits, table number). */
  readonly md12?: string;
  /** Facts about the item that hold for every pack (method status, definitions). */
  readonly note?: string;
  /** Product-standard items only: 'powder' notes apply. */
  readonly optional?: boolean;
  /**
   * The item's own reporting precision (decimals), whatever digits its limits state: ratios
   * and calculated items carry their own (issue 20 §2: ARA/DHA to one decimal).
   */
  readonly precision?: number;
  /** A reporting rule beyond decimals (GB 4789.2 colony counts; src/shared/rules/reporting.ts). */
  readonly reporting?: SpecItem['reporting'];
  /** Not in the reference's item list: an item the 2010 edition limited (MISSING_2021). */
  readonly notInReference?: boolean;
}

const OPTIONAL_NOTE =
  'Optional component (GB Table 4 type): required for release when the product declares or adds it; delete the item from a product specification that does not.';

const nutrient = (
  code: string,
  name_zh: string,
  name_en: string,
  group: Group,
  method_code: string | null,
  unit: string,
  rowItem: string | null,
  md12: string | null,
  note?: string,
): ImfDef => ({
  code,
  name_zh,
  name_en,
  group,
  method_code,
  unit,
  basis: 'per_100kj',
  form: 'range',
  limit: rowItem ? { kind: 'own', item: rowItem } : { kind: 'none' },
  ...(md12 ? { md12 } : {}),
  ...(note ? { note } : {}),
  ...(group === 'optional' ? { optional: true } : {}),
});

const METHOD_U = 'Method per reference-data.md §1.4 (status U).';

/**
 * Items a release panel needs that reference-data.md §1.4 does not list: the 2010 product
 * standards limited them (fat quality as a share of total fatty acids in the table notes;
 * lactose as a share of carbohydrate for milk-based products), and the 2021 editions are
 * expected to [U]. Listed as `missing`, so a QA manager enters the limit from the official
 * text — or deletes the item if the 2021 edition does not set it — before approval.
 */
const MISSING_2021 =
  'Not in the reference item list (reference-data.md §1.4) [U]: limited by the 2010 edition; check whether the 2021 edition keeps it and enter its limit, or delete the item.';

const fatQuality = (code: string, name_zh: string, name_en: string, form: LimitForm): ImfDef => ({
  code,
  name_zh,
  name_en,
  group: 'macronutrients',
  method_code: 'GB 5009.168',
  unit: '%',
  basis: 'as_is',
  form,
  limit: { kind: 'none' },
  notInReference: true,
  note: `${MISSING_2021} Fatty acid as a share of total fatty acids. Method GB 5009.168 [U].`,
});

/** The release panel of reference-data.md §1.4 for a milk-based IMF, in pack order. */
const IMF_ITEMS: readonly ImfDef[] = [
  // -- macronutrients
  {
    code: 'energy',
    name_zh: '能量',
    name_en: 'Energy',
    group: 'macronutrients',
    method_code: null,
    unit: 'kJ',
    basis: 'per_100ml',
    form: 'range',
    formula: '17 * protein + 37 * fat + 17 * carbohydrate',
    limit: { kind: 'own', item: 'energy' },
    note: 'Calculated with the energy factors of reference-data.md §1.1 [S]: protein 17, fat 37, carbohydrate 17 kJ/g (dietary fibre 8 kJ/g: this pack has no fibre item; add "+ 8 * fibre" and a fibre item if the product declares fibre). The formula gives kJ per 100 g of product from the g/100 g results; the limit is per 100 mL as fed, so convert with the product\'s reconstitution rate (g of powder per 100 mL).',
  },
  nutrient(
    'protein',
    '蛋白质',
    'Protein',
    'macronutrients',
    'GB 5009.5',
    'g',
    'protein',
    'Protein (milk-based)',
    'Milk-based products. Method GB 5009.5 [S].',
  ),
  nutrient(
    'fat',
    '脂肪',
    'Fat',
    'macronutrients',
    'GB 5009.6',
    'g',
    'fat',
    'Fat',
    'Method GB 5009.6 [U] (replaced GB 5413.3-2010).',
  ),
  nutrient(
    'la',
    '亚油酸',
    'Linoleic acid',
    'macronutrients',
    'GB 5009.168',
    'mg',
    null,
    null,
    'Method GB 5009.168 [U] (replaced GB 5413.27-2010).',
  ),
  nutrient(
    'ala',
    'α-亚麻酸',
    'α-Linolenic acid',
    'macronutrients',
    'GB 5009.168',
    'mg',
    null,
    null,
    'Method GB 5009.168 [U] (replaced GB 5413.27-2010).',
  ),
  {
    code: 'la_ala',
    name_zh: '亚油酸与α-亚麻酸比值',
    name_en: 'Linoleic acid / α-linolenic acid ratio',
    group: 'macronutrients',
    method_code: null,
    unit: '',
    basis: 'ratio',
    form: 'range',
    formula: 'la / ala',
    limit: { kind: 'none' },
    precision: 1,
    note: 'Calculated: linoleic acid ÷ α-linolenic acid (both per 100 kJ); reported to one decimal.',
  },
  fatQuality(
    'lauric_myristic',
    '月桂酸和肉豆蔻酸（十四烷酸）总量（占总脂肪酸）',
    'Lauric and myristic acids (% of total fatty acids)',
    'maximum',
  ),
  fatQuality('trans_fatty_acids', '反式脂肪酸（占总脂肪酸）', 'Trans fatty acids (% of total fatty acids)', 'maximum'),
  fatQuality('erucic_acid', '芥酸（占总脂肪酸）', 'Erucic acid (% of total fatty acids)', 'maximum'),
  {
    code: 'carbohydrate',
    name_zh: '碳水化合物',
    name_en: 'Carbohydrate',
    group: 'macronutrients',
    method_code: null,
    unit: 'g',
    basis: 'per_100kj',
    form: 'range',
    formula: '100 - moisture - protein - fat - ash',
    limit: { kind: 'own', item: 'carbohydrate' },
    md12: 'Carbohydrate',
    note: 'Calculated by difference, 100 − moisture − protein − fat − ash (g/100 g), the convention of src/shared/rules/basis.ts; the definition is [U] in reference-data.md §1.4 (alternative: sugars by GB 5009.8). Subtract dietary fibre too if the product declares it. The limit is per 100 kJ.',
  },
  {
    code: 'lactose_share',
    name_zh: '乳糖占碳水化合物总量',
    name_en: 'Lactose (% of total carbohydrate)',
    group: 'macronutrients',
    method_code: 'GB 5009.8',
    unit: '%',
    basis: 'as_is',
    form: 'minimum',
    limit: { kind: 'none' },
    notInReference: true,
    note: `${MISSING_2021} Milk-based products: lactose as a share of total carbohydrate (the 2010 edition set a minimum for it). Method GB 5009.8 [U].`,
  },
  // -- vitamins
  nutrient('vit_a', '维生素A', 'Vitamin A', 'vitamins', 'GB 5009.82', 'µg RE', 'vitamin A', 'Vitamin A', METHOD_U),
  nutrient(
    'vit_d',
    '维生素D',
    'Vitamin D',
    'vitamins',
    'GB 5009.82',
    'µg',
    'vitamin D',
    'Vitamin D',
    'Method GB 5009.82 [U]; also GB 5009.296-2023 [S2].',
  ),
  nutrient('vit_e', '维生素E', 'Vitamin E', 'vitamins', 'GB 5009.82', 'mg α-TE', 'vitamin E', 'Vitamin E', METHOD_U),
  nutrient('vit_k1', '维生素K1', 'Vitamin K1', 'vitamins', 'GB 5009.158', 'µg', 'vitamin K1', 'Vitamin K1', METHOD_U),
  nutrient('vit_b1', '维生素B1', 'Vitamin B1', 'vitamins', 'GB 5009.84', 'µg', 'vitamin B1', 'Vitamin B1', METHOD_U),
  nutrient('vit_b2', '维生素B2', 'Vitamin B2', 'vitamins', 'GB 5009.85', 'µg', 'vitamin B2', 'Vitamin B2', METHOD_U),
  nutrient('vit_b6', '维生素B6', 'Vitamin B6', 'vitamins', 'GB 5009.154', 'µg', 'vitamin B6', 'Vitamin B6', METHOD_U),
  nutrient(
    'vit_b12',
    '维生素B12',
    'Vitamin B12',
    'vitamins',
    'GB 5009.285',
    'µg',
    'vitamin B12',
    'Vitamin B12',
    'Method GB 5009.285-2022 [S2] (replaces GB 5413.14-2010).',
  ),
  nutrient('niacin', '烟酸', 'Niacin', 'vitamins', 'GB 5009.89', 'µg', 'niacin', 'Niacin', METHOD_U),
  nutrient('folic_acid', '叶酸', 'Folic acid', 'vitamins', 'GB 5009.211', 'µg', 'folic acid', 'Folic acid', METHOD_U),
  nutrient('pantothenic_acid', '泛酸', 'Pantothenic acid', 'vitamins', 'GB 5009.210', 'µg', null, null, METHOD_U),
  nutrient('vit_c', '维生素C', 'Vitamin C', 'vitamins', 'GB 5009.86', 'mg', 'vitamin C', 'Vitamin C', METHOD_U),
  nutrient('biotin', '生物素', 'Biotin', 'vitamins', 'GB 5009.259', 'µg', null, null, METHOD_U),
  nutrient(
    'choline',
    '胆碱',
    'Choline',
    'vitamins',
    'GB 5413.20',
    'mg',
    'choline',
    'Choline',
    'Essential (Table 2) in the 2021 edition; it was optional in 2010 (reference-data.md §1.2). ' + METHOD_U,
  ),
  // -- minerals
  nutrient(
    'na',
    '钠',
    'Sodium',
    'minerals',
    'GB 5009.91',
    'mg',
    null,
    null,
    'Method GB 5009.91 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'k',
    '钾',
    'Potassium',
    'minerals',
    'GB 5009.91',
    'mg',
    null,
    null,
    'Method GB 5009.91 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'cu',
    '铜',
    'Copper',
    'minerals',
    'GB 5009.13',
    'µg',
    null,
    null,
    'Method GB 5009.13 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'mg',
    '镁',
    'Magnesium',
    'minerals',
    'GB 5009.241',
    'mg',
    null,
    null,
    'Method GB 5009.241 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'fe',
    '铁',
    'Iron',
    'minerals',
    'GB 5009.90',
    'mg',
    'iron (milk-based)',
    'Iron (milk-based)',
    'Milk-based products. Method GB 5009.90 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'zn',
    '锌',
    'Zinc',
    'minerals',
    'GB 5009.14',
    'mg',
    'zinc (milk-based)',
    'Zinc (milk-based)',
    'Milk-based products. Method GB 5009.14 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'mn',
    '锰',
    'Manganese',
    'minerals',
    'GB 5009.242',
    'µg',
    null,
    null,
    'Method GB 5009.242 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'ca',
    '钙',
    'Calcium',
    'minerals',
    'GB 5009.92',
    'mg',
    'calcium',
    'Calcium',
    'Method GB 5009.92 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  nutrient(
    'p',
    '磷',
    'Phosphorus',
    'minerals',
    'GB 5009.87',
    'mg',
    null,
    null,
    'Method GB 5009.87 or GB 5009.268 (ICP-MS/OES) [U].',
  ),
  {
    code: 'ca_p',
    name_zh: '钙磷比值',
    name_en: 'Calcium / phosphorus ratio',
    group: 'minerals',
    method_code: null,
    unit: '',
    basis: 'ratio',
    form: 'range',
    formula: 'ca / p',
    limit: { kind: 'none' },
    precision: 1,
    note: 'Calculated: calcium ÷ phosphorus (both in mg); reported to one decimal.',
  },
  nutrient('iodine', '碘', 'Iodine', 'minerals', 'GB 5009.267', 'µg', null, null, METHOD_U),
  nutrient(
    'cl',
    '氯',
    'Chloride',
    'minerals',
    'GB 5009.44',
    'mg',
    'chloride',
    null,
    'Method GB 5009.44 [S] (named for chloride on the GB 10767 page, http://m.ulenix.cn/Article-3146647.html).',
  ),
  nutrient('se', '硒', 'Selenium', 'minerals', 'GB 5009.93', 'µg', null, null, METHOD_U),
  // -- optional components
  nutrient(
    'inositol',
    '肌醇',
    'Inositol',
    'optional',
    'GB 5009.270',
    'mg',
    'inositol (optional)',
    'Inositol (optional)',
    METHOD_U,
  ),
  nutrient(
    'taurine',
    '牛磺酸',
    'Taurine',
    'optional',
    'GB 5009.169',
    'mg',
    'taurine (optional)',
    'Taurine (optional)',
    METHOD_U,
  ),
  nutrient(
    'l_carnitine',
    '左旋肉碱',
    'L-Carnitine',
    'optional',
    'GB 5009.300',
    'mg',
    null,
    null,
    'Method GB 5009.300-2025 [S2].',
  ),
  nutrient(
    'dha',
    '二十二碳六烯酸（DHA）',
    'Docosahexaenoic acid (DHA)',
    'optional',
    'GB 5009.168',
    'mg',
    'DHA (optional)',
    'DHA (optional)',
    METHOD_U,
  ),
  {
    ...nutrient(
      'ara',
      '二十碳四烯酸（ARA）',
      'Arachidonic acid (ARA)',
      'optional',
      'GB 5009.168',
      'mg',
      'ARA (optional)',
      'ARA (optional)',
      METHOD_U,
    ),
    form: 'maximum',
  },
  {
    code: 'ara_dha',
    name_zh: '二十碳四烯酸与二十二碳六烯酸比值',
    name_en: 'ARA / DHA ratio',
    group: 'optional',
    method_code: null,
    unit: '',
    basis: 'ratio',
    form: 'range',
    formula: 'ara / dha',
    limit: { kind: 'none' },
    optional: true,
    precision: 1,
    note: 'Calculated: ARA ÷ DHA (both per 100 kJ); applies when DHA is added. Reported to one decimal: a ratio carries its own precision, not the digits of its bounds (2.4 is 2.4, never "2").',
  },
  // -- contaminants
  {
    code: 'pb',
    name_zh: '铅',
    name_en: 'Lead (as Pb)',
    group: 'contaminants',
    method_code: 'GB 5009.12',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'general', standard: GB10765, item: 'lead (powder)' },
    note: 'Powder products; liquid products ≤0.02 mg/kg [U] (reference-data.md §1.4). Method GB 5009.12 [S2].',
  },
  {
    code: 'nitrate',
    name_zh: '硝酸盐（以NaNO3计）',
    name_en: 'Nitrate (as NaNO3)',
    group: 'contaminants',
    method_code: 'GB 5009.33',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'general', standard: GB10765, item: 'nitrate (as NaNO3)' },
    note: METHOD_U,
  },
  {
    code: 'nitrite',
    name_zh: '亚硝酸盐（以NaNO2计）',
    name_en: 'Nitrite (as NaNO2)',
    group: 'contaminants',
    method_code: 'GB 5009.33',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'general', standard: GB10765, item: 'nitrite (as NaNO2)' },
    note: METHOD_U,
  },
  {
    code: 'afm1',
    name_zh: '黄曲霉毒素M1',
    name_en: 'Aflatoxin M1',
    group: 'contaminants',
    method_code: 'GB 5009.24',
    unit: 'µg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'general', standard: GB10765, item: 'aflatoxin M1 (milk-based, as powder)' },
    note: 'Milk-based products, as powder. ' + METHOD_U,
  },
  {
    code: 'melamine',
    name_zh: '三聚氰胺',
    name_en: 'Melamine',
    group: 'contaminants',
    method_code: 'GB/T 22388',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'general', standard: MELAMINE, item: 'melamine' },
    note: 'MOH/MIIT/MOA/SAIC/AQSIQ Announcement 2011 No. 10 [S]: 1 mg/kg in infant formula foods (2.5 mg/kg in other foods); products above it must not be sold. Method GB/T 22388 [S2].',
  },
  // -- microbiology
  {
    code: 'apc',
    name_zh: '菌落总数',
    name_en: 'Aerobic plate count',
    group: 'microbiology',
    method_code: 'GB 4789.2',
    unit: 'CFU/g',
    basis: 'per_g',
    form: 'sampling_plan',
    limit: { kind: 'own', item: 'aerobic plate count' },
    reporting: { kind: 'colony_count' },
    note: 'Not for products with live cultures. Method GB 4789.2 [S2]; counts reported by its rule (two significant figures from 100 CFU on, a.b × 10ⁿ).',
  },
  {
    code: 'enterobacteriaceae',
    name_zh: '肠杆菌科',
    name_en: 'Enterobacteriaceae',
    group: 'microbiology',
    method_code: 'GB 4789.41',
    unit: 'CFU/g',
    basis: 'per_g',
    form: 'sampling_plan',
    limit: { kind: 'own', item: 'Enterobacteriaceae' },
    reporting: { kind: 'colony_count' },
    note:
      'Per the reference the 2021 standards replaced coliforms with Enterobacteriaceae [U, not verified]. ' + METHOD_U,
  },
  {
    code: 'cronobacter',
    name_zh: '克罗诺杆菌属（阪崎肠杆菌）',
    name_en: 'Cronobacter spp. (Enterobacter sakazakii)',
    group: 'microbiology',
    method_code: 'GB 4789.40',
    unit: 'per 100 g',
    basis: 'per_100g',
    form: 'sampling_plan',
    limit: {
      kind: 'gb29921',
      item: 'Cronobacter spp.',
      clause: 'GB 29921-2021 表1 特殊膳食用食品：婴幼儿配方食品（克罗诺杆菌属）',
    },
    note: 'Absence plan: results "absent" / "present" in each 100 g unit; a presumptive positive is confirmed before it counts (the lot is held meanwhile). Method GB 4789.40 [S2] (2024 edition titled 克罗诺杆菌检验).',
  },
  {
    code: 'salmonella',
    name_zh: '沙门氏菌',
    name_en: 'Salmonella',
    group: 'microbiology',
    method_code: 'GB 4789.4',
    unit: 'per 25 g',
    basis: 'per_25g',
    form: 'sampling_plan',
    limit: {
      kind: 'gb29921',
      item: 'Salmonella',
      clause: 'GB 29921-2021 表1 特殊膳食用食品：婴幼儿配方食品（沙门氏菌）',
    },
    note: 'Absence plan: results "absent" / "present" in each 25 g unit; a presumptive positive is confirmed before it counts (the lot is held meanwhile). Method GB 4789.4 [S2].',
  },
  // -- other indices
  {
    code: 'moisture',
    name_zh: '水分',
    name_en: 'Moisture',
    group: 'other',
    method_code: 'GB 5009.3',
    unit: 'g/100g',
    basis: 'per_100g',
    form: 'maximum',
    limit: { kind: 'own', item: 'moisture (powder)' },
    note: 'Powder products. ' + METHOD_U,
  },
  {
    code: 'ash',
    name_zh: '灰分',
    name_en: 'Ash',
    group: 'other',
    method_code: 'GB 5009.4',
    unit: 'g/100g',
    basis: 'per_100g',
    form: 'report_only',
    limit: { kind: 'none' },
    note: 'Needed for carbohydrate by difference. ' + METHOD_U,
  },
  {
    code: 'impurities',
    name_zh: '杂质度',
    name_en: 'Impurities (sediment)',
    group: 'other',
    method_code: 'GB 5413.30',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    limit: { kind: 'own', item: 'impurities (powder)' },
    note: 'Powder products; liquid products ≤2 mg/kg [U] (reference-data.md §1.4). ' + METHOD_U,
  },
];

/** Which table a §1.2 row names ("T2" → "Table 2"). */
function tableOf(cells: readonly string[]): string | null {
  const m = /^T(\d)/.exec(cells[3] ?? '');
  return m ? `Table ${m[1]}` : null;
}

// ---------------------------------------------------------------------------------------
// Building items
// ---------------------------------------------------------------------------------------

interface Inputs {
  readonly rows: readonly SourceRow[];
  readonly md: string;
}

/** Rows used by some pack; the rest of the GB rows must be listed in EXCLUDED_ROWS. */
const usedRows = new Set<SourceRow>();

/** GB rows deliberately not in any pack, with the reason (reported by the generator). */
const EXCLUDED_ROWS: readonly { readonly standard: string; readonly item: string; readonly why: string }[] = [
  {
    standard: GB19301,
    item: 'acidity (goat)',
    why: 'the GB 19301 pack is for raw cow milk; the goat-milk acidity (6–13 °T) belongs in a goat-milk specification',
  },
];

function findRow(rows: readonly SourceRow[], standard: string, item: string, productGroup?: string): SourceRow | null {
  const hits = rows.filter(
    (r) =>
      r.standard === standard && r.item === item && (productGroup === undefined || r.product_group === productGroup),
  );
  if (hits.length > 1) throw new Error(`spec-items.json: ${hits.length} rows for ${standard} / ${item}`);
  return hits[0] ?? null;
}

function precisionOf(...limits: (string | null)[]): number | null {
  const stated = limits.filter((l): l is string => l !== null);
  return stated.length === 0 ? null : Math.max(...stated.map(decimals));
}

/** "U: n=5,c=2,m=1000,M=10000" (spec-items notes of the micro rows, reference-data §1.4). */
function samplingPlan(row: SourceRow): { n: number; c: number; m: string; big_m: string | null } {
  const m = /n=(\d+),\s*c=(\d+),\s*m=(\d+(?:\.\d+)?)(?:\/[^,)\s]*)?(?:,\s*M=(\d+(?:\.\d+)?))?/.exec(row.note ?? '');
  if (!m) throw new Error(`spec-items.json: no sampling plan in the note of ${row.item}`);
  const plan = { n: Number(m[1]), c: Number(m[2]), m: m[3] ?? '', big_m: m[4] ?? null };
  // The row's max is the plan's highest level (M, or m for a 2-class plan): they must agree.
  if (row.max !== null && canonical(row.max) !== canonical(plan.big_m ?? plan.m)) {
    throw new Error(`spec-items.json: ${row.item} max ${row.max} disagrees with its plan`);
  }
  return plan;
}

function rowSource(row: SourceRow, section: string): string {
  return row.source_url ? row.source_url : `${section}; spec-items.json (no source_url)`;
}

function verificationOf(row: SourceRow): Verification {
  if (row.min === null && row.max === null) return 'missing';
  return row.verified ? 'verified' : 'unverified';
}

/** The spec-items note of a row, without repeating what the item already says. */
function sourceNote(row: SourceRow, item: SpecItem): string | null {
  const note = (row.note ?? '').trim();
  if (note === '') return null;
  const status = /^(U|S2|U\/S2)(?=$|[:,])/.exec(note)?.[1];
  const rest = note.slice(status?.length ?? 0).replace(/^[:,]\s*/, '');
  // A micro row's note is its plan ("U: n=5,c=2,…"), already in the plan fields.
  const text = item.limit_form === 'sampling_plan' ? rest.replace(/^n=[^ ]*\s*/, '') : rest;
  const parts = [status ? `Reference status: ${status}` : null, text.replace(/^\((.*)\)$/, '$1') || null];
  return `${parts.filter((p) => p !== null).join('; ')}.`;
}

function cleanNote(parts: (string | null | undefined)[]): string | null {
  const text = parts
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => p.trim())
    .join(' ');
  return text === '' ? null : text;
}

function blankItem(def: ImfDef | RawMilkDef): SpecItem {
  return {
    code: def.code,
    name_zh: def.name_zh,
    name_en: def.name_en,
    group: def.group,
    method_code: def.method_code,
    unit: def.unit,
    basis: def.basis,
    limit_form: def.form,
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
    required_for_release: true,
    in_house_only: true,
    frequency: 'every_lot',
    frequency_n: null,
    period_days: null,
    formula: def.formula ?? null,
    clause: null,
    source: null,
    verification: 'missing',
    note: null,
  };
}

/** Put a row's limits on an item: plan fields or min/max with stated digits. */
function applyRow(item: SpecItem, row: SourceRow, table: readonly string[] | null): string | null {
  if (item.limit_form === 'sampling_plan') {
    const plan = samplingPlan(row);
    item.n = plan.n;
    item.c = plan.c;
    item.m = plan.m;
    item.big_m = plan.big_m;
    // Counts are whole numbers; an absence plan (m = 0, no M) has a qualitative result.
    item.precision = plan.big_m === null && canonical(plan.m) === '0' ? null : decimals(plan.m);
    return `Sampling plan n=${plan.n}, c=${plan.c}, m=${plan.m}${plan.big_m ? `, M=${plan.big_m}` : ''} ${item.unit}.`;
  }
  const stated: string[] = [];
  const form = (v: string | null): string | null => {
    if (v === null) return null;
    const s = statedForm(v, table ?? []);
    if (s.fromTable) stated.push(`"${s.text}" (spec-items.json: ${v})`);
    return s.text;
  };
  item.min = form(row.min);
  item.max = form(row.max);
  item.precision = precisionOf(item.min, item.max);
  return stated.length > 0 ? `Stated digits from the reference table: ${stated.join(', ')}.` : null;
}

function describeLimit(item: SpecItem): string {
  if (item.limit_form === 'sampling_plan') {
    return `n=${item.n}, c=${item.c}, m=${item.m}${item.big_m ? `, M=${item.big_m}` : ''} ${item.unit}`;
  }
  const unit = item.unit === '' ? '' : ` ${item.unit}`;
  const per = item.basis === 'per_100kj' ? ' per 100 kJ' : item.basis === 'per_100ml' ? ' per 100 mL' : '';
  if (item.min !== null && item.max !== null) return `${item.min}–${item.max}${unit}${per}`;
  if (item.min !== null) return `≥${item.min}${unit}${per}`;
  if (item.max !== null) return `≤${item.max}${unit}${per}`;
  return 'no value';
}

function whatToEnter(item: SpecItem, standard: string): string {
  switch (item.limit_form) {
    case 'sampling_plan':
      return `Enter the sampling plan (n, c, m, M) from ${standard} or GB 29921-2021, ${OFFICIAL}.`;
    case 'report_only':
      return `No limit in the sources consulted: check in ${standard}, ${OFFICIAL}, whether it sets one (then change the form) and confirm.`;
    case 'maximum':
      return `Enter the maximum from ${standard}, ${OFFICIAL}.`;
    case 'minimum':
      return `Enter the minimum from ${standard}, ${OFFICIAL}.`;
    default:
      return `Enter the minimum and maximum${item.basis === 'per_100kj' ? ' per 100 kJ' : ''} from ${standard}, ${OFFICIAL}; check the unit and the limit form (some items have only a minimum).`;
  }
}

/** "ARA must also be >= DHA and <= 2*DHA" in the note of the pack standard's ARA row. */
function araDhaBounds(rows: readonly SourceRow[], standard: string): { row: SourceRow; max: string } | null {
  const row = findRow(rows, standard, 'ARA (optional)');
  const m = /ARA must also be >= DHA and <= (\d+(?:\.\d+)?)\*DHA/.exec(row?.note ?? '');
  return row && m?.[1] ? { row, max: m[1] } : null;
}

function imfItems(standard: ImfStandard, inputs: Inputs, gb10765: readonly SpecItem[] | null): SpecItem[] {
  const table12 = sectionTable(inputs.md, '### 1.2', '### 1.3');
  return IMF_ITEMS.map((def) => {
    const item = blankItem(def);
    const notes: (string | null | undefined)[] = [];
    const lim = def.limit;
    let row: SourceRow | null = null;
    if (lim.kind === 'own') row = findRow(inputs.rows, standard, lim.item);
    // GB 29921-2021 pathogen plans: the infant pack takes the [U] plan of the reference as an
    // unverified draft with its clause; the older-infant and young-children packs, which have
    // no sourced plan, list the item as missing with the same clause.
    if (lim.kind === 'gb29921') {
      const src = findRow(inputs.rows, GB10765, lim.item);
      if (src) usedRows.add(src);
      item.clause = lim.clause;
      if (standard === GB10765 && src) {
        notes.push(applyRow(item, src, null));
        item.source = `GB 29921-2021 (pathogen limits of prepackaged foods, to which ${standard} refers) [U]; plan values: ${REF_14U}, spec-items.json row "${src.item}" (no source_url)`;
        item.verification = 'unverified';
        notes.push(
          `Unverified draft: the plan is the one the reference lists for infant formula, which may be the 2010 product standard's; check n, c and m against ${lim.clause} before approval.`,
        );
      } else {
        item.source = `GB 29921-2021 (pathogen limits of prepackaged foods) [U]; no plan for ${standard === GB10766 ? 'older-infant' : 'young-children'} formula in the sources consulted`;
        item.verification = 'missing';
        notes.push(
          `No plan in the sources consulted. Enter n, c and m from ${lim.clause}, ${OFFICIAL}${lim.item.startsWith('Cronobacter') ? '; if GB 29921-2021 limits Cronobacter only for infant formula (0–6 months), delete the item' : ''}.`,
        );
      }
      if (def.reporting) item.reporting = def.reporting;
      if (def.precision !== undefined) item.precision = def.precision;
      notes.push(def.note);
      item.note = cleanNote(notes);
      return item;
    }
    if (lim.kind === 'general')
      row = findRow(
        inputs.rows,
        lim.standard,
        lim.item,
        lim.standard === MELAMINE ? 'infant formula foods' : undefined,
      );

    // The §1.2 table is GB 10765 only: stated digits and table numbers apply to that pack.
    const md12 = standard === GB10765 && def.md12 ? rowByPrefix(table12, def.md12) : null;

    if (row) {
      usedRows.add(row);
      const stated = applyRow(item, row, md12 ? md12.slice(0, 2) : null);
      item.clause = md12 ? tableOf(md12) : null;
      if (lim.kind === 'general') {
        item.source =
          lim.standard === MELAMINE
            ? rowSource(row, 'reference-data.md §1.4 [S]')
            : `${REF_14U}; spec-items.json (no source_url)`;
        // The announcement is [S] for infant formula; for older-infant and young-children
        // formula its scope ("infant formula foods") still has to be confirmed.
        item.verification = lim.standard === MELAMINE && standard === GB10765 ? verificationOf(row) : 'unverified';
        if (lim.standard === MELAMINE && standard !== GB10765) {
          notes.push(
            `Unverified for this product: confirm that "infant formula foods" in the announcement covers ${standard === GB10766 ? 'older-infant' : 'young-children'} formula; otherwise the limit for other foods, 2.5 mg/kg, applies (1 mg/kg is the stricter reading).`,
          );
        }
        if (lim.standard !== MELAMINE) {
          notes.push(
            `Unsourced limit from the release-panel list of reference-data.md §1.4, which applies it to infant formula foods in general; check it and its applicability to this product against GB 2762-2022 / GB 2761-2017 and ${standard}.`,
          );
        }
      } else {
        item.source = rowSource(row, item.group === 'microbiology' || item.group === 'other' ? REF_14U : REF_12);
        item.verification = verificationOf(row);
        if (item.verification !== 'missing') notes.push(sourceNote(row, item));
      }
      notes.push(stated);
      if (item.verification === 'missing') {
        // A row without values (GB 10767 chloride: the method is sourced, the limits are not).
        notes.push(`Method sourced; no limit value sourced. ${whatToEnter(item, standard)}`);
      }
    } else if (def.code === 'ara_dha' && araDhaBounds(inputs.rows, standard)) {
      const { row: ara, max } = araDhaBounds(inputs.rows, standard) ?? { row: null, max: '' };
      item.min = '1';
      item.max = max;
      item.precision = precisionOf(item.min, item.max);
      item.clause = standard === GB10765 ? tableOf(rowByPrefix(table12, 'ARA (optional)')) : null;
      item.source = ara?.source_url ?? null;
      item.verification = 'unverified';
      notes.push(
        `The source states the bounds as relations ("ARA must also be >= DHA and <= ${max}*DHA", spec-items.json note of the ARA row; reference-data.md §1.2): written here as the ratio ARA/DHA between 1 and ${max}.`,
      );
    } else {
      item.verification = 'missing';
      item.source = def.notInReference
        ? `not in reference-data.md §1.4; limited by the 2010 edition [U]; no ${standard} value sourced`
        : standard === GB10765
          ? `reference-data.md §1.4 (item list); no ${standard} value sourced (§1.2 "still missing")`
          : `reference-data.md §1.4 (item list); no ${standard} value sourced (§1.2: ${standard} tables unsourced)`;
      notes.push(
        item.limit_form === 'report_only'
          ? whatToEnter(item, standard)
          : `No ${standard} value in the sources consulted. ${whatToEnter(item, standard)}`,
      );
      // Orientation only: the GB 10765 value of the same item, never used as this pack's limit.
      const ref = gb10765?.find((i) => i.code === def.code);
      if (ref && ref.verification !== 'missing' && standard !== GB10765) {
        notes.push(
          `For orientation only, not a limit for this product (the ${standard} value may differ): GB 10765-2021 infant formula has ${describeLimit(ref)} [${ref.verification}].`,
        );
      }
      if (standard === GB10766 && def.code === 'energy') {
        notes.push(
          'reference-data.md §1.1 gives 250–314 kJ per 100 mL for GB 10766-2021, tagged [U] (unsourced): not used as a limit.',
        );
      }
    }
    if (def.optional) notes.push(OPTIONAL_NOTE);
    // The item's own reporting: ratios to one decimal, colony counts by GB 4789.2.
    if (def.precision !== undefined) item.precision = def.precision;
    if (def.reporting) {
      item.reporting = def.reporting;
      item.precision = null;
    }
    notes.push(def.note);
    item.note = cleanNote(notes);
    return item;
  });
}

// ---------------------------------------------------------------------------------------
// Raw milk, GB 19301-2010
// ---------------------------------------------------------------------------------------

interface RawMilkDef {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly group: Group;
  readonly method_code: string | null;
  readonly unit: string;
  readonly basis: Basis;
  readonly form: LimitForm;
  readonly formula?: string;
  /** spec-items row (GB 19301-2010 or the melamine announcement) and its §2 table label. */
  readonly row?: { readonly standard: string; readonly item: string; readonly productGroup?: string };
  readonly md2?: string;
  /** A per-tanker acceptance check (required before the milk is used). */
  readonly acceptance: boolean;
  readonly source?: string;
  readonly note?: string;
}

const RAW_MILK_ITEMS: readonly RawMilkDef[] = [
  {
    code: 'fat',
    name_zh: '脂肪',
    name_en: 'Fat',
    group: 'macronutrients',
    method_code: 'GB 5009.6',
    unit: 'g/100g',
    basis: 'per_100g',
    form: 'minimum',
    row: { standard: GB19301, item: 'fat' },
    md2: 'Fat',
    acceptance: true,
    note: 'Method GB 5009.6 [U]; rapid analysers (ultrasonic/FTIR) are used at receipt.',
  },
  {
    code: 'protein',
    name_zh: '蛋白质',
    name_en: 'Protein',
    group: 'macronutrients',
    method_code: 'GB 5009.5',
    unit: 'g/100g',
    basis: 'per_100g',
    form: 'minimum',
    row: { standard: GB19301, item: 'protein' },
    md2: 'Protein',
    acceptance: true,
    note: 'Method GB 5009.5 [U].',
  },
  {
    code: 'non_fat_solids',
    name_zh: '非脂乳固体',
    name_en: 'Non-fat milk solids',
    group: 'macronutrients',
    method_code: 'GB 5413.39',
    unit: 'g/100g',
    basis: 'per_100g',
    form: 'minimum',
    row: { standard: GB19301, item: 'non-fat milk solids' },
    md2: 'Non-fat milk solids',
    acceptance: true,
    note: 'Page digits were mangled in the source (reference-data.md §2). Method GB 5413.39 [U].',
  },
  {
    code: 'relative_density',
    name_zh: '相对密度（20 ℃/4 ℃）',
    name_en: 'Relative density (20 °C/4 °C)',
    group: 'other',
    method_code: 'GB 5009.2',
    unit: '',
    basis: 'as_is',
    form: 'minimum',
    row: { standard: GB19301, item: 'relative density (20°C/4°C)' },
    md2: 'Relative density',
    acceptance: true,
    note: 'Dimensionless. Method GB 5009.2 [U].',
  },
  {
    code: 'acidity',
    name_zh: '酸度',
    name_en: 'Acidity',
    group: 'other',
    method_code: 'GB 5009.239',
    unit: '°T',
    basis: 'as_is',
    form: 'range',
    row: { standard: GB19301, item: 'acidity (cow, Holstein)' },
    md2: 'Acidity',
    acceptance: true,
    note: "Cow milk; per the standard's footnote the range applies to Holstein cows only (reference-data.md §2). Goat milk has 6–13 °T (not in this pack). Method GB 5009.239-2016 [S] (replaces GB 5413.34).",
  },
  {
    code: 'freezing_point',
    name_zh: '冰点',
    name_en: 'Freezing point',
    group: 'other',
    method_code: 'GB 5413.38',
    unit: '°C',
    basis: 'as_is',
    form: 'range',
    row: { standard: GB19301, item: 'freezing point' },
    md2: 'Freezing point',
    acceptance: true,
    note: 'Detects added water. Method GB 5413.38 (thermistor cryoscope) [U].',
  },
  {
    code: 'impurities',
    name_zh: '杂质度',
    name_en: 'Impurities (sediment)',
    group: 'other',
    method_code: 'GB 5413.30',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    row: { standard: GB19301, item: 'impurities' },
    md2: 'Impurities',
    acceptance: true,
    note: 'Method GB 5413.30 [U].',
  },
  {
    code: 'sensory',
    name_zh: '感官要求',
    name_en: 'Sensory (colour, odour and taste, appearance)',
    group: 'other',
    method_code: null,
    unit: '',
    basis: 'as_is',
    form: 'report_only',
    acceptance: true,
    source: 'reference-data.md §2 (per-tanker receipt checks: sensory) [S2]',
    note: 'Qualitative. The wording of the GB 19301-2010 sensory requirements was not in the sources consulted: enter it from the official text (NHC/CFSA platform sppt.cfsa.net.cn) and confirm.',
  },
  {
    code: 'apc',
    name_zh: '菌落总数',
    name_en: 'Aerobic plate count',
    group: 'microbiology',
    method_code: 'GB 4789.2',
    unit: 'CFU/g(mL)',
    basis: 'per_g',
    form: 'maximum',
    row: { standard: GB19301, item: 'aerobic plate count' },
    md2: 'Aerobic plate count',
    acceptance: false,
    note: 'Stated in the standard as ≤2×10⁶ CFU/g (mL). A single maximum, not an n/c/m/M plan. The result comes after the milk is used (retrospective, reference-data.md §2), so it does not gate acceptance; set "required for release" if the plant holds milk for it. Method GB 4789.2 [S2].',
  },
  {
    code: 'afm1',
    name_zh: '黄曲霉毒素M1',
    name_en: 'Aflatoxin M1',
    group: 'contaminants',
    method_code: 'GB 5009.24',
    unit: 'µg/kg',
    basis: 'per_kg',
    form: 'maximum',
    md2: 'Contaminants',
    acceptance: false,
    source: 'reference-data.md §2 [U] (GB 19301 cites GB 2761 by reference)',
    note: 'GB 19301 cites contaminants (GB 2762), mycotoxins (GB 2761) and residues (GB 2763, GB 31650) by reference; only AFM1 has a value in the sources consulted: ≤0.5 µg/kg [U], to be checked against GB 2761-2017. Rapid screening per tanker is plant policy. Method GB 5009.24 [U].',
  },
  {
    code: 'melamine',
    name_zh: '三聚氰胺',
    name_en: 'Melamine',
    group: 'contaminants',
    method_code: 'GB/T 22388',
    unit: 'mg/kg',
    basis: 'per_kg',
    form: 'maximum',
    row: { standard: MELAMINE, item: 'melamine', productGroup: 'other foods (incl. raw milk, dairy)' },
    acceptance: false,
    note: 'MOH/MIIT/MOA/SAIC/AQSIQ Announcement 2011 No. 10 [S]: 2.5 mg/kg in foods other than infant formula (raw milk included). Rapid screening per tanker is plant policy. Method GB/T 22388 [S2].',
  },
];

/** The AFM1 value quoted in reference-data.md §2 (not a spec-items row): "AFM1 ≤0.5 µg/kg". */
function afm1FromSection2(cells: readonly string[]): string {
  const m = /AFM1\s*≤\s*(\d+(?:\.\d+)?)\s*µg\/kg/.exec(cells.join(' '));
  if (!m?.[1]) throw new Error('reference-data.md §2: AFM1 value not found');
  return m[1];
}

function rawMilkItems(inputs: Inputs): SpecItem[] {
  const table2 = sectionTable(inputs.md, '## 2. Raw milk', '## 3.');
  return RAW_MILK_ITEMS.map((def) => {
    const item = blankItem(def);
    item.required_for_release = def.acceptance;
    item.in_house_only = false;
    const notes: (string | null | undefined)[] = [];
    const cells = def.md2 ? rowByPrefix(table2, def.md2) : null;
    if (def.row) {
      const row = findRow(inputs.rows, def.row.standard, def.row.item, def.row.productGroup);
      if (!row) throw new Error(`spec-items.json: no row ${def.row.standard} / ${def.row.item}`);
      usedRows.add(row);
      notes.push(applyRow(item, row, cells ? cells.slice(0, 1) : null));
      item.source =
        row.standard === GB19301 && row.source_url !== null && !row.source_url.startsWith('http')
          ? `${row.source_url}; reference-data.md §2`
          : rowSource(row, 'reference-data.md §2');
      item.verification = verificationOf(row);
      if (row.standard === GB19301) notes.push(sourceNote(row, item));
    } else if (def.code === 'afm1' && cells) {
      item.max = afm1FromSection2(cells);
      item.precision = precisionOf(item.max);
      item.source = def.source ?? null;
      item.verification = 'unverified';
    } else {
      item.source = def.source ?? null;
      item.verification = 'missing';
    }
    notes.push(def.note);
    item.note = cleanNote(notes);
    return item;
  });
}

// ---------------------------------------------------------------------------------------
// Packs
// ---------------------------------------------------------------------------------------

interface PackMeta {
  readonly id: string;
  readonly title_zh: string;
  readonly title_en: string;
  readonly subject_kind: 'product' | 'material';
  readonly applies_to: string;
  readonly standard: string;
}

const PACKS: readonly PackMeta[] = [
  {
    id: 'gb-10765-2021-milk',
    title_zh: 'GB 10765-2021 婴儿配方食品（乳基，0～6月龄）成品放行检验规格',
    title_en: 'GB 10765-2021 infant formula (milk-based, 0–6 months): finished-product release specification',
    subject_kind: 'product',
    applies_to: 'infant',
    standard: GB10765,
  },
  {
    id: 'gb-10766-2021-milk',
    title_zh: 'GB 10766-2021 较大婴儿配方食品（乳基，6～12月龄）成品放行检验规格',
    title_en: 'GB 10766-2021 older infant formula (milk-based, 6–12 months): finished-product release specification',
    subject_kind: 'product',
    applies_to: 'older_infant',
    standard: GB10766,
  },
  {
    id: 'gb-10767-2021-milk',
    title_zh: 'GB 10767-2021 幼儿配方食品（乳基，12～36月龄）成品放行检验规格',
    title_en: 'GB 10767-2021 young children formula (milk-based, 12–36 months): finished-product release specification',
    subject_kind: 'product',
    applies_to: 'young_children',
    standard: GB10767,
  },
  {
    id: 'gb-19301-2010-raw-milk',
    title_zh: 'GB 19301-2010 生乳（牛乳）验收检验规格',
    title_en: 'GB 19301-2010 raw cow milk: receipt specification',
    subject_kind: 'material',
    applies_to: 'raw_milk',
    standard: GB19301,
  },
];

function counts(items: readonly SpecItem[]): Record<Verification, number> {
  const out = Object.fromEntries(verificationStates.map((v) => [v, 0])) as Record<Verification, number>;
  for (const i of items) out[i.verification]++;
  return out;
}

function versionNote(meta: PackMeta, items: readonly SpecItem[]): string {
  const c = counts(items);
  const common = `Template generated by scripts/build-spec-packs.ts from ../shared/reference/spec-items.json and reference-data.md: ${items.length} items, ${c.verified} verified, ${c.unverified} unverified, ${c.missing} missing. The official ${meta.standard} text was not among the sources: every "unverified" value must be checked and every "missing" value entered against it by a QA manager before this version can be approved. No EU or Codex figure is used.`;
  if (meta.subject_kind === 'material') {
    return `${common} Raw cow milk; goat milk needs its own acidity range. Contaminants and residues that GB 19301 cites by reference (GB 2762, GB 2761, GB 2763, GB 31650) are not listed item by item: add those of the plant's monitoring plan.`;
  }
  return `${common} Milk-based powder: contaminant, moisture and impurity limits are for powder (liquid values are in the notes). Soy-based items (aflatoxin B1, urease) are not included. Every item is tested in-house on every lot (SAMR 2020 plan: 全项目逐批检验, no outsourcing). Optional components count for release only when the product declares them. Table 4 of the official text may list optional components that the sources did not (e.g. ones added in 2021): check and add.`;
}

function checkFormulas(items: readonly SpecItem[], packId: string): void {
  const codes = new Map(items.map((i) => [i.code, i]));
  const deps = new Map<string, string[]>();
  for (const i of items) {
    if (i.formula === null) continue;
    if (!/^[a-z0-9_+\-*/(). ]+$/.test(i.formula)) throw new Error(`${packId}: bad formula for ${i.code}`);
    const refs = (i.formula.match(/[a-z][a-z0-9_]*/g) ?? []).filter((r) => !/^\d/.test(r));
    for (const r of refs) if (!codes.has(r)) throw new Error(`${packId}: ${i.code} refers to unknown ${r}`);
    deps.set(i.code, refs);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (code: string, trail: string[]): void => {
    if (state.get(code) === 'done') return;
    if (state.get(code) === 'visiting') throw new Error(`${packId}: formula cycle ${[...trail, code].join(' → ')}`);
    state.set(code, 'visiting');
    for (const d of deps.get(code) ?? []) visit(d, [...trail, code]);
    state.set(code, 'done');
  };
  for (const code of deps.keys()) visit(code, []);
}

// ---------------------------------------------------------------------------------------
// What a QA manager reads (issue 22 §4): origin (standard, table, row), status, a plain note.
// How each value was sourced (files, links, extraction notes) stays in `provenance`, for
// developers: the application never displays it and does not store it with a specification.
// ---------------------------------------------------------------------------------------

/**
 * The table of a product standard's nutrient, by group: GB 10765-2021 as the third-party
 * extraction numbers it (§1.2: T1 macronutrients, T2 vitamins, T3 minerals, T4 optional
 * components). For GB 10766/10767 and for rows the extraction lacks this is an inference from
 * the same layout, said so in the note; every such value is unverified or missing anyway.
 */
const TABLE_BY_GROUP: Partial<Record<Group, string>> = {
  macronutrients: '表 1',
  vitamins: '表 2',
  minerals: '表 3',
  optional: '表 4',
};
/** GB 19301-2010: 表 1 sensory, 表 2 physico-chemical, 表 3 microbiological (an inference, unverified). */
const RAW_MILK_TABLES: Readonly<Record<string, string>> = {
  sensory: '表 1',
  fat: '表 2',
  protein: '表 2',
  non_fat_solids: '表 2',
  relative_density: '表 2',
  acidity: '表 2',
  freezing_point: '表 2',
  impurities: '表 2',
  apc: '表 3',
};

function originOf(meta: PackMeta, item: SpecItem): { origin: SpecItem['origin']; inferred: boolean } {
  const clause = item.clause ?? '';
  const gb29921 = /^(GB 29921-2021) 表(\d+)/.exec(clause);
  if (gb29921) return { origin: { standard: gb29921[1]!, table: `表 ${gb29921[2]}`, row: item.name_zh }, inferred: false };
  const stated = /^Table (\d+)$/.exec(clause);
  if (stated) return { origin: { standard: meta.standard, table: `表 ${stated[1]}`, row: item.name_zh }, inferred: false };
  if (item.code === 'energy' || item.group === 'contaminants')
    return { origin: { standard: meta.standard, table: null, row: item.name_zh }, inferred: false };
  const table = meta.standard === GB19301 ? RAW_MILK_TABLES[item.code] : TABLE_BY_GROUP[item.group];
  return { origin: { standard: meta.standard, table: table ?? null, row: item.name_zh }, inferred: !!table };
}

const ENERGY_NOTE_ZH =
  '由蛋白质、脂肪、碳水化合物按 17、37、17 kJ/g 计算（每 100 g 产品）；限值以即食状态每 100 mL 计，按产品冲调比例换算。';

function qaNote(item: SpecItem, origin: NonNullable<SpecItem['origin']>, inferred: boolean): string | null {
  const where = origin.table ? `${origin.standard} ${origin.table}` : origin.standard;
  const parts: string[] = [];
  if (item.code === 'energy') parts.push(ENERGY_NOTE_ZH);
  if (item.verification === 'missing') parts.push(`资料中没有该项数值：请按 ${where} 官方文本录入后确认。`);
  else if (item.verification === 'unverified') parts.push('数值取自二手资料，尚未与官方文本核对。');
  if (inferred) parts.push('表号按同类表格结构推定，请核对。');
  if (item.group === 'optional') parts.push('可选择性成分：仅在产品标示添加时才作为放行项目。');
  if (item.group === 'contaminants' && origin.table === null) parts.push('限量按该标准引用的污染物、真菌毒素限量标准执行，请核对。');
  return parts.length ? parts.join('') : null;
}

function forQaManager(meta: PackMeta, item: SpecItem): SpecItem {
  const { origin, inferred } = originOf(meta, item);
  const provenance = [
    item.clause ? `clause: ${item.clause}` : null,
    item.source ? `source: ${item.source}` : null,
    item.note ? `note: ${item.note}` : null,
  ]
    .filter((p): p is string => p !== null)
    .join('\n');
  return {
    ...item,
    clause: null,
    source: null,
    note: origin ? qaNote(item, origin, inferred) : null,
    origin,
    provenance: provenance === '' ? null : provenance,
  };
}

function versionNoteZh(meta: PackMeta, items: readonly SpecItem[]): string {
  const c = counts(items);
  return `${meta.standard} 模板，共 ${items.length} 项：已核实 ${c.verified} 项，未核实 ${c.unverified} 项，缺失 ${c.missing} 项。官方标准文本不在数据来源中：请逐表与官方文本核对「未核实」的数值、按官方文本录入「缺失」的数值，确认后方可批准。`;
}

export function buildPacks(inputs: Inputs): { file: string; doc: SpecDocument }[] {
  usedRows.clear();
  const out: { file: string; doc: SpecDocument }[] = [];
  let gb10765: SpecItem[] | null = null;
  for (const meta of PACKS) {
    let items: SpecItem[];
    if (meta.standard === GB19301) items = rawMilkItems(inputs);
    else items = imfItems(meta.standard as ImfStandard, inputs, gb10765);
    if (meta.standard === GB10765) gb10765 = items;
    const codes = items.map((i) => i.code);
    if (new Set(codes).size !== codes.length) throw new Error(`${meta.id}: duplicate item codes`);
    checkFormulas(items, meta.id);
    const doc = specDocumentSchema.parse({
      schema: SPEC_DOCUMENT_SCHEMA,
      pack_id: meta.id,
      title_zh: meta.title_zh,
      title_en: meta.title_en,
      subject_kind: meta.subject_kind,
      applies_to: meta.applies_to,
      standard: meta.standard,
      version_note: versionNoteZh(meta, items),
      provenance: versionNote(meta, items),
      items: items.map((i) => forQaManager(meta, i)),
    });
    out.push({ file: `${meta.id}.json`, doc });
  }
  // Every GB row (and the melamine rows) is used or deliberately excluded.
  const gbLike = (r: SourceRow): boolean => r.standard.startsWith('GB ') || r.standard === MELAMINE;
  for (const r of inputs.rows.filter(gbLike)) {
    if (usedRows.has(r)) continue;
    if (EXCLUDED_ROWS.some((e) => e.standard === r.standard && e.item === r.item)) continue;
    throw new Error(`spec-items.json row ${r.standard} / ${r.item} is in no pack: add it or list it in EXCLUDED_ROWS`);
  }
  return out;
}

export function buildIndex(packs: readonly { file: string; doc: SpecDocument }[]): unknown {
  return {
    schema: 'lotseal.spec-pack-index/1',
    packs: packs.map(({ file, doc }) => ({
      id: doc.pack_id,
      file,
      title_zh: doc.title_zh,
      title_en: doc.title_en,
      standard: doc.standard,
      subject_kind: doc.subject_kind,
      applies_to: doc.applies_to,
      item_count: doc.items.length,
      counts: counts(doc.items),
    })),
  };
}

const pretty = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The files the generator writes (name in resources/spec-packs, text), with the packs they
 * hold; null when the reference inputs are absent. `--check` and the unit test compare them
 * with the committed files (tests/unit/spec-packs.test.ts).
 */
export function generatedFiles(): { packs: { file: string; doc: SpecDocument }[]; files: [string, string][] } | null {
  if (!existsSync(SPEC_ITEMS_FILE) || !existsSync(REFERENCE_MD_FILE)) return null;
  const inputs: Inputs = {
    rows: readSpecItems(readFileSync(SPEC_ITEMS_FILE, 'utf8')),
    md: readFileSync(REFERENCE_MD_FILE, 'utf8'),
  };
  const packs = buildPacks(inputs);
  return {
    packs,
    files: [
      ...packs.map(({ file, doc }): [string, string] => [file, pretty(doc)]),
      ['index.json', pretty(buildIndex(packs))],
    ],
  };
}

/** The generated files that differ from the committed ones (missing ones included). */
export function staleFiles(files: readonly [string, string][]): string[] {
  return files
    .filter(([file, text]) => {
      const target = path.join(OUT_DIR, file);
      return !existsSync(target) || readFileSync(target, 'utf8') !== text;
    })
    .map(([file]) => file);
}

function main(): void {
  const check = process.argv.includes('--check');
  const generated = generatedFiles();
  if (!generated) {
    process.stderr.write(
      `build-spec-packs: ${path.relative(ROOT, REFERENCE_DIR)} has no spec-items.json / reference-data.md; the committed packs are left as they are.\n`,
    );
    return;
  }
  const { packs, files } = generated;
  const stale = staleFiles(files);
  if (!check) mkdirSync(OUT_DIR, { recursive: true });
  for (const [file, text] of files) {
    if (!stale.includes(file)) continue;
    const target = path.join(OUT_DIR, file);
    if (check) process.stderr.write(`build-spec-packs: ${path.relative(ROOT, target)} is out of date\n`);
    else writeFileSync(target, text);
  }
  for (const { file, doc } of packs) {
    const c = counts(doc.items);
    process.stderr.write(
      `${file}: ${doc.items.length} items (verified ${c.verified}, unverified ${c.unverified}, missing ${c.missing})\n`,
    );
  }
  for (const e of EXCLUDED_ROWS) process.stderr.write(`excluded: ${e.standard} / ${e.item}: ${e.why}\n`);
  if (check && stale.length > 0) process.exitCode = 1;
}

// Run as a script (`node --import tsx scripts/build-spec-packs.ts`), not when a test imports it.
const invokedAs = process.argv[1] ? path.resolve(process.argv[1]) : null;
if (invokedAs && existsSync(invokedAs) && realpathSync(invokedAs) === realpathSync(__filename)) main();
