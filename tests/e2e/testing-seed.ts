import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import type { SpecDocument, SpecItem } from '../../src/shared/catalog/spec-schema';

export const QA = {
  userId: 'zhao.min',
  printedName: '赵敏',
  password: 'Temp-pass-0003',
  newPassword: 'Qa-manager-2024!',
};
export const TECH = {
  userId: 'sun.li',
  printedName: '孙丽',
  password: 'Temp-pass-0005',
  newPassword: 'Technician-2024!',
};
export const REVIEWER = {
  userId: 'zhou.jie',
  printedName: '周杰',
  password: 'Temp-pass-0006',
  newPassword: 'Reviewer-2024!',
};
export const PROD = {
  userId: 'li.qiang',
  printedName: '李强',
  password: 'Temp-pass-0004',
  newPassword: 'Production-2024!',
};
/** A technician who also reviews: the queue shows their own submissions as "yours". */
export const TECH_REVIEWER = {
  userId: 'wu.fang',
  printedName: '吴芳',
  password: 'Temp-pass-0007',
  newPassword: 'Tech-review-2024!',
};

export const PRODUCT = 'IF-1';
/** Reviewed protein values of earlier lots: a run below the mean (10_x), one 1_2s warning, one 1_3s. */
export const TREND_PROTEIN = [
  '11.82',
  '11.78',
  '11.85',
  '11.80',
  '11.76',
  '11.83',
  '11.79',
  '11.81',
  '11.84',
  '11.77',
  '11.80',
  '11.82',
  '11.86',
  '11.79',
  '12.35',
  '11.81',
  '12.20',
  '11.80',
];

function item(
  p: Partial<SpecItem> & Pick<SpecItem, 'code' | 'name_zh' | 'name_en' | 'group' | 'unit' | 'basis' | 'limit_form'>,
): SpecItem {
  return {
    method_code: null,
    min: null,
    max: null,
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: null,
    comparison: 'rounded_value',
    required_for_release: true,
    in_house_only: true,
    frequency: 'every_lot',
    frequency_n: null,
    period_days: null,
    formula: null,
    clause: null,
    source: 'GB 10765-2021 (e2e excerpt)',
    verification: 'verified',
    note: null,
    ...p,
  };
}

/** A small release specification: one or two items per group, so every group shows on the lot page. */
export const SPEC: SpecDocument = {
  schema: 'lotseal.specification/1',
  title_zh: '婴儿配方乳粉 1段 放行规格',
  title_en: 'Infant formula stage 1 release specification',
  subject_kind: 'product',
  applies_to: 'infant',
  standard: 'GB 10765-2021',
  version_note: null,
  items: [
    item({
      code: 'protein',
      name_zh: '蛋白质',
      name_en: 'Protein',
      group: 'macronutrients',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '10.0',
      max: '14.0',
      precision: 2,
      method_code: 'GB 5009.5',
    }),
    item({
      code: 'fat',
      name_zh: '脂肪',
      name_en: 'Fat',
      group: 'macronutrients',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '24.0',
      max: '30.0',
      precision: 1,
      method_code: 'GB 5009.6',
    }),
    item({
      code: 'vit_a',
      name_zh: '维生素A',
      name_en: 'Vitamin A',
      group: 'vitamins',
      unit: 'µg RE/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '300',
      max: '800',
      precision: 0,
      method_code: 'GB 5009.82',
    }),
    item({
      code: 'ca',
      name_zh: '钙',
      name_en: 'Calcium',
      group: 'minerals',
      unit: 'mg/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '300',
      max: '600',
      precision: 0,
      method_code: 'GB 5009.92',
    }),
    item({
      code: 'dha',
      name_zh: '二十二碳六烯酸',
      name_en: 'DHA',
      group: 'optional',
      unit: 'mg/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '40',
      max: '120',
      precision: 0,
      method_code: 'GB 5009.168',
    }),
    item({
      code: 'pb',
      name_zh: '铅',
      name_en: 'Lead',
      group: 'contaminants',
      unit: 'mg/kg',
      basis: 'per_kg',
      limit_form: 'maximum',
      max: '0.08',
      precision: 2,
      method_code: 'GB 5009.12',
    }),
    item({
      code: 'nitrite',
      name_zh: '亚硝酸盐',
      name_en: 'Nitrite',
      group: 'contaminants',
      unit: 'mg/kg',
      basis: 'per_kg',
      limit_form: 'maximum',
      max: '2.0',
      precision: 1,
      method_code: 'GB 5009.33',
    }),
    item({
      code: 'salmonella',
      name_zh: '沙门氏菌',
      name_en: 'Salmonella',
      group: 'microbiology',
      unit: 'per 25 g',
      basis: 'per_25g',
      limit_form: 'sampling_plan',
      n: 5,
      c: 0,
      m: '0',
      method_code: 'GB 4789.4',
    }),
    item({
      code: 'moisture',
      name_zh: '水分',
      name_en: 'Moisture',
      group: 'other',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'maximum',
      max: '5.0',
      precision: 1,
      method_code: 'GB 5009.3',
    }),
  ],
};

