import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import { PROD, PRODUCT, QA, REVIEWER, SPEC, TECH } from './testing-seed';
import type { ChannelInput } from '../../src/shared/contract';
import type { SpecDocument } from '../../src/shared/catalog/spec-schema';

export const CUSTOMER = { code: 'C001', name: '银川母婴连锁', contact: '王经理', phone: '0951-1234567' };

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

type Client = ContractClient;

async function person(url: string, u: { userId: string; password: string; newPassword: string }): Promise<Client> {
  const c = await ContractClient.connect(url);
  await c.signIn(u.userId, u.password, u.newPassword);
  return c;
}

const sign = (password: string, meaning: string) => ({ password, meaning }) as never;

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
  return [
    { id: ids['protein']!, replicates: ['11.83'] },
    { id: ids['fat']!, replicates: ['26.4'] },
    { id: ids['vit_a']!, replicates: ['452'] },
    { id: ids['ca']!, replicates: ['452'] },
    { id: ids['dha']!, replicates: ['78'] },
    { id: ids['pb']!, replicates: ['0.02'] },
    { id: ids['nitrite']!, replicates: ['0.4'] },
    { id: ids['salmonella']!, unitValues: ['absent', 'absent', 'absent', 'absent', 'absent'] },
    { id: ids['moisture']!, replicates: ['2.6'] },
  ];
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
  const admin = await ContractClient.connect(url);
  await admin.call('app.setup', { userId: ADMIN.userId, printedName: ADMIN.printedName, password: ADMIN.password });
  await admin.call('auth.signIn', { userId: ADMIN.userId, password: ADMIN.password });
  for (const [u, roles] of [
    [QA, ['qa_manager']],
    [TECH, ['technician']],
    [REVIEWER, ['reviewer']],
    [PROD, ['production']],
  ] as const) {
    await admin.call('users.create', {
      userId: u.userId,
      printedName: u.printedName,
      roles: [...roles],
      password: u.password,
      signature: { password: ADMIN.password, meaning: 'enrolled' },
    });
  }
  await admin.call('settings.update', {
    settings: { ...(await admin.call('settings.get', {})), plantName: '宁夏示例乳业有限公司' },
    reason: 'Plant name for certificates of analysis.',
  });
  admin.close();
  const qa = await person(url, QA);
  const tech = await person(url, TECH);
  const reviewer = await person(url, REVIEWER);
  const prod = await person(url, PROD);

  // Catalogue: the IMF product and its approved specification, two other products, the ingredient.
  for (const fields of [
    {
      code: PRODUCT,
      name_zh: '婴儿配方乳粉 1段',
      name_en: 'Infant formula stage 1',
      stage: 'infant' as const,
      protein_base: 'cow' as const,
      registration_no: '国食注字YP20260001',
      shelf_life_days: 540,
      pack_sizes: ['800 g'],
    },
    {
      code: 'BASE',
      name_zh: '基粉',
      name_en: 'Base powder',
      stage: 'other_dairy' as const,
      protein_base: 'cow' as const,
      registration_no: null,
      shelf_life_days: 365,
      pack_sizes: [],
    },
    {
      code: 'WMP',
      name_zh: '全脂乳粉',
      name_en: 'Whole milk powder',
      stage: 'other_dairy' as const,
      protein_base: 'cow' as const,
      registration_no: null,
      shelf_life_days: 540,
      pack_sizes: [],
    },
  ])
    await qa.call('catalog.products.save', { fields });
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
  await prod.call('catalog.customers.save', { fields: { ...CUSTOMER, address: '宁夏银川市金凤区' } } as never);
  const draft = await qa.call('specs.create', {
    subjectKind: 'product',
    subjectId: product.id,
    code: 'SPEC-IF1',
    titleZh: spec.title_zh,
    titleEn: spec.title_en,
    from: { kind: 'document', json: JSON.stringify(spec) },
  });
  await qa.call('specs.setEffective', { versionId: draft.id, effectiveFrom: '2026-01-01' });
  await qa.call('specs.approve', { versionId: draft.id, signature: sign(QA.newPassword, 'approved') });

  // The ingredient, received and accepted.
  const wpc = await prod.call('lots.receive', {
    kind: 'ingredient',
    materialCode: 'WPC80',
    supplierCode: 'SUP-W',
    supplierLot: 'SW-26-1102',
    quantity: '5000',
    unit: 'kg',
    containers: 200,
    condition: 'intact',
    expiryDate: '2027-11-01',
  });
  await qa.call('lots.decide', {
    code: wpc.code,
    decision: 'accept',
    reason: 'COA checked against the specification.',
    signature: sign(QA.newPassword, 'accepted'),
  });

  const make = async (kind: 'finished' | 'intermediate', itemCode: string, code: string, expiryDate?: string) => {
    const b = await prod.call('batches.start', {
      line: 'L1',
      outputKind: kind,
      itemCode,
      outputLotCode: code,
      unit: 'kg',
      ...(expiryDate ? { expiryDate } : {}),
    });
    await prod.call('batches.consume', { batchId: b.id, inputLot: wpc.code, quantity: '100', unit: 'kg' });
    await prod.call('batches.finish', { batchId: b.id, quantity: '1000' });
    return code;
  };
  const lot = await make('finished', PRODUCT, 'IF1-2611-101', '2028-05-21');
  const blockedLot = await make('finished', PRODUCT, 'IF1-2611-102', '2028-05-21');

  // The release sample: every item in specification, submitted by the technician, reviewed by a second person.
  const sample = (
    await tech.call('samples.register', {
      kind: 'finished_release',
      lotCode: lot,
      samplingPoint: 'Filler L1 start / middle / end',
      quantity: '800',
      unit: 'g',
      container: 'Sealed can 800 g',
      receipt: { condition: 'intact', storageLocation: 'Lab shelf A1' },
      withRetention: false,
    })
  ).sample.code;
  const ids = Object.fromEntries(
    (await tech.call('results.forSample', { sampleCode: sample })).results.map((r) => [r.itemCode, r.id]),
  );
  await tech.call('results.enterMany', { entries: variant.entries(ids) });
  await tech.call('results.submit', { sampleCode: sample, signature: sign(TECH.newPassword, 'authored') });
  const submitted = (await tech.call('results.forSample', { sampleCode: sample })).results
    .filter((r) => r.status === 'submitted')
    .map((r) => r.id);
  await reviewer.call('results.review', {
    ids: submitted,
    decision: 'approve',
    signature: sign(REVIEWER.newPassword, 'reviewed'),
  });
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
    await qa.call('lots.decide', {
      code,
      decision: 'release',
      reason: 'Released on its own specification.',
      signature: sign(QA.newPassword, 'released'),
    });
  await prod.call('shipments.create', {
    shipmentCode: 'SH-2611-01',
    customerCode: CUSTOMER.code,
    date: '2026-11-20',
    lines: [{ lotCode: shippedLot, quantity: '400', unit: 'kg' }],
  });

  // A completed verification of the signed store, with nothing to review.
  const before = (await qa.call('ledger.lastRun', {}))?.id ?? null;
  await qa.call('ledger.verify', {});
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await qa.call('ledger.lastRun', {});
    if (run && run.id !== before) break;
    if (Date.now() > deadline) throw new Error('ledger verification did not finish within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }

  for (const c of [qa, tech, reviewer, prod]) c.close();
  return { ingredient: wpc.code, lot, releaseSample: sample, blockedLot, intermediate, shippedLot };
}
