import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, staleFiles } from '../../scripts/build-spec-packs';
import { specDocumentSchema, type SpecDocument, type SpecItem } from '../../src/shared/catalog/spec-schema';
import { checkFormulaSet } from '../../src/shared/rules/formula';

/**
 * The GB spec packs in resources/spec-packs (built by scripts/build-spec-packs.ts): valid
 * documents, every item of the standard present, every value with its source, no EU or
 * Codex figure, stated digits kept, formulas closed and acyclic.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const PACK_DIR = path.join(ROOT, 'resources', 'spec-packs');
const SPEC_ITEMS = path.join(
  process.env['LOTSEAL_REFERENCE_DIR'] ?? path.resolve(ROOT, '..', 'shared', 'reference'),
  'spec-items.json',
);
const HAVE_REFERENCE = existsSync(SPEC_ITEMS);

interface IndexEntry {
  id: string;
  file: string;
  standard: string;
  subject_kind: string;
  applies_to: string;
  item_count: number;
  counts: Record<string, number>;
}

const index = JSON.parse(readFileSync(path.join(PACK_DIR, 'index.json'), 'utf8')) as { packs: IndexEntry[] };
const rawText = (file: string): string => readFileSync(path.join(PACK_DIR, file), 'utf8');
const packs = new Map<string, SpecDocument>(
  index.packs.map((p) => [p.id, specDocumentSchema.parse(JSON.parse(rawText(p.file)))]),
);

function pack(id: string): SpecDocument {
  const p = packs.get(id);
  if (!p) throw new Error(`no pack ${id}`);
  return p;
}
function item(id: string, code: string): SpecItem {
  const i = pack(id).items.find((x) => x.code === code);
  if (!i) throw new Error(`${id} has no item ${code}`);
  return i;
}

const GB10765 = 'gb-10765-2021-milk';
const GB10766 = 'gb-10766-2021-milk';
const GB10767 = 'gb-10767-2021-milk';
const GB19301 = 'gb-19301-2010-raw-milk';
const IMF = [GB10765, GB10766, GB10767];
const LIMIT_FIELDS = ['min', 'max', 'target', 'lod', 'm', 'big_m'] as const;

const hasLimit = (i: SpecItem): boolean => LIMIT_FIELDS.some((f) => i[f] !== null) || i.n !== null;
const decimals = (s: string): number => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);
/** "-0.560" and "-0.56" are the same number: compare without trailing zeros. */
const canonical = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

describe('spec packs: documents', () => {
  it('ships the four packs, each valid against specDocumentSchema', () => {
    expect(index.packs.map((p) => p.id).sort()).toEqual([GB10765, GB10766, GB10767, GB19301]);
    for (const p of index.packs) {
      const result = specDocumentSchema.safeParse(JSON.parse(rawText(p.file)));
      expect(result.success, `${p.file}: ${result.error?.message ?? ''}`).toBe(true);
      expect(result.data?.pack_id).toBe(p.id);
      expect(result.data?.standard).toBe(p.standard);
    }
  });

  it('has the subject and stage of each pack', () => {
    expect([pack(GB10765).subject_kind, pack(GB10765).applies_to]).toEqual(['product', 'infant']);
    expect([pack(GB10766).subject_kind, pack(GB10766).applies_to]).toEqual(['product', 'older_infant']);
    expect([pack(GB10767).subject_kind, pack(GB10767).applies_to]).toEqual(['product', 'young_children']);
    expect([pack(GB19301).subject_kind, pack(GB19301).applies_to]).toEqual(['material', 'raw_milk']);
  });

  it('index.json counts the items of each pack by verification state', () => {
    for (const p of index.packs) {
      const items = pack(p.id).items;
      expect(p.item_count).toBe(items.length);
      for (const state of ['verified', 'unverified', 'missing', 'confirmed', 'plant']) {
        expect(p.counts[state], `${p.id} ${state}`).toBe(items.filter((i) => i.verification === state).length);
      }
    }
  });

  it('has unique item codes in every pack', () => {
    for (const [id, doc] of packs) {
      const codes = doc.items.map((i) => i.code);
      expect(new Set(codes).size, id).toBe(codes.length);
    }
  });
});