export interface TestingSeed {
  /** The lot whose release sample waits for review in the browser (one failing result → OOS). */
  reviewLot: string;
  reviewSample: string;
  /** The OOS opened by the review sample's failing vitamin A. */
  openOos: string;
  /** An earlier lot's lead result, investigated and confirmed (no assignable cause). */
  confirmedOos: string;
  confirmedLot: string;
  /** A sample submitted by TECH_REVIEWER (their own: they may not review it). */
  ownSample: string;
  trendLots: string[];
}

type Client = ContractClient;

async function person(url: string, u: { userId: string; password: string; newPassword: string }): Promise<Client> {
  const c = await ContractClient.connect(url);
  await c.signIn(u.userId, u.password, u.newPassword);
  return c;
}

async function registerReceived(tech: Client, lotCode: string): Promise<string> {
  const r = await tech.call('samples.register', {
    kind: 'finished_release',
    lotCode,
    samplingPoint: 'Filler L1 start / middle / end',
    quantity: '800',
    unit: 'g',
    container: 'Sealed can 800 g',
    receipt: { condition: 'intact', storageLocation: 'Lab shelf A1' },
    withRetention: false,
  });
  return r.sample.code;
}

async function resultIds(c: Client, sampleCode: string): Promise<Record<string, string>> {
  const s = await c.call('results.forSample', { sampleCode });
  return Object.fromEntries(s.results.map((r) => [r.itemCode, r.id]));
}

/**
 * Everything the testing journey needs before the browser opens, through the contract as the
 * people would have done it on their own workstations: accounts, catalogue, an approved
 * specification, 20 finished lots, release samples received at the lab, results entered and
 * submitted by the technician, earlier lots reviewed, one confirmed OOS.
 */
