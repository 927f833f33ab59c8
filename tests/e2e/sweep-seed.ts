import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import * as plant from '../fixtures/plant';
import {
  CUSTOMERS,
  E2E_PEOPLE,
  IF1_RELEASE_GOOD,
  IF1_RELEASE_SPEC,
  MATERIALS,
  PRODUCTS,
  SUPPLIERS,
  type Person,
} from '../fixtures/plant';

/** The inspector of the sweep (read-only everywhere). */
export const INSPECTOR: Person = {
  userId: 'ma.jing',
  printedName: '马静',
  roles: ['inspector'],
  password: 'Temp-pass-0008',
  newPassword: 'Inspector-2024!',
};

/** Every role of the domain model, one person each, as they sign in in the browser. */
export const SWEEP_PEOPLE = {
  administrator: { userId: ADMIN.userId, password: ADMIN.password },
  technician: { userId: E2E_PEOPLE.tech.userId, password: E2E_PEOPLE.tech.newPassword },
  reviewer: { userId: E2E_PEOPLE.reviewer.userId, password: E2E_PEOPLE.reviewer.newPassword },
  qa_manager: { userId: E2E_PEOPLE.qa.userId, password: E2E_PEOPLE.qa.newPassword },
  production: { userId: E2E_PEOPLE.prod.userId, password: E2E_PEOPLE.prod.newPassword },
  inspector: { userId: INSPECTOR.userId, password: INSPECTOR.newPassword },
} as const;
export type SweepRole = keyof typeof SWEEP_PEOPLE;

export interface SweepSeed {
  productId: string;
  specVersionId: string;
  /** IF-1 lot, release sample reviewed, waiting for the audit-trail review and release. */
  readyLot: string;
  readySample: string;
  /** IF-1 lot whose release sample is partly entered (nothing submitted): the entry grid has empty rows. */
  openLot: string;
  openSample: string;
  /** Whole milk powder made from the tanker, released, shipped, then held. */
  shippedLot: string;
  tanker: string;
  ingredient: string;
  drill: string;
  /** Every code the seed typed (lot, sample, product, supplier, customer, user, line, shipment…): shown as typed. */
  typedCodes: string[];
}

/**
 * A small plant with something on every screen, seeded through the contract as its people
 * would have done it, every free text in the plant's language (the sweep must not trip over
 * words the test itself typed): people of every role, the catalogue, an approved IF-1
 * specification, an accepted ingredient and a raw milk tanker, three lots in three states, a
 * shipment, a hold and its release, a recall drill with its steps run, a verified ledger.
 */