describe('spec packs: GB 10765 lists every item of reference-data.md §1.4', () => {
  /** The rows of the §1.4 release-panel table (milk-based), by the item codes that carry them. */
  const SECTION_1_4: Record<string, string[]> = {
    energy: ['energy'],
    protein: ['protein'],
    fat: ['fat'],
    'linoleic, α-linolenic acid, ratio': ['la', 'ala', 'la_ala'],
    carbohydrate: ['carbohydrate'],
    'vit A, D, E': ['vit_a', 'vit_d', 'vit_e'],
    'vit K1': ['vit_k1'],
    'B1 / B2 / B6': ['vit_b1', 'vit_b2', 'vit_b6'],
    B12: ['vit_b12'],
    'niacin / folic acid / pantothenic acid / biotin / vit C': [
      'niacin',
      'folic_acid',
      'pantothenic_acid',
      'biotin',
      'vit_c',
    ],
    'choline / inositol / taurine / L-carnitine': ['choline', 'inositol', 'taurine', 'l_carnitine'],
    'Na, K, Ca, Mg, Fe, Zn, Cu, Mn, P': ['na', 'k', 'ca', 'mg', 'fe', 'zn', 'cu', 'mn', 'p'],
    'iodine / selenium': ['iodine', 'se'],
    chloride: ['cl'],
    'moisture / ash / impurities': ['moisture', 'ash', 'impurities'],
    lead: ['pb'],
    'nitrate / nitrite': ['nitrate', 'nitrite'],
    'aflatoxin M1 (milk-based)': ['afm1'],
    'aerobic plate count': ['apc'],
    Enterobacteriaceae: ['enterobacteriaceae'],
    'Cronobacter spp.': ['cronobacter'],
    Salmonella: ['salmonella'],
    melamine: ['melamine'],
    // §1.2 (GB 10765 tables): the optional DHA / ARA and their ratio, and the Ca/P ratio.
    'DHA / ARA (Table 4)': ['dha', 'ara', 'ara_dha'],
    'Ca/P ratio': ['ca_p'],
  };

  for (const [row, codes] of Object.entries(SECTION_1_4)) {
    it(`has ${row}`, () => {
      for (const code of codes) expect(item(GB10765, code).code).toBe(code);
    });
  }

  it('uses every item group of the schema', () => {
    const groups = new Set(pack(GB10765).items.map((i) => i.group));
    expect([...groups].sort()).toEqual(
      ['contaminants', 'macronutrients', 'microbiology', 'minerals', 'optional', 'other', 'vitamins'].sort(),
    );
  });

  it('has the same items in the three IMF packs (their limits differ)', () => {
    const codes = (id: string): string[] => pack(id).items.map((i) => i.code);
    expect(codes(GB10766)).toEqual(codes(GB10765));
    expect(codes(GB10767)).toEqual(codes(GB10765));
  });

  it('groups the optional components as optional, and notes they count when declared', () => {
    for (const code of ['inositol', 'taurine', 'l_carnitine', 'dha', 'ara', 'ara_dha']) {
      const i = item(GB10765, code);
      expect(i.group).toBe('optional');
      expect(i.required_for_release).toBe(true);
      expect(dev(i).note).toMatch(/when the product declares/);
      expect(i.note).toMatch(/仅在产品标示添加时/);
    }
    // Choline became essential in 2021 (reference-data.md §1.2).
    expect(item(GB10765, 'choline').group).toBe('vitamins');
  });

  it('tests every IMF item in-house on every lot, compared by full value (SAMR 2020 plan, GB/T 8170 default)', () => {
    for (const id of IMF) {
      for (const i of pack(id).items) {
        expect([i.required_for_release, i.in_house_only, i.frequency, i.comparison], `${id} ${i.code}`).toEqual([
          true,
          true,
          'every_lot',
          'full_value',
        ]);
      }
    }
  });

  it('writes the microbiological plans as n / c / m / M', () => {
    expect([
      item(GB10765, 'apc').n,
      item(GB10765, 'apc').c,
      item(GB10765, 'apc').m,
      item(GB10765, 'apc').big_m,
    ]).toEqual([5, 2, '1000', '10000']);
    const eb = item(GB10765, 'enterobacteriaceae');
    expect([eb.n, eb.c, eb.m, eb.big_m, eb.unit]).toEqual([5, 0, '10', null, 'CFU/g']);
    const cro = item(GB10765, 'cronobacter');
    expect([cro.limit_form, cro.n, cro.c, cro.m, cro.big_m, cro.basis]).toEqual([
      'sampling_plan',
      3,
      0,
      '0',
      null,
      'per_100g',
    ]);
    const sal = item(GB10765, 'salmonella');
    expect([sal.limit_form, sal.n, sal.c, sal.m, sal.big_m, sal.basis, sal.unit]).toEqual([
      'sampling_plan',
      5,
      0,
      '0',
      null,
      'per_25g',
      'per 25 g',
    ]);
  });
});