export async function seedTesting(url: string): Promise<TestingSeed> {
  const admin = await ContractClient.connect(url);
  await admin.call('app.setup', { userId: ADMIN.userId, printedName: ADMIN.printedName, password: ADMIN.password });
  await admin.call('auth.signIn', { userId: ADMIN.userId, password: ADMIN.password });
  for (const [u, roles] of [
    [QA, ['qa_manager']],
    [TECH, ['technician']],
    [REVIEWER, ['reviewer']],
    [PROD, ['production']],
    [TECH_REVIEWER, ['technician', 'reviewer']],
  ] as const) {
    await admin.call('users.create', {
      userId: u.userId,
      printedName: u.printedName,
      roles: [...roles],
      password: u.password,
      signature: { password: ADMIN.password, meaning: 'enrolled' },
    });
  }
  admin.close();
  const qa = await person(url, QA);
  const tech = await person(url, TECH);
  const reviewer = await person(url, REVIEWER);
  const prod = await person(url, PROD);
  const techReviewer = await person(url, TECH_REVIEWER);

  // Catalogue and the approved specification.
  await qa.call('catalog.products.save', {
    fields: {
      code: PRODUCT,
      name_zh: '婴儿配方乳粉 1段',
      name_en: 'Infant formula stage 1',
      stage: 'infant',
      protein_base: 'cow',
      registration_no: null,
      shelf_life_days: 540,
      pack_sizes: ['800 g'],
    },
  });
  const product = (await qa.call('catalog.products.list', {})).find((p) => p.code === PRODUCT)!;
  await qa.call('catalog.materials.save', {
    fields: {
      code: 'WPC80',
      name_zh: '浓缩乳清蛋白80',
      name_en: 'Whey protein concentrate 80',
      kind: 'ingredient',
      default_unit: 'kg',
    },
  });
  await qa.call('catalog.suppliers.save', {
    fields: {
      code: 'SUP-W',
      name: 'Whey Co. 乳清公司',
      kind: 'ingredient',
      approval_status: 'approved',
      approved_on: '2026-01-05',
      last_audit_on: '2026-01-05',
      next_audit_due: '2027-01-05',
      contact: null,
      phone: null,
    },
  });
  const draft = await qa.call('specs.create', {
    subjectKind: 'product',
    subjectId: product.id,
    code: 'SPEC-IF1',
    titleZh: SPEC.title_zh,
    titleEn: SPEC.title_en,
    from: { kind: 'document', json: JSON.stringify(SPEC) },
  });
  await qa.call('specs.setEffective', { versionId: draft.id, effectiveFrom: '2026-01-01' });
  await qa.call('specs.approve', { versionId: draft.id, signature: { password: QA.newPassword, meaning: 'approved' } });

  // An accepted ingredient, then 20 finished lots made from it.
  const wpc = await prod.call('lots.receive', {
    kind: 'ingredient',
    materialCode: 'WPC80',
    supplierCode: 'SUP-W',
    supplierLot: 'SW-26-0917',
    quantity: '5000',
    unit: 'kg',
    containers: 200,
    condition: 'intact',
  });
  await qa.call('lots.decide', {
    code: wpc.code,
    decision: 'accept',
    reason: 'COA checked against the specification.',
    signature: { password: QA.newPassword, meaning: 'accepted' },
  });
  const lots: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const code = `IF1-2611-${String(i).padStart(3, '0')}`;
    const b = await prod.call('batches.start', {
      line: 'L1',
      outputKind: 'finished',
      itemCode: PRODUCT,
      outputLotCode: code,
      unit: 'kg',
    });
    await prod.call('batches.consume', { batchId: b.id, inputLot: wpc.code, quantity: '100', unit: 'kg' });
    await prod.call('batches.finish', { batchId: b.id, quantity: '1000' });
    lots.push(code);
  }

  // Earlier lots: protein entered, submitted and reviewed (the trend's history).
  const trendLots = lots.slice(0, TREND_PROTEIN.length);
  const toReview: string[] = [];
  let confirmedSample = '';
  for (const [k, lot] of trendLots.entries()) {
    const sample = await registerReceived(tech, lot);
    const ids = await resultIds(tech, sample);
    const entries = [{ id: ids['protein']!, replicates: [TREND_PROTEIN[k]!] }];
    // The last trend lot also has lead: above the maximum → an OOS confirmed below.
    if (k === trendLots.length - 1) {
      entries.push({ id: ids['pb']!, replicates: ['0.11'] });
      confirmedSample = sample;
    }
    await tech.call('results.enterMany', { entries });
    await tech.call('results.submit', {
      sampleCode: sample,
      ids: entries.map((e) => e.id),
      signature: { password: TECH.newPassword, meaning: 'authored' },
    });
    toReview.push(...entries.map((e) => e.id));
  }
  await reviewer.call('results.review', {
    ids: toReview,
    decision: 'approve',
    signature: { password: REVIEWER.newPassword, meaning: 'reviewed' },
  });
  const confirmed = (await qa.call('oos.list', { statuses: ['open'] })).items.find(
    (o) => o.sampleCode === confirmedSample,
  )!;
  const checklist = {
    calculation: { ok: true, note: 'Calculation re-checked from the raw ICP-MS counts.' },
    instrument: { ok: true, note: 'ICP-MS calibrated 2026-11-01; QC check standard within limits.' },
    method: { ok: true, note: 'GB 5009.12 followed; no deviation recorded.' },
    standards: { ok: true, note: 'Pb standard lot 2611-04 within expiry.' },
    preparation: { ok: true, note: 'Digestion blank below LOD; duplicate agrees.' },
  };
  await tech.call('oos.phase1', {
    code: confirmed.code,
    checklist,
    summary: 'No laboratory error found.',
    signature: { password: TECH.newPassword, meaning: 'authored' },
  });
  await qa.call('oos.conclude', {
    code: confirmed.code,
    outcome: 'no_assignable_cause',
    conclusion: 'Phase I found no laboratory error: the lead result stands. The lot stays on hold for the QA decision.',
    signature: { password: QA.newPassword, meaning: 'oos_concluded' },
  });

  // A sample the technician-reviewer submits: theirs, so not theirs to review.
  const ownLot = lots[18]!;
  const ownSample = await registerReceived(techReviewer, ownLot);
  const own = await resultIds(techReviewer, ownSample);
  await techReviewer.call('results.enterMany', { entries: [{ id: own['protein']!, replicates: ['11.84'] }] });
  await techReviewer.call('results.submit', {
    sampleCode: ownSample,
    ids: [own['protein']!],
    signature: { password: TECH_REVIEWER.newPassword, meaning: 'authored' },
  });

  // The lot under review: a full release sample, vitamin A below its minimum, nitrite from an external lab.
  const reviewLot = lots[19]!;
  const reviewSample = await registerReceived(tech, reviewLot);
  const ids = await resultIds(tech, reviewSample);
  await tech.call('results.enterMany', {
    entries: [
      { id: ids['protein']!, replicates: ['11.83'] },
      { id: ids['fat']!, replicates: ['26.4'] },
      { id: ids['vit_a']!, replicates: ['268'] },
      { id: ids['ca']!, replicates: ['452'] },
      { id: ids['dha']!, replicates: ['78'] },
      { id: ids['pb']!, replicates: ['0.02'] },
      { id: ids['salmonella']!, unitValues: ['absent', 'absent', 'absent', 'absent', 'absent'] },
      { id: ids['moisture']!, replicates: ['2.6'] },
    ],
  });
  await tech.call('results.enter', {
    id: ids['nitrite']!,
    replicates: ['0.4'],
    external: { lab: 'SGS 通标标准技术服务', reportNo: 'SGS-2026-0042' },
  });
  const submitted = await tech.call('results.submit', {
    sampleCode: reviewSample,
    signature: { password: TECH.newPassword, meaning: 'authored' },
  });

  for (const c of [qa, tech, reviewer, prod, techReviewer]) c.close();
  return {
    reviewLot,
    reviewSample,
    openOos: submitted.oos[0]!,
    confirmedOos: confirmed.code,
    confirmedLot: trendLots[trendLots.length - 1]!,
    ownSample,
    trendLots,
  };
}