export async function seedSweep(url: string): Promise<SweepSeed> {
  const host = ContractClient.host(url, 'zh-CN');
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [E2E_PEOPLE.qa, E2E_PEOPLE.tech, E2E_PEOPLE.reviewer, E2E_PEOPLE.prod, INSPECTOR]);
  await admin.call('settings.update', {
    settings: { ...(await admin.call('settings.get', {})), plantName: '宁夏示例乳业有限公司' },
    reason: '证书上的企业名称。',
  });
  admin.close();
  const qa = await plant.signIn(host, E2E_PEOPLE.qa);
  const tech = await plant.signIn(host, E2E_PEOPLE.tech);
  const reviewer = await plant.signIn(host, E2E_PEOPLE.reviewer);
  const prod = await plant.signIn(host, E2E_PEOPLE.prod);
  const inspector = await plant.signIn(host, INSPECTOR);
  inspector.close();

  const productId = await plant.product(qa, { ...PRODUCTS.if1, registrationNo: '国食注字YP20260001' });
  await plant.product(qa, PRODUCTS.wmp);
  await plant.material(qa, MATERIALS.wpc80);
  await plant.material(qa, MATERIALS.rawMilk);
  await plant.supplier(qa, { ...SUPPLIERS.whey, name: '乳清蛋白供应公司' });
  await plant.supplier(qa, { ...SUPPLIERS.farm, name: '贺兰山牧业' });
  await plant.customer(prod, { ...CUSTOMERS.c001, address: '宁夏银川市金凤区' });
  await plant.customer(prod, CUSTOMERS.c002);
  const specVersionId = await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: IF1_RELEASE_SPEC });

  const ingredient = await plant.acceptedIngredient(
    prod,
    qa,
    { supplierLot: 'SW-26-1102', quantity: '5000', containers: 200, expiryDate: '2027-11-01' },
    '供应商检验报告已与规格核对。',
  );
  const tanker = await plant.receiveTanker(prod, {
    farms: ['贺兰山第一牧场'],
    vehicle: '宁A·30417',
    compartments: [{ no: 1, seal: 'QF-20411', sealIntact: true }],
    temperature: '4.1',
  });
  await plant.decide(qa, tanker, 'accept', '进厂检验合格。');

  const sample = {
    samplingPoint: '灌装线 L1 开始/中间/结束',
    quantity: '3',
    unit: 'can' as const,
    container: '密封罐 800 g',
    receipt: { condition: 'intact' as const, storageLocation: '化验室样品架 A1' },
    withRetention: false,
  };
  const readyLot = (
    await plant.makeLot(prod, {
      line: 'L1',
      itemCode: 'IF-1',
      code: 'IF1-2612-001',
      expiryDate: '2028-06-01',
      inputs: [{ lot: ingredient, quantity: '100' }],
      quantity: '1000',
    })
  ).code;
  const readySample = (await plant.releaseSample(tech, readyLot, sample)).code;
  const ids = await plant.resultIds(tech, readySample);
  await plant.startIncubation(tech, readySample);
  await tech.call('results.enterMany', {
    entries: Object.entries(IF1_RELEASE_GOOD).map(([code, v]) => ({ id: ids[code]!, ...v })),
  });
  await plant.submit(tech, readySample);
  await plant.reviewSubmitted(reviewer, readySample);
  await tech.call('samples.register', {
    kind: 'retention',
    lotCode: readyLot,
    samplingPoint: '灌装线 L1 结束',
    quantity: '6',
    unit: 'can',
    container: '密封罐 800 g',
  });

  const openLot = (
    await plant.makeLot(prod, {
      line: 'L1',
      itemCode: 'IF-1',
      code: 'IF1-2612-002',
      expiryDate: '2028-06-02',
      inputs: [{ lot: ingredient, quantity: '100' }],
      quantity: '1000',
    })
  ).code;
  const openSample = (await plant.releaseSample(tech, openLot, sample)).code;
  const open = await plant.resultIds(tech, openSample);
  await plant.startIncubation(tech, openSample);
  await tech.call('results.enterMany', {
    entries: [
      { id: open['protein']!, replicates: ['11.83'] },
      { id: open['salmonella']!, unitValues: ['未检出', '阴性', 'ND', '未检出', '未检出'] },
    ],
  });

  const shippedLot = (
    await plant.makeLot(prod, {
      line: 'L2',
      itemCode: 'WMP',
      code: 'WMP-2612-01',
      inputs: [{ lot: tanker, quantity: '20000' }],
      quantity: '3200',
      location: 'WH-A',
    })
  ).code;
  await plant.decide(qa, shippedLot, 'release', '按其规格放行。');
  await plant.ship(prod, {
    code: 'SH-2612-01',
    customer: 'C001',
    date: '2026-12-01',
    lines: [{ lot: shippedLot, quantity: '800' }],
  });
  await qa.call('disposition.decide', {
    lotCode: shippedLot,
    decision: 'hold',
    reason: '客户投诉待调查。',
    propagate: false,
    signature: qa.sign('held'),
  });
  const drill = (await qa.call('drills.start', { lotCode: shippedLot, reason: '年度召回演练。' })).drill.code;
  for (const step of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const)
    await qa.call('drills.step', { code: drill, step });

  await plant.verifyLedger(qa);

  for (const c of [qa, tech, reviewer, prod]) c.close();
  return {
    productId,
    specVersionId,
    readyLot,
    readySample,
    openLot,
    openSample,
    shippedLot,
    tanker,
    ingredient,
    drill,
    typedCodes: [
      readyLot,
      readySample,
      openLot,
      openSample,
      shippedLot,
      tanker,
      ingredient,
      drill,
      'SPEC-IF1',
      'IF-1',
      'WMP',
      'WPC80',
      'RAWMILK',
      'SUP-W',
      'FARM-1',
      'C001',
      'C002',
      'SW-26-1102',
      'QF-20411',
      'SH-2612-01',
      'WH-A',
      'L1',
      'L2',
      'YP20260001',
      ...Object.values(SWEEP_PEOPLE).map((p) => p.userId),
    ],
  };
}
