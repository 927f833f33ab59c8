import { ContractClient } from './contract-client';
import { seedDisposition, type DispositionSeed } from './disposition-seed';
import { QA, REVIEWER, TECH } from './testing-seed';
import * as plant from '../fixtures/plant';
import { FILLER_SAMPLE, IF1_RELEASE_GOOD, PRODUCTS } from '../fixtures/plant';

export interface AuditReviewSeed extends DispositionSeed {
  /** The release sample of `blockedLot`: a correction and a return in its trail. */
  correctedSample: string;
  /** A draft from the GB 10765-2021 pack, its two missing vitamins entered from the official text. */
  draftVersionId: string;
}

/**
 * The release seed (an IMF lot with every result reviewed), plus what makes a lot's trail worth
 * reviewing — on the second lot, a result corrected after submission and one returned by the
 * reviewer, then everything submitted and reviewed — and a draft
 * specification from the GB 10765 pack for the QA manager to confirm table by table.
 */
export async function seedAuditReview(url: string): Promise<AuditReviewSeed> {
  const seed = await seedDisposition(url);
  const host = ContractClient.host(url);
  const qa = await plant.signInAgain(host, QA);
  const tech = await plant.signInAgain(host, TECH);
  const reviewer = await plant.signInAgain(host, REVIEWER);

  // The second finished lot's release sample: protein corrected after submission (with its
  // reason), fat returned by the reviewer and entered again, then everything reviewed.
  const sample = (await plant.releaseSample(tech, seed.blockedLot, FILLER_SAMPLE)).code;
  const ids = await plant.resultIds(tech, sample);
  await plant.startIncubation(tech, sample);
  await tech.call('results.enterMany', {
    entries: Object.entries(IF1_RELEASE_GOOD).map(([code, v]) => ({ id: ids[code]!, ...v })),
  });
  await plant.submit(tech, sample);
  await tech.call('results.correct', {
    id: ids['protein']!,
    replicates: ['11.86'],
    reason: '工作单誊写错误，按原始记录更正',
  });
  await reviewer.call('results.review', {
    ids: [ids['fat']!],
    decision: 'return',
    reason: '平行测定值未附原始记录',
    signature: reviewer.sign('reviewed'),
  });
  await tech.call('results.enter', { id: ids['fat']!, replicates: ['26.4'] });
  await plant.submit(tech, sample);
  await plant.reviewSubmitted(reviewer, sample);

  const productId = await plant.product(qa, {
    ...PRODUCTS.if1,
    code: 'IF-2',
    nameZh: '婴儿配方乳粉 1段（新配方）',
    nameEn: 'Infant formula stage 1 (new formula)',
  });
  const draftVersionId = await plant.packDraft(qa, {
    subjectId: productId,
    code: 'SPEC-IF2',
    packId: 'gb-10765-2021-milk',
    titleZh: 'GB 10765-2021 婴儿配方乳粉 1段（新配方）',
    titleEn: 'GB 10765-2021 infant formula stage 1 (new formula)',
    // DEMONSTRATION VALUES ONLY (per 100 kJ): the pack has none; a plant enters the official text's.
    enter: { pantothenic_acid: { min: '96', max: '478' }, biotin: { min: '0.4', max: '2.4' } },
  });
  for (const c of [qa, tech, reviewer]) c.close();
  return { ...seed, draftVersionId, correctedSample: sample };
}
