import { ContractClient } from './contract-client';
import { seedDisposition, type DispositionSeed } from './disposition-seed';
import { SPEC, TECH } from './testing-seed';
import type { SpecDocument } from '../../src/shared/catalog/spec-schema';
import * as plant from '../fixtures/plant';
import { IF1_RELEASE_GOOD } from '../fixtures/plant';

/** SPEC with Cronobacter: GB 4789.40, n = 3, c = 0, absent in each 100 g unit. */
export const CRONOBACTER_SPEC: SpecDocument = {
  ...SPEC,
  items: [
    ...SPEC.items,
    {
      ...SPEC.items.find((i) => i.code === 'salmonella')!,
      code: 'cronobacter',
      name_zh: '克罗诺杆菌属（阪崎肠杆菌）',
      name_en: 'Cronobacter',
      unit: 'per 100 g',
      basis: 'per_100g',
      n: 3,
      c: 0,
      m: '0',
      method_code: 'GB 4789.40',
    },
  ],
};

/**
 * An infant-formula lot on a specification with Cronobacter: its release sample has every
 * other item in specification, submitted and reviewed; on the technician's workstation the
 * Cronobacter plates were started and unit 2 read presumptive positive (typical colonies on
 * the chromogenic agar), which the system rule answers with a hold of the lot.
 */
export async function seedMicroHold(url: string): Promise<DispositionSeed> {
  const seed = await seedDisposition(url, {
    spec: CRONOBACTER_SPEC,
    entries: (ids) => Object.entries(IF1_RELEASE_GOOD).map(([code, v]) => ({ id: ids[code]!, ...v })),
  });
  const tech = await plant.signInAgain(ContractClient.host(url), TECH);
  const cronobacter = (await tech.call('results.forSample', { sampleCode: seed.releaseSample })).results.find(
    (r) => r.itemCode === 'cronobacter',
  )!;
  await tech.call('results.microStart', { ids: [cronobacter.id] });
  await tech.call('results.enter', { id: cronobacter.id, unitValues: ['absent', 'presumptive', 'absent'] });
  tech.close();
  return seed;
}
