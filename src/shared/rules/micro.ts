/**
 * The microbiology methods' timetable (issue 20 §3): how long each GB 4789 method takes to a
 * final negative result, and how long a presumptive positive takes to be confirmed. Used for
 * the expected completion time on the worklist and on a lot's readiness, and to decide which
 * methods have a presumptive → confirmation step.
 *
 * Stage times are the nominal incubations of the methods as commonly run (the upper end of
 * each "± h" window), tagged [U]: they were not checked against the current texts of the
 * standards. A plant adjusts them by changing this table (a code change, reviewed and
 * released like any other), never per result.
 */

export interface MicroStage {
  readonly key: string;
  readonly hours: number;
  readonly zh: string;
  readonly en: string;
}

export interface MicroMethod {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** `presence`: absent / present per portion (pathogens); `count`: colonies per g or mL. */
  readonly kind: 'presence' | 'count';
  /** Stages to a final negative (or count) result. */
  readonly stages: readonly MicroStage[];
  /** Presumptive positive → confirmed / not confirmed (presence methods). */
  readonly confirmation: { readonly hours: number; readonly zh: string; readonly en: string } | null;
  readonly status: 'U';
}

const h = (key: string, hours: number, zh: string, en: string): MicroStage => ({ key, hours, zh, en });

export const MICRO_METHODS: readonly MicroMethod[] = [
  {
    code: 'GB 4789.40',
    nameZh: '克罗诺杆菌检验',
    nameEn: 'Cronobacter',
    kind: 'presence',
    stages: [
      h('pre_enrichment', 20, '前增菌（BPW，36 ℃）', 'Pre-enrichment (BPW, 36 °C)'),
      h('selective_enrichment', 26, '选择性增菌（mLST-Vm，44 ℃）', 'Selective enrichment (mLST-Vm, 44 °C)'),
      h('isolation', 26, '分离（显色培养基）', 'Isolation (chromogenic agar)'),
    ],
    confirmation: {
      hours: 72,
      zh: '鉴定（TSA 黄色色素、生化鉴定）',
      en: 'Identification (yellow pigment on TSA, biochemical tests)',
    },
    status: 'U',
  },
  {
    code: 'GB 4789.4',
    nameZh: '沙门氏菌检验',
    nameEn: 'Salmonella',
    kind: 'presence',
    stages: [
      h('pre_enrichment', 18, '前增菌（BPW，36 ℃）', 'Pre-enrichment (BPW, 36 °C)'),
      h('selective_enrichment', 24, '增菌（TTB 42 ℃，SC 36 ℃）', 'Selective enrichment (TTB 42 °C, SC 36 °C)'),
      h('isolation', 48, '分离（BS、XLD/HE 平板）', 'Isolation (BS, XLD/HE agar)'),
    ],
    confirmation: {
      hours: 48,
      zh: '生化试验与血清学鉴定',
      en: 'Biochemical and serological confirmation',
    },
    status: 'U',
  },
  {
    code: 'GB 4789.30',
    nameZh: '单核细胞增生李斯特氏菌检验',
    nameEn: 'Listeria monocytogenes',
    kind: 'presence',
    stages: [
      h('enrichment_1', 24, '一次增菌（LB1，30 ℃）', 'Primary enrichment (LB1, 30 °C)'),
      h('enrichment_2', 24, '二次增菌（LB2，30 ℃）', 'Secondary enrichment (LB2, 30 °C)'),
      h('isolation', 48, '分离（显色培养基）', 'Isolation (chromogenic agar)'),
    ],
    confirmation: { hours: 72, zh: '初筛与鉴定', en: 'Screening and identification' },
    status: 'U',
  },
  {
    code: 'GB 4789.2',
    nameZh: '菌落总数测定',
    nameEn: 'Aerobic plate count',
    kind: 'count',
    stages: [h('incubation', 50, '培养（36 ℃，48 h ± 2 h）', 'Incubation (36 °C, 48 h ± 2 h)')],
    confirmation: null,
    status: 'U',
  },
  {
    code: 'GB 4789.41',
    nameZh: '肠杆菌科检验',
    nameEn: 'Enterobacteriaceae',
    kind: 'count',
    stages: [
      h('incubation', 26, '培养（VRBGA，36 ℃）', 'Incubation (VRBGA, 36 °C)'),
      h('confirmation', 24, '典型菌落确认（氧化酶、葡萄糖发酵）', 'Confirmation of typical colonies (oxidase, glucose)'),
    ],
    confirmation: null,
    status: 'U',
  },
  {
    code: 'GB 4789.3',
    nameZh: '大肠菌群计数',
    nameEn: 'Coliforms',
    kind: 'count',
    stages: [
      h('incubation', 26, '培养（VRBA，36 ℃）', 'Incubation (VRBA, 36 °C)'),
      h('confirmation', 50, '证实试验（BGLB）', 'Confirmation (BGLB)'),
    ],
    confirmation: null,
    status: 'U',
  },
  {
    code: 'GB 4789.15',
    nameZh: '霉菌和酵母计数',
    nameEn: 'Yeasts and moulds',
    kind: 'count',
    stages: [h('incubation', 120, '培养（28 ℃，5 d）', 'Incubation (28 °C, 5 d)')],
    confirmation: null,
    status: 'U',
  },
];

const BY_CODE = new Map(MICRO_METHODS.map((m) => [m.code, m]));

/** The method of a method code ("GB 4789.40", "GB 4789.40-2024"), or null. */
export function microMethod(methodCode: string | null | undefined): MicroMethod | null {
  if (!methodCode) return null;
  const m = /^GB\s*(?:\/T\s*)?4789\.(\d+)/i.exec(methodCode.trim());
  return m ? (BY_CODE.get(`GB 4789.${m[1]}`) ?? null) : null;
}

/** Hours from the start of incubation to a final negative (or count) result. */
export function negativeHours(m: MicroMethod): number {
  return m.stages.reduce((n, s) => n + s.hours, 0);
}

/** Does the method confirm a presumptive positive (so `presumptive` is a unit result)? */
export function confirmsPresumptive(methodCode: string | null | undefined): boolean {
  return microMethod(methodCode)?.confirmation != null;
}

const HOUR = 3_600_000;

/**
 * When a micro result is expected to be final: the latest confirmation due of its open
 * presumptive positives, else the start of incubation plus the method's time to a negative.
 * null when incubation has not started (and no presumptive is open) or the method is unknown.
 */
export function expectedFinalAt(
  methodCode: string | null | undefined,
  startedAt: number | null,
  openPresumptives: readonly number[],
): number | null {
  const m = microMethod(methodCode);
  if (!m) return null;
  if (openPresumptives.length > 0 && m.confirmation)
    return Math.max(...openPresumptives.map((at) => at + m.confirmation!.hours * HOUR));
  return startedAt === null ? null : startedAt + negativeHours(m) * HOUR;
}

/**
 * Why a micro value cannot count (D-111): a GB 4789 result is valid only once its culture has
 * been read, so its incubation start must be on record before any value is typed, and the
 * value must not have been typed before that start. null when the value may count (or the
 * item has no GB 4789 method with a timetable: the rule does not apply).
 */
export type CultureProblem = 'culture_not_started' | 'typed_before_start';

export function cultureProblem(
  methodCode: string | null | undefined,
  startedAt: number | null | undefined,
  enteredAt: number | null | undefined,
): CultureProblem | null {
  if (!microMethod(methodCode)) return null;
  if (startedAt === null || startedAt === undefined) return 'culture_not_started';
  if (enteredAt !== null && enteredAt !== undefined && enteredAt < startedAt) return 'typed_before_start';
  return null;
}
