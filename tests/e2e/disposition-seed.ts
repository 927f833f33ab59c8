import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import { PROD, PRODUCT, QA, REVIEWER, SPEC, TECH } from './testing-seed';
import type { ChannelInput } from '../../src/shared/contract';
import * as plant from '../fixtures/plant';
import { CUSTOMERS, FILLER_SAMPLE, IF1_RELEASE_GOOD, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';
import type { SpecDocument } from '../../src/shared/catalog/spec-schema';

export const CUSTOMER = CUSTOMERS.c001;

export interface DispositionSeed {
  /** The accepted ingredient every lot below is made from. */
  ingredient: string;
  /** IMF finished lot: everything met except the audit-trail review (done in the browser). */
  lot: string;
  /** The release sample of `lot`. */
  releaseSample: string;
  /** IMF finished lot with no results yet: blocked by several lines. */
  blockedLot: string;
  /** Intermediate made from the ingredient, released, in the plant. */
  intermediate: string;
  /** Finished (non-IMF) lot made from the ingredient, released and shipped to CUSTOMER. */
  shippedLot: string;
}

/**
 * What the release journey needs before the browser opens, through the contract as people
 * would have done it on their own workstations: an approved infant-formula specification, an
 * accepted ingredient, an IMF finished lot made from it with every result entered, submitted
 * and reviewed, its retention sample, a completed ledger verification, and a small genealogy
 * (an intermediate in the plant, a lot already shipped to a customer) for the hold.
 */
type Entries = ChannelInput<'results.enterMany'>['entries'];

/** The default release sample: every item of SPEC in specification. */
function defaultEntries(ids: Record<string, string>): Entries {
  return Object.entries(IF1_RELEASE_GOOD).map(([code, v]) => ({ id: ids[code]!, ...v }));
}

/** Another release specification for the IMF product, with the release sample's values (all in specification). */
export interface ReleaseVariant {
  spec: SpecDocument;
  entries: (ids: Record<string, string>) => Entries;
}

export async function seedDisposition(
  url: string,
  variant: ReleaseVariant = { spec: SPEC, entries: defaultEntries },
): Promise<DispositionSeed> {
  const spec = variant.spec;
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, TECH, REVIEWER, PROD]);
  await admin.call('settings.update', {
    settings: { ...(await admin.call('settings.get', {})), plantName: '宁夏示例乳业有限公司' },
    reason: 'Plant name for certificates of analysis.',
  });
  admin.close();
  const qa = await plant.signIn(host, QA);
  const tech = await plant.signIn(host, TECH);
  const reviewer = await plant.signIn(host, REVIEWER);
  const prod = await plant.signIn(host, PROD);

  // Catalogue: the IMF product and its approved specification, two other products, the ingredient.
  const productId = await plant.product(qa, { ...PRODUCTS.if1, registrationNo: '国食注字YP20260001' });
  await plant.product(qa, PRODUCTS.base);
  await plant.product(qa, PRODUCTS.wmp);
  await plant.material(qa, MATERIALS.wpc80);
  await plant.supplier(qa, SUPPLIERS.whey);
  await plant.customer(prod, { ...CUSTOMER, address: '宁夏银川市金凤区' });
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: spec });

  // The ingredient, received and accepted.
  const wpc = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-26-1102', quantity: '5000', containers: 200, expiryDate: '2027-11-01' },
    'COA checked against the specification.',
  );

  const make = async (kind: 'finished' | 'intermediate', itemCode: string, code: string, expiryDate?: string) =>
    (
      await plant.makeLot(prod, {
        line: 'L1',
        kind,
        itemCode,
        code,
        ...(expiryDate ? { expiryDate } : {}),
        inputs: [{ lot: wpc, quantity: '100' }],
        quantity: '1000',
      })
    ).code;
  const lot = await make('finished', PRODUCT, 'IF1-2611-101', '2028-05-21');
  const blockedLot = await make('finished', PRODUCT, 'IF1-2611-102', '2028-05-21');

  // The release sample: every item in specification, submitted by the technician, reviewed by a second person.
  const sample = (await plant.releaseSample(tech, lot, FILLER_SAMPLE)).code;
  const ids = await plant.resultIds(tech, sample);
  await plant.startIncubation(tech, sample);
  await tech.call('results.enterMany', { entries: variant.entries(ids) });
  await plant.submit(tech, sample);
  await plant.reviewSubmitted(reviewer, sample);
  await tech.call('samples.register', {
    kind: 'retention',
    lotCode: lot,
    samplingPoint: 'Filler L1 end',
    quantity: '6',
    unit: 'can',
    container: '800 g can',
  });

  // The rest of the ingredient's genealogy: an intermediate in the plant, a lot already shipped.
  const intermediate = await make('intermediate', 'BASE', 'BASE-2611-01');
  const shippedLot = await make('finished', 'WMP', 'WMP-2611-01');
  for (const code of [intermediate, shippedLot])
    await plant.decide(qa, code, 'release', 'Released on its own specification.');
  await plant.ship(prod, {
    code: 'SH-2611-01',
    customer: CUSTOMER.code,
    date: '2026-11-20',
    lines: [{ lot: shippedLot, quantity: '400' }],
  });

  // A completed verification of the signed store, with nothing to review (waited for on its event).
  await plant.verifyLedger(qa);

  for (const c of [qa, tech, reviewer, prod]) c.close();
  return { ingredient: wpc, lot, releaseSample: sample, blockedLot, intermediate, shippedLot };
}
