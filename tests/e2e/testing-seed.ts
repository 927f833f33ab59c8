import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import type { SpecDocument } from '../../src/shared/catalog/spec-schema';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, FILLER_SAMPLE, IF1_RELEASE_SPEC, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';

export const QA = E2E_PEOPLE.qa;
export const TECH = E2E_PEOPLE.tech;
export const REVIEWER = E2E_PEOPLE.reviewer;
export const PROD = E2E_PEOPLE.prod;
/** A technician who also reviews: the queue shows their own submissions as "yours". */
export const TECH_REVIEWER = E2E_PEOPLE.techReviewer;

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

/** A small release specification: one or two items per group, so every group shows on the lot page. */
export const SPEC: SpecDocument = IF1_RELEASE_SPEC;

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

/**
 * Everything the testing journey needs before the browser opens, through the contract as the
 * people would have done it on their own workstations: accounts, catalogue, an approved
 * specification, 20 finished lots, release samples received at the lab, results entered and
 * submitted by the technician, earlier lots reviewed, one confirmed OOS.
 */
export async function seedTesting(url: string): Promise<TestingSeed> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, TECH, REVIEWER, PROD, TECH_REVIEWER]);
  admin.close();
  const qa = await plant.signIn(host, QA);
  const tech = await plant.signIn(host, TECH);
  const reviewer = await plant.signIn(host, REVIEWER);
  const prod = await plant.signIn(host, PROD);
  const techReviewer = await plant.signIn(host, TECH_REVIEWER);

  // Catalogue and the approved specification.
  const productId = await plant.product(qa, PRODUCTS.if1);
  await plant.material(qa, MATERIALS.wpc80);
  await plant.supplier(qa, SUPPLIERS.whey);
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: SPEC });

  // An accepted ingredient, then 20 finished lots made from it.
  const wpc = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-26-0917', quantity: '5000', containers: 200 },
    'COA checked against the specification.',
  );
  const lots: string[] = [];
  for (let i = 1; i <= 20; i++) {
    const code = `IF1-2611-${String(i).padStart(3, '0')}`;
    await plant.makeLot(prod, {
      line: 'L1',
      itemCode: PRODUCT,
      code,
      inputs: [{ lot: wpc, quantity: '100' }],
      quantity: '1000',
    });
    lots.push(code);
  }

  // Earlier lots: protein entered, submitted and reviewed (the trend's history).
  const trendLots = lots.slice(0, TREND_PROTEIN.length);
  const toReview: string[] = [];
  let confirmedSample = '';
  for (const [k, lot] of trendLots.entries()) {
    const sample = (await plant.releaseSample(tech, lot, FILLER_SAMPLE)).code;
    const ids = await plant.resultIds(tech, sample);
    const entries = [{ id: ids['protein']!, replicates: [TREND_PROTEIN[k]!] }];
    // The last trend lot also has lead: above the maximum → an OOS confirmed below.
    if (k === trendLots.length - 1) {
      entries.push({ id: ids['pb']!, replicates: ['0.11'] });
      confirmedSample = sample;
    }
    await tech.call('results.enterMany', { entries });
    await plant.submit(
      tech,
      sample,
      entries.map((e) => e.id),
    );
    toReview.push(...entries.map((e) => e.id));
  }
  await reviewer.call('results.review', {
    ids: toReview,
    decision: 'approve',
    signature: reviewer.sign('reviewed'),
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
    signature: tech.sign('authored'),
  });
  await qa.call('oos.conclude', {
    code: confirmed.code,
    outcome: 'no_assignable_cause',
    conclusion: 'Phase I found no laboratory error: the lead result stands. The lot stays on hold for the QA decision.',
    signature: qa.sign('oos_concluded'),
  });

  // A sample the technician-reviewer submits: theirs, so not theirs to review.
  const ownLot = lots[18]!;
  const ownSample = (await plant.releaseSample(techReviewer, ownLot, FILLER_SAMPLE)).code;
  const own = await plant.resultIds(techReviewer, ownSample);
  await techReviewer.call('results.enterMany', { entries: [{ id: own['protein']!, replicates: ['11.84'] }] });
  await plant.submit(techReviewer, ownSample, [own['protein']!]);

  // The lot under review: a full release sample, vitamin A below its minimum, nitrite from an external lab.
  const reviewLot = lots[19]!;
  const reviewSample = (await plant.releaseSample(tech, reviewLot, FILLER_SAMPLE)).code;
  const ids = await plant.resultIds(tech, reviewSample);
  await plant.startIncubation(tech, reviewSample);
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
  const openOos = await plant.submit(tech, reviewSample);

  for (const c of [qa, tech, reviewer, prod, techReviewer]) c.close();
  return {
    reviewLot,
    reviewSample,
    openOos: openOos[0]!,
    confirmedOos: confirmed.code,
    confirmedLot: trendLots[trendLots.length - 1]!,
    ownSample,
    trendLots,
  };
}
