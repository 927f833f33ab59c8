import type { TFunction } from 'i18next';
import type { SpecProblem } from '../../../../../shared/contract/channels/catalog';
import type { SpecItem, SpecOrigin } from '../../../../../shared/catalog/spec-schema';
import i18n from '../../../core/i18n';
import { ApiError } from '../../../core/api/client';

/** Unit symbols are the same in every language: "g" + "/100 kJ". */
const basisSuffix: Record<SpecItem['basis'], string> = {
  per_100g: '/100 g',
  per_100ml: '/100 mL',
  per_100kj: '/100 kJ',
  per_100kcal: '/100 kcal',
  per_kg: '/kg',
  per_g: '/g',
  per_25g: '/25 g',
  per_100g_sample: '/100 g',
  as_is: '',
  ratio: '',
};

/** "g/100 kJ", "mg/kg", "CFU/g"; empty for a plain ratio. */
export function unitWithBasis(item: Pick<SpecItem, 'unit' | 'basis'>): string {
  const suffix = basisSuffix[item.basis];
  if (!item.unit) return '';
  // Some units already carry their basis ("mg/kg", "per 25 g"): never "mg/kg/kg".
  if (item.unit.includes('/') || item.unit.startsWith('per ')) return item.unit;
  return `${item.unit}${suffix}`;
}

type LimitFields = Pick<
  SpecItem,
  'limit_form' | 'min' | 'max' | 'target' | 'lod' | 'n' | 'c' | 'm' | 'big_m' | 'unit' | 'basis'
>;

/**
 * The limit as a QA manager reads it on the certificate: "0.45 – 0.70 g/100 kJ", "≥ 97.0",
 * "≤ 0.08 mg/kg", "n=5 c=2 m=1000 M=10000 CFU/g", "not detected (LOD 0.01)". Decimal strings
 * are shown exactly as stated ("1.20" stays "1.20").
 */
export function formatLimit(t: TFunction, item: LimitFields): string {
  const u = unitWithBasis(item);
  const withUnit = (s: string) => (u ? `${s} ${u}` : s);
  switch (item.limit_form) {
    case 'range':
    case 'minimum':
    case 'maximum': {
      const { min, max } = item;
      if (min !== null && max !== null) return withUnit(`${min} – ${max}`);
      if (min !== null) return withUnit(`≥ ${min}`);
      if (max !== null) return withUnit(`≤ ${max}`);
      return t('specs.limit.empty');
    }
    case 'equals':
      return item.target !== null ? withUnit(`= ${item.target}`) : t('specs.limit.empty');
    case 'not_detected':
      return item.lod !== null
        ? `${t('specs.limit.notDetected')} (${t('specs.limit.lod', { lod: item.lod })}${u ? ` ${u}` : ''})`
        : t('specs.limit.notDetected');
    case 'sampling_plan': {
      const parts = [
        item.n !== null ? `n=${item.n}` : null,
        item.c !== null ? `c=${item.c}` : null,
        item.m !== null ? `m=${item.m}` : null,
        item.big_m !== null ? `M=${item.big_m}` : null,
      ].filter((x): x is string => x !== null);
      return parts.length ? withUnit(parts.join(' ')) : t('specs.limit.empty');
    }
    case 'report_only':
      return t('specs.limit.reportOnly');
  }
}

export function formatFrequency(
  t: TFunction,
  item: Pick<SpecItem, 'frequency' | 'frequency_n' | 'period_days'>,
): string {
  if (item.frequency === 'every_nth_lot') return t('specs.frequencies.every_nth_lot', { n: item.frequency_n ?? 'N' });
  if (item.frequency === 'periodic') return t('specs.frequencies.periodic', { days: item.period_days ?? '?' });
  return t('specs.frequencies.every_lot');
}

export const verificationColor: Record<SpecItem['verification'], string> = {
  verified: 'green',
  confirmed: 'teal',
  plant: 'blue',
  unverified: 'orange',
  missing: 'red',
};

export const statusColor = { draft: 'yellow', approved: 'green', superseded: 'gray' } as const;

/** A problem from the server (view.problems or error details.problems), in the UI language. */
export function problemMessage(t: TFunction, p: SpecProblem): string {
  return i18n.exists(p.key) ? (t(p.key, { ...(p.details ?? {}) } as Record<string, unknown>) as string) : p.key;
}

/** The `details.problems` of a saveItem / create / approve refusal, if any. */
export function errorProblems(err: unknown): SpecProblem[] {
  if (!(err instanceof ApiError)) return [];
  const problems = err.error.details?.['problems'];
  return Array.isArray(problems) ? (problems as SpecProblem[]) : [];
}

/** Name of an item in the UI language. */
export function itemName(lang: string, item: Pick<SpecItem, 'name_zh' | 'name_en'>): string {
  return lang.startsWith('zh') ? item.name_zh : item.name_en;
}

/** The source of a version ("pack:gb-10765-2021-milk", "import", "manual", "copy:v1"), readable. */
export function formatSource(t: TFunction, source: string): string {
  if (source.startsWith('pack:')) return t('specs.sources.pack', { id: source.slice(5) });
  if (source.startsWith('copy:v')) return t('specs.sources.copy', { version: source.slice(6) });
  if (source === 'import') return t('specs.sources.import');
  if (source === 'manual') return t('specs.sources.manual');
  return source;
}

const enumFields: Record<string, string> = {
  group: 'specs.groups',
  limit_form: 'specs.limitForms',
  basis: 'specs.bases',
  comparison: 'specs.comparisons',
  frequency: 'specs.frequencyLabels',
  verification: 'specs.verification',
};

/** A before/after value of the diff, readable (choices in the UI language). */
export function formatDiffValue(t: TFunction, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return t('diff.empty');
  const prefix = enumFields[field];
  if (prefix && typeof v === 'string' && i18n.exists(`${prefix}.${v}`)) return t(`${prefix}.${v}`);
  if (typeof v === 'boolean') return v ? t('specs.yes') : t('specs.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** Where in the standard a value is: "表 2 · 维生素A", or "正文 · 能量" for a value outside its tables. */
export function originPlace(t: TFunction, o: SpecOrigin): string {
  return [o.table ?? t('specTables.noTable'), o.row].filter((p): p is string => !!p).join(' · ');
}

/** Where a value comes from, in full: "GB 10765-2021 · 表 2 · 维生素A". */
export function formatOrigin(t: TFunction, o: SpecOrigin): string {
  return `${o.standard} · ${originPlace(t, o)}`;
}