/** The developer provenance of an item (clause, source and note as the generator found them; never displayed). */
function dev(i: SpecItem): { clause: string | null; source: string | null; note: string | null } {
  const lines = (i.provenance ?? '').split('\n');
  const field = (k: string): string | null => lines.find((l) => l.startsWith(`${k}: `))?.slice(k.length + 2) ?? null;
  return { clause: field('clause'), source: field('source'), note: field('note') };
}

describe('spec packs: sources and verification', () => {
  const EU_OR_CODEX = /codex|stan\s*72|eu\s+directive|\bEU\b|2006\/141|pmc\.ncbi|nasx|nasem|european/i;

  it('gives a source for every item with a limit, and never a missing state with a value', () => {
    for (const [id, doc] of packs) {
      for (const i of doc.items) {
        if (hasLimit(i)) {
          expect(dev(i).source, `${id} ${i.code}`).toMatch(/\S/);
          expect(i.verification, `${id} ${i.code}`).not.toBe('missing');
        }
        if (i.verification === 'missing') {
          expect(hasLimit(i), `${id} ${i.code}`).toBe(false);
          expect(dev(i).note, `${id} ${i.code} must say what to enter`).toMatch(/official text/);
          expect(i.note, `${id} ${i.code} must say what to enter (for the QA manager)`).toMatch(/官方文本录入/);
        }
      }
    }
  });

  it('cites no EU Directive or Codex figure as a source (nor in a note)', () => {
    for (const [id, doc] of packs) {
      for (const i of doc.items) {
        expect(dev(i).source ?? '', `${id} ${i.code} source`).not.toMatch(EU_OR_CODEX);
        expect(dev(i).note ?? '', `${id} ${i.code} note`).not.toMatch(EU_OR_CODEX);
        expect(i.note ?? '', `${id} ${i.code} note`).not.toMatch(EU_OR_CODEX);
      }
    }
  });

  it('does not copy GB 10765 values into GB 10766 or GB 10767', () => {
    for (const id of [GB10766, GB10767]) {
      for (const i of pack(id).items) {
        expect(dev(i).source ?? '', `${id} ${i.code}`).not.toMatch(/10765|Tonywsy/i);
        if (['macronutrients', 'vitamins', 'minerals', 'optional', 'microbiology', 'other'].includes(i.group)) {
          // Only a row of that standard's own (GB 10767 energy) may carry a nutrient value.
          if (i.verification !== 'missing') expect(`${id} ${i.code}`).toBe(`${GB10767} energy`);
        }
      }
    }
    expect([item(GB10767, 'energy').min, item(GB10767, 'energy').max]).toEqual(['250', '334']);
    expect(item(GB10766, 'energy').verification).toBe('missing');
    expect(item(GB10767, 'cl').method_code).toBe('GB 5009.44');
    expect(item(GB10767, 'cl').verification).toBe('missing');
  });

  it('marks the melamine limit verified for infant formula (Announcement 2011 No. 10 [S])', () => {
    expect([item(GB10765, 'melamine').max, item(GB10765, 'melamine').verification]).toEqual(['1', 'verified']);
    expect([item(GB19301, 'melamine').max, item(GB19301, 'melamine').verification]).toEqual(['2.5', 'verified']);
  });
});

