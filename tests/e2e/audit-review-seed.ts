import { ContractClient } from './contract-client';
import { seedDisposition, type DispositionSeed } from './disposition-seed';
import { QA, REVIEWER, TECH } from './testing-seed';
import * as plant from '../fixtures/plant';
import { PRODUCTS } from '../fixtures/plant';

export interface AuditReviewSeed extends DispositionSeed {
  /** A draft from the GB 10765-2021 pack, its two missing vitamins entered from the official text. */
  draftVersionId: string;
}

/**
 * The release seed (an IMF lot with every result reviewed), plus what makes a lot's trail worth
 * reviewing — a result corrected after review, then submitted and reviewed again — and a draft
 * specification from the GB 10765 pack for the QA manager to confirm table by table.
 */
export async function seedAuditReview(url: string): Promise<AuditReviewSeed> {
  const seed = await seedDisposition(url);
  const host = ContractClient.host(url);
  const qa = await plant.signIn(host, QA);
  const tech = await plant.signIn(host, TECH);
  const reviewer = await plant.signIn(host, REVIEWER);

  const protein = (await plant.resultsOf(tech, seed.releaseSample)).find((r) => r.itemCode === 'protein')!;
  await tech.call('results.correct', { id: protein.id, replicates: ['11.86'], reason: '工作单誊写错误，按原始记录更正' });
  await plant.submit(tech, seed.releaseSample);
  await plant.reviewSubmitted(reviewer, seed.releaseSample);

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
  return { ...seed, draftVersionId };
}