describe('spec packs: decimal strings and stated digits', () => {
  it('stores no limit as a JSON number', () => {
    for (const p of index.packs) {
      expect(rawText(p.file)).not.toMatch(/"(min|max|target|lod|m|big_m)": -?\d/);
      for (const i of pack(p.id).items) {
        for (const f of LIMIT_FIELDS) expect(['string', 'object']).toContain(typeof i[f]);
      }
    }
  });

  it('keeps the stated digits', () => {
    expect(item(GB10765, 'vit_d').max).toBe('1.20');
    expect(item(GB10765, 'vit_e').max).toBe('1.20');
    expect(item(GB10765, 'fe').min).toBe('0.10');
    expect(item(GB10765, 'folic_acid').max).toBe('12.0');
    expect(item(GB10765, 'inositol').min).toBe('1.0');
    expect(item(GB10765, 'taurine').max).toBe('4.0');
    expect(item(GB10765, 'nitrite').max).toBe('2.0');
    expect(item(GB10765, 'moisture').max).toBe('5.0');
    expect([item(GB19301, 'freezing_point').min, item(GB19301, 'freezing_point').max]).toEqual(['-0.560', '-0.500']);
    expect(item(GB19301, 'impurities').max).toBe('4.0');
  });

  it('sets the precision to the stated decimals of the limit (ratios and colony counts report by their own rule)', () => {
    const OWN_PRECISION = new Set(['ara_dha', 'la_ala', 'ca_p']);
    for (const [id, doc] of packs) {
      for (const i of doc.items) {
        const stated = [i.min, i.max].filter((v): v is string => v !== null);
        if (OWN_PRECISION.has(i.code)) {
          // Issue 20 §2: a ratio carries its own precision (ARA/DHA 2.4 is reported 2.4, never "2").
          expect(i.precision, `${id} ${i.code}`).toBe(1);
        } else if (i.reporting) {
          expect([i.reporting, i.precision], `${id} ${i.code}`).toEqual([{ kind: 'colony_count' }, null]);
        } else if (i.limit_form === 'report_only' || (stated.length === 0 && i.limit_form !== 'sampling_plan')) {
          expect(i.precision, `${id} ${i.code}`).toBeNull();
        } else if (stated.length > 0) {
          expect(i.precision, `${id} ${i.code}`).toBe(Math.max(...stated.map(decimals)));
        }
      }
    }
    expect(item(GB10765, 'vit_b12').precision).toBe(3);
    expect(item(GB10765, 'vit_d').precision).toBe(2);
  });
});

describe('spec packs: reporting rules, pathogen plans and missing release items (issue 20 §2–3)', () => {
  it('reports the plate counts by the GB 4789.2 colony-count rule', () => {
    for (const id of IMF)
      for (const code of ['apc', 'enterobacteriaceae'])
        expect(item(id, code).reporting, `${id} ${code}`).toEqual({ kind: 'colony_count' });
  });

  it('takes the IMF pathogen plans from GB 29921-2021: an unverified draft with its clause, never verified', () => {
    for (const code of ['cronobacter', 'salmonella']) {
      const i = item(GB10765, code);
      expect(i.verification).toBe('unverified');
      expect(dev(i).clause).toMatch(/^GB 29921-2021 表1/);
      expect(dev(i).source).toMatch(/GB 29921-2021/);
      expect(dev(i).note).toMatch(/Unverified draft/);
      expect(i.origin).toEqual({ standard: 'GB 29921-2021', table: '表 1', row: i.name_zh });
      for (const id of [GB10766, GB10767]) {
        expect(item(id, code).verification, `${id} ${code}`).toBe('missing');
        expect(dev(item(id, code)).clause, `${id} ${code}`).toMatch(/^GB 29921-2021 表1/);
        expect(item(id, code).n, `${id} ${code}`).toBeNull();
      }
    }
    for (const [id, doc] of packs)
      for (const i of doc.items.filter((x) => x.group === 'microbiology'))
        expect(i.verification, `${id} ${i.code}`).not.toBe('verified');
  });

  it('lists the release items the reference does not give as missing, so QA enters them before approval', () => {
    for (const id of IMF)
      for (const code of ['lauric_myristic', 'trans_fatty_acids', 'erucic_acid', 'lactose_share']) {
        const i = item(id, code);
        expect([i.verification, i.min, i.max], `${id} ${code}`).toEqual(['missing', null, null]);
        expect(dev(i).note, `${id} ${code}`).toMatch(/2010 edition/);
      }
  });
});

describe('spec packs: what a QA manager reads (issue 22 §4)', () => {
  /** Developer provenance: files, links, the generator, reference tags. */
  const DEVELOPER = /scripts\/|build-spec-packs|reference-data|spec-items|\.json|https?:|github|Tonywsy|\[S2?\]|\[U\]|§/i;

  it('shows no developer note, file reference or link in any displayed field', () => {
    for (const [id, doc] of packs) {
      expect(doc.version_note ?? '', id).not.toMatch(DEVELOPER);
      expect(doc.version_note ?? '', id).toMatch(/官方标准文本/);
      expect(doc.provenance ?? '', id).toMatch(/build-spec-packs/);
      for (const i of doc.items) {
        for (const f of ['note', 'source', 'clause'] as const)
          expect(i[f] ?? '', `${id} ${i.code} ${f}`).not.toMatch(DEVELOPER);
        if (i.note) expect(i.note, `${id} ${i.code} note in Chinese`).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('gives every value its standard, table (where it has one) and row', () => {
    for (const [id, doc] of packs) {
      for (const i of doc.items) {
        expect(i.origin, `${id} ${i.code}`).toBeTruthy();
        expect(i.origin!.row, `${id} ${i.code}`).toBe(i.name_zh);
        expect(i.origin!.standard, `${id} ${i.code}`).toMatch(/^GB /);
        if (i.origin!.table !== null) expect(i.origin!.table, `${id} ${i.code}`).toMatch(/^表 \d+$/);
      }
    }
    // The third-party extraction's tables of GB 10765-2021 (T1–T4), as 表 1–表 4.
    expect(item(GB10765, 'protein').origin).toEqual({ standard: 'GB 10765-2021', table: '表 1', row: '蛋白质' });
    expect(item(GB10765, 'vit_a').origin?.table).toBe('表 2');
    expect(item(GB10765, 'fe').origin?.table).toBe('表 3');
    expect(item(GB10765, 'dha').origin?.table).toBe('表 4');
    // A table inferred from the layout says so.
    expect(item(GB10766, 'protein').note).toMatch(/表号按同类表格结构推定/);
  });
});

describe('spec packs: formulas', () => {
  /** Codes a formula refers to; the formula may hold only codes, numbers, + - * / ( ). */
  function refs(formula: string): string[] {
    expect(formula).toMatch(/^[a-z0-9_+\-*/(). ]+$/);
    return formula.match(/\b[a-z][a-z0-9_]*\b/g) ?? [];
  }

  it('refer only to codes of the same pack, without cycles', () => {
    for (const [id, doc] of packs) {
      const byCode = new Map(doc.items.map((i) => [i.code, i]));
      for (const i of doc.items) {
        for (const r of i.formula ? refs(i.formula) : []) expect(byCode.has(r), `${id} ${i.code} → ${r}`).toBe(true);
      }
      const state = new Map<string, 'open' | 'done'>();
      const visit = (code: string): void => {
        if (state.get(code) === 'done') return;
        expect(state.get(code), `${id}: cycle through ${code}`).not.toBe('open');
        state.set(code, 'open');
        const f = byCode.get(code)?.formula;
        for (const r of f ? refs(f) : []) visit(r);
        state.set(code, 'done');
      };
      for (const i of doc.items) visit(i.code);
    }
  });

  it("pass the app's formula check (src/shared/rules/formula.ts checkFormulaSet)", () => {
    for (const [id, doc] of packs) {
      const result = checkFormulaSet(doc.items.map((i) => ({ code: i.code, formula: i.formula })));
      expect(result.ok ? [] : result.errors, id).toEqual([]);
    }
  });

  it('defines energy, carbohydrate by difference and the ratios', () => {
    for (const id of IMF) {
      expect(item(id, 'energy').formula).toBe('17 * protein + 37 * fat + 17 * carbohydrate');
      expect(item(id, 'carbohydrate').formula).toBe('100 - moisture - protein - fat - ash');
      expect([item(id, 'la_ala').formula, item(id, 'la_ala').basis]).toEqual(['la / ala', 'ratio']);
      expect([item(id, 'ca_p').formula, item(id, 'ca_p').basis]).toEqual(['ca / p', 'ratio']);
      for (const i of pack(id).items) if (i.formula) expect(i.method_code, `${id} ${i.code}`).toBeNull();
    }
  });
});

/** spec-items.json rows with their number literals as written (rows are flat objects). */
function sourceRows(): { standard: string; item: string; min: string | null; max: string | null; verified: boolean }[] {
  const text = readFileSync(SPEC_ITEMS, 'utf8');
  return (text.match(/\{[^{}]*\}/g) ?? []).map((obj) => {
    const str = (key: string): string => new RegExp(`"${key}":\\s*"([^"]*)"`).exec(obj)?.[1] ?? '';
    const num = (key: string): string | null => {
      const v = new RegExp(`"${key}":\\s*(null|-?\\d+(?:\\.\\d+)?)`).exec(obj)?.[1];
      if (v === undefined) throw new Error(`no ${key} in ${obj}`);
      return v === 'null' ? null : v;
    };
    return {
      standard: str('standard'),
      item: str('item'),
      min: num('min'),
      max: num('max'),
      verified: /"verified":\s*true/.test(obj),
    };
  });
}

/** Same number, and at least the digits written in the source. */
function expectStated(actual: string | null, literal: string | null, label: string): void {
  if (literal === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  expect(canonical(actual ?? ''), label).toBe(canonical(literal));
  expect(decimals(actual ?? ''), label).toBeGreaterThanOrEqual(decimals(literal));
}

describe.skipIf(!HAVE_REFERENCE)('spec packs: against ../shared/reference/spec-items.json', () => {
  it('raw milk has every GB 19301 item of spec-items.json with its exact value', () => {
    const codeOf: Record<string, string> = {
      protein: 'protein',
      fat: 'fat',
      'aerobic plate count': 'apc',
      'freezing point': 'freezing_point',
      'relative density (20°C/4°C)': 'relative_density',
      'non-fat milk solids': 'non_fat_solids',
      'acidity (cow, Holstein)': 'acidity',
      impurities: 'impurities',
    };
    const rows = sourceRows().filter((r) => r.standard === 'GB 19301-2010');
    // The pack is for cow milk: the goat-milk acidity row is deliberately left out.
    const cow = rows.filter((r) => r.item !== 'acidity (goat)');
    expect(rows.length - cow.length).toBe(1);
    expect(pack(GB19301).items.some((i) => i.code.includes('goat'))).toBe(false);
    for (const r of cow) {
      const code = codeOf[r.item];
      expect(code, `unmapped GB 19301 row ${r.item}`).toBeDefined();
      const i = item(GB19301, code ?? '');
      expectStated(i.min, r.min, `${r.item} min`);
      expectStated(i.max, r.max, `${r.item} max`);
      expect(i.verification).toBe(r.verified ? 'verified' : 'unverified');
    }
    expect(item(GB19301, 'apc').max).toBe('2000000');
    expect(item(GB19301, 'relative_density').min).toBe('1.027');
    expect([item(GB19301, 'acidity').min, item(GB19301, 'acidity').max]).toEqual(['12', '18']);
  });

  it('GB 10765 values equal the spec-items.json literals, with their verification', () => {
    const codeOf: Record<string, string> = {
      energy: 'energy',
      protein: 'protein',
      fat: 'fat',
      carbohydrate: 'carbohydrate',
      'vitamin A': 'vit_a',
      'vitamin D': 'vit_d',
      'vitamin E': 'vit_e',
      'vitamin K1': 'vit_k1',
      'vitamin B1': 'vit_b1',
      'vitamin B2': 'vit_b2',
      'vitamin B6': 'vit_b6',
      'vitamin B12': 'vit_b12',
      niacin: 'niacin',
      'folic acid': 'folic_acid',
      'vitamin C': 'vit_c',
      choline: 'choline',
      calcium: 'ca',
      'iron (milk-based)': 'fe',
      'zinc (milk-based)': 'zn',
      'inositol (optional)': 'inositol',
      'taurine (optional)': 'taurine',
      'DHA (optional)': 'dha',
      'ARA (optional)': 'ara',
      'lead (powder)': 'pb',
      'nitrate (as NaNO3)': 'nitrate',
      'nitrite (as NaNO2)': 'nitrite',
      'aflatoxin M1 (milk-based, as powder)': 'afm1',
      'moisture (powder)': 'moisture',
      'impurities (powder)': 'impurities',
    };
    const plans = ['aerobic plate count', 'Enterobacteriaceae', 'Cronobacter spp.', 'Salmonella'];
    const rows = sourceRows().filter((r) => r.standard === 'GB 10765-2021');
    for (const r of rows) {
      if (plans.includes(r.item)) continue; // plans: checked above as n / c / m / M
      const code = codeOf[r.item];
      expect(code, `unmapped GB 10765 row ${r.item}`).toBeDefined();
      const i = item(GB10765, code ?? '');
      expectStated(i.min, r.min, `${r.item} min`);
      expectStated(i.max, r.max, `${r.item} max`);
      expect(i.verification, r.item).toBe(r.verified ? 'verified' : 'unverified');
    }
  });

  it('the committed packs are what the generator builds', () => {
    // What `build-spec-packs.ts --check` compares, in this process (a Node start under tsx
    // cost ~1 CPU-s).
    // This block runs only with the reference inputs, so the generator must have produced files.
    const generated = generatedFiles();
    expect(generated, 'the generator found its reference inputs').not.toBeNull();
    expect(staleFiles(generated?.files ?? [])).toEqual([]);
  });
});
