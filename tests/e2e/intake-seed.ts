import { ContractClient } from './contract-client';
import { ADMIN } from './helpers';
import { seedDisposition, type DispositionSeed } from './disposition-seed';
import { PRODUCT, QA as TQA, TECH as TTECH } from './testing-seed';
import * as plant from '../fixtures/plant';
import {
  DECLARATIONS_OK,
  E2E_PEOPLE,
  farm,
  INTAKE_GOOD,
  MATERIALS,
  tankerDocuments,
  type Member,
} from '../fixtures/plant';

export const QA = E2E_PEOPLE.qa;
export const TECH = E2E_PEOPLE.tech;
export const PROD = E2E_PEOPLE.prod;

/** Good values for every check of the built-in panel (tests/integration/intake.test.ts), with overrides. */
export const GOOD: Record<string, string> = INTAKE_GOOD;

export interface People {
  qa: Member<ContractClient>;
  tech: Member<ContractClient>;
  prod: Member<ContractClient>;
  close: () => void;
}

/** First run, the three accounts (first password already changed), each signed in on its own connection. */
export async function people(url: string): Promise<People> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  const { qa, tech, prod } = await plant.staff(host, admin, { qa: QA, tech: TECH, prod: PROD });
  admin.close();
  return { qa, tech, prod, close: () => [qa, tech, prod].forEach((c) => c.close()) };
}

function daysAgo(n: number, hour = 6): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  d.setHours(hour, 20, 0, 0);
  return d.toISOString();
}

function minutesAgo(n: number): string {
  return new Date(Date.now() - n * 60_000).toISOString();
}

/**
 * The calendar day of `d` where the journeys run: the harness keeps the plant's days in the
 * host's zone (AppCore's default), so a day taken in UTC disagrees with it around midnight.
 */
const day = (d: Date): string => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};
/** The documents a tanker carries (第二十五条 and the national raw-milk rules), valid today; `omit` leaves kinds out (missing). */
export function documents(omit: string[] = [], receivedOn: Date = new Date()) {
  const nextYear = new Date(receivedOn.getTime() + 300 * 86_400_000);
  return tankerDocuments({ date: day(receivedOn), validUntil: day(nextYear), handoverNo: 'JJ-0417-07', omit });
}

async function supplier(qa: Member, code: string, name: string): Promise<void> {
  await plant.supplier(qa, farm(code, name));
}

async function tanker(p: People, supplierCode: string, vehicle: string, receivedAt?: string): Promise<string> {
  return plant.receiveTanker(p.prod, {
    supplierCode,
    farms: ['贺兰山第一牧场', '贺兰山第二牧场'],
    vehicle,
    compartments: [
      { no: 1, seal: 'QF-20411', sealIntact: true },
      { no: 2, seal: 'QF-20412', sealIntact: true },
    ],
    quantity: '24860',
    temperature: '4.1',
    ...(receivedAt ? { receivedAt } : {}),
  });
}

/** A tanker taken through the whole intake by the API: declarations, panel, submission, signed decision. */
async function decidedTanker(
  p: People,
  supplierCode: string,
  vehicle: string,
  receivedAt: string,
  over: Record<string, string> = {},
): Promise<string> {
  const lotCode = await tanker(p, supplierCode, vehicle, receivedAt);
  const d = await p.tech.call('intake.start', {
    lotCode,
    declarations: { noColostrum: true, noTreatment: true, withdrawalRespected: true, healthCertificates: true },
    documents: documents([], new Date(receivedAt)),
  });
  const sampleCode = d.intake!.sampleCode!;
  const rs = (await p.tech.call('results.forSample', { sampleCode })).results;
  await p.tech.call('results.enterMany', {
    entries: rs.map((r) => {
      const v = over[r.itemCode] ?? GOOD[r.itemCode]!;
      return r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: [v] } : { id: r.id, replicates: [v] };
    }),
  });
  await p.tech.call('results.submit', { sampleCode, signature: p.tech.sign('authored') });
  const reject = Object.keys(over).length > 0;
  if (reject)
    await p.qa.call('intake.decide', {
      lotCode,
      decision: 'reject',
      reason: '冰点偏高，疑似掺水 / freezing point: added water',
      signature: p.qa.sign('rejected'),
    });
  else
    await p.tech.call('intake.decide', {
      lotCode,
      decision: 'accept',
      reason: 'All intake checks within their limits',
      signature: p.tech.sign('accepted'),
    });
  return lotCode;
}

/**
 * The milk bench: two farms, a history of decided tankers over the last months (for the
 * supplier performance screen), and today's tanker from FARM-1 waiting for its intake.
 */
export async function seedIntake(url: string): Promise<{ lotCode: string; receivedOn: string; people: People }> {
  const p = await people(url);
  await plant.material(p.qa, MATERIALS.rawMilk);
  await supplier(p.qa, 'FARM-1', '贺兰山牧业 Helanshan Dairy Farm');
  await supplier(p.qa, 'FARM-2', '塞上牧场 Saishang Ranch');
  await decidedTanker(p, 'FARM-1', '宁A·30417', daysAgo(40));
  await decidedTanker(p, 'FARM-2', '宁B·11820', daysAgo(50));
  await decidedTanker(p, 'FARM-2', '宁B·11820', daysAgo(20), { freezing_point: '-0.480' });
  // The receipt's day, not today's: the driver's documents are dated by it (a cleaning record
  // dated after the receipt is refused), and 25 minutes ago may be yesterday.
  const receivedAt = minutesAgo(25);
  const lotCode = await tanker(p, 'FARM-1', '宁A·30417', receivedAt);
  return { lotCode, receivedOn: day(new Date(receivedAt)), people: p };
}

export interface LateSeed {
  /** Accepted tanker whose plate count failed after acceptance. */
  tanker: string;
  silo: string;
  powder: string;
  /** Tanker at the bench with its gating checks passed and submitted, the buying station's licence missing. */
  noLicence: string;
  people: People;
}

/**
 * A late failure and a tanker without its papers: FARM-1's tanker accepted this morning on its
 * gating checks went into silo 2 and a whole-milk-powder lot (released, part shipped); its
 * plate count, read today, is 3.2×10⁶ CFU/mL. A second tanker passed its gating checks but the
 * driver had no purchase licence of the buying station.
 */
export async function seedLateFailure(url: string): Promise<LateSeed> {
  const p = await people(url);
  await plant.material(p.qa, MATERIALS.rawMilk);
  await p.qa.call('catalog.products.save', {
    fields: {
      code: 'WMP-1',
      nameZh: '全脂乳粉',
      nameEn: 'Whole milk powder',
      stage: 'other_dairy',
      proteinBase: 'cow',
      registrationNo: null,
      shelfLifeDays: 540,
      packSizes: ['25 kg'],
    },
  });
  await p.prod.call('catalog.customers.save', {
    fields: { code: 'C001', name: '银川烘焙原料公司', contact: '王经理', phone: '0951-1234567', address: '银川' },
  } as never);
  await supplier(p.qa, 'FARM-1', '贺兰山牧业 Helanshan Dairy Farm');
  const gating = async (lotCode: string, receivedAt: string, omit: string[] = []) => {
    const d = await p.tech.call('intake.start', {
      lotCode,
      declarations: DECLARATIONS_OK,
      documents: documents(omit, new Date(receivedAt)),
    });
    const sampleCode = d.intake!.sampleCode!;
    const rs = (await p.tech.call('results.forSample', { sampleCode })).results.filter(
      (r) => !['apc', 'somatic_cells'].includes(r.itemCode),
    );
    await p.tech.call('results.enterMany', {
      entries: rs.map((r) => {
        const v = GOOD[r.itemCode]!;
        return r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: [v] } : { id: r.id, replicates: [v] };
      }),
    });
    await p.tech.call('results.submit', { sampleCode, signature: p.tech.sign('authored') });
    return sampleCode;
  };
  const lotAt = minutesAgo(300);
  const lot = await tanker(p, 'FARM-1', '宁A·30417', lotAt);
  const sampleCode = await gating(lot, lotAt);
  await p.tech.call('intake.decide', {
    lotCode: lot,
    decision: 'accept',
    reason: 'Gating checks within limits',
    signature: p.tech.sign('accepted'),
  });
  const silo = await p.prod.call('batches.start', {
    line: '2号奶仓',
    outputKind: 'intermediate',
    itemCode: 'RAWMILK',
    outputLotCode: 'SILO2-0417',
    unit: 'kg',
  });
  await p.prod.call('batches.consume', { batchId: silo.id, inputLot: lot, quantity: '24860', unit: 'kg' });
  await p.prod.call('batches.finish', { batchId: silo.id, quantity: '24860' });
  await p.qa.call('lots.decide', {
    code: 'SILO2-0417',
    decision: 'release',
    reason: 'Silo standardised and released to the dryer',
    signature: p.qa.sign('released'),
  } as never);
  const powder = await p.prod.call('batches.start', {
    line: '1号干燥塔',
    outputKind: 'finished',
    itemCode: 'WMP-1',
    outputLotCode: 'WMP-0417-01',
    unit: 'kg',
  });
  await p.prod.call('batches.consume', { batchId: powder.id, inputLot: 'SILO2-0417', quantity: '24000', unit: 'kg' });
  await p.prod.call('batches.finish', { batchId: powder.id, quantity: '3000' });
  await p.qa.call('lots.decide', {
    code: 'WMP-0417-01',
    decision: 'release',
    reason: 'Results complete',
    signature: p.qa.sign('released'),
  } as never);
  await p.prod.call('shipments.create', {
    shipmentCode: 'SH-0417-01',
    customerCode: 'C001',
    date: day(new Date()),
    lines: [{ lotCode: 'WMP-0417-01', quantity: '500', unit: 'kg' }],
  });
  // The plate count, read after incubation: 3.2×10⁶ CFU/mL (GB 19301: ≤ 2×10⁶).
  const apc = (await p.tech.call('results.forSample', { sampleCode })).results.find((r) => r.itemCode === 'apc')!;
  await p.tech.call('results.enter', { id: apc.id, replicates: ['3200000'] });
  await p.tech.call('results.submit', { sampleCode, ids: [apc.id], signature: p.tech.sign('authored') });
  const noLicenceAt = minutesAgo(40);
  const noLicence = await tanker(p, 'FARM-1', '宁A·58213', noLicenceAt);
  await gating(noLicence, noLicenceAt, ['purchase_licence']);
  return { tanker: lot, silo: 'SILO2-0417', powder: 'WMP-0417-01', noLicence, people: p };
}

/**
 * Release evidence: the release journey's IMF lot (every result reviewed, a retention sample
 * of 6 cans), the product's declared label values by the GB 13432 rule (vitamin A declared
 * 600 µg RE/100 g: 452 is below 80 %), and its retention profile (4 cans for the re-tests,
 * observations on the production day, at 90 and 180 days).
 */
export async function seedReleaseEvidence(url: string): Promise<DispositionSeed & { retention: string }> {
  const d = await seedDisposition(url);
  const host = ContractClient.host(url);
  const qa = await plant.signInAgain(host, TQA);
  const tech = await plant.signInAgain(host, TTECH);
  const source = 'GB 13432-2013 预包装特殊膳食用食品标签：能量和营养成分实际含量不低于标示值的 80%';
  for (const [itemCode, declared, unit] of [
    ['protein', '12.0', 'g'],
    ['vit_a', '600', 'µg RE'],
    ['ca', '480', 'mg'],
    ['dha', '80', 'mg'],
  ] as const)
    await qa.call('labels.save', {
      productCode: PRODUCT,
      itemCode,
      declared,
      unit,
      basis: 'per_100g',
      minPct: '80',
      maxPct: null,
      ruleSource: source,
      note: null,
    });
  await qa.call('retention.profile.save', {
    productCode: PRODUCT,
    requiredQuantity: '4',
    unit: 'can',
    basisNote: '两次全项复检用量',
    storageConditions: '常温（≤25 ℃）、干燥、避光，留样室 R1',
    observationDays: [0, 90, 180],
  });
  const retention = (await tech.call('samples.list', { lotCode: d.lot, kind: 'retention', limit: 5 })).samples[0]!.code;
  qa.close();
  tech.close();
  return { ...d, retention };
}

export interface EnvSeed {
  alertCode: string;
  /** Released lots made on line L1 since the last negative swab: holdable. */
  released: string[];
  /** A lot of the same line still on hold (awaiting release): listed, not holdable. */
  onHold: string;
  site: string;
}

async function swab(
  p: People,
  siteCode: string,
  value: 'absent' | 'present' | null,
  takenAt?: string,
  target = 'cronobacter',
): Promise<string> {
  const s = await p.tech.call('samples.register', {
    kind: 'environmental_swab',
    siteCode,
    samplingPoint: '10×10 cm',
    targets: [target],
    quantity: '1',
    unit: 'pcs',
    container: 'Swab tube with neutraliser',
    ...(takenAt ? { takenAt } : {}),
    receipt: { condition: 'intact' },
  });
  if (value === null) return s.sample.code;
  const [r] = (await p.tech.call('results.forSample', { sampleCode: s.sample.code })).results;
  await p.tech.call('results.enter', { id: r!.id, unitValues: [value] });
  await p.tech.call('results.submit', { sampleCode: s.sample.code, signature: p.tech.sign('authored') });
  return s.sample.code;
}

/**
 * Environmental monitoring: four sites by zone with weeks of negative swabs, three finished
 * lots on line L1 (two released, one on hold), a negative swab at the zone 1 filler this
 * morning, then a positive Cronobacter swab there: the alert lists the three lots.
 */
export async function seedEnvironment(url: string): Promise<EnvSeed> {
  const p = await people(url);
  // A dairy product (not infant formula: an IMF lot is released only through a complete readiness, issue 11).
  await p.qa.call('catalog.products.save', {
    fields: {
      code: 'WMP-1',
      nameZh: '全脂乳粉',
      nameEn: 'Whole milk powder',
      stage: 'other_dairy',
      proteinBase: 'cow',
      registrationNo: null,
      shelfLifeDays: 540,
      packSizes: ['25 kg'],
    },
  });
  const sites = [
    {
      code: 'Z1-FIL-L1',
      zone: 1,
      nameZh: '1线灌装机料斗内壁',
      nameEn: 'L1 filler hopper inner wall',
      line: 'L1',
      room: 'Filling 1',
    },
    {
      code: 'Z1-CONV-L1',
      zone: 1,
      nameZh: '1线输送带接触面',
      nameEn: 'L1 conveyor contact surface',
      line: 'L1',
      room: 'Filling 1',
    },
    {
      code: 'Z2-FIL-L1',
      zone: 2,
      nameZh: '1线灌装机外壳',
      nameEn: 'L1 filler housing',
      line: 'L1',
      room: 'Filling 1',
    },
    {
      code: 'Z3-FLOOR-F1',
      zone: 3,
      nameZh: '灌装间地漏',
      nameEn: 'Filling room floor drain',
      line: null,
      room: 'Filling 1',
    },
    {
      code: 'Z4-CORR',
      zone: 4,
      nameZh: '更衣室走廊',
      nameEn: 'Changing room corridor',
      line: null,
      room: 'Corridor',
    },
  ];
  for (const s of sites)
    await p.qa.call('sites.save', {
      fields: {
        code: s.code,
        nameZh: s.nameZh,
        nameEn: s.nameEn,
        kind: 'environment',
        zone: s.zone,
        line: s.line,
        room: s.room,
        active: true,
      },
    });
  // Weeks of routine swabs: negative.
  for (const [site, days] of [
    ['Z1-FIL-L1', [35, 28, 21, 14, 7]],
    ['Z1-CONV-L1', [28, 14]],
    ['Z2-FIL-L1', [35, 21, 7]],
    ['Z3-FLOOR-F1', [30, 9]],
    ['Z4-CORR', [24]],
  ] as const)
    for (const d of days) await swab(p, site, 'absent', daysAgo(d, 9));
  // This week's Z3 swab is still being read.
  await swab(p, 'Z3-FLOOR-F1', null, daysAgo(1, 9), 'enterobacteriaceae');
  // The batches' input: skim milk powder received and accepted (a lot is released only from
  // a completed batch with its inputs recorded, issue 19 §4).
  await p.qa.call('catalog.materials.save', {
    fields: { code: 'SMP', nameZh: '脱脂乳粉', nameEn: 'Skim milk powder', kind: 'ingredient', defaultUnit: 'kg' },
  });
  await p.qa.call('catalog.suppliers.save', {
    fields: {
      code: 'SUP-SMP',
      name: '乳粉供应商',
      kind: 'ingredient',
      approvalStatus: 'approved',
      approvedOn: null,
      lastAuditOn: null,
      nextAuditDue: null,
      contact: null,
      phone: null,
    },
  });
  const smp = await p.prod.call('lots.receive', {
    kind: 'ingredient',
    materialCode: 'SMP',
    supplierCode: 'SUP-SMP',
    supplierLot: 'SMP-2611-01',
    quantity: '3000',
    unit: 'kg',
    containers: 120,
    condition: 'intact',
  });
  await p.qa.call('lots.decide', {
    code: smp.code,
    decision: 'accept',
    reason: 'COA checked, inspection passed',
    signature: p.qa.sign('accepted'),
  });
  // Three lots on line L1 today, the last negative at the filler this morning, two lots released.
  const lots: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const b = await p.prod.call('batches.start', {
      line: 'L1',
      outputKind: 'finished',
      itemCode: 'WMP-1',
      outputLotCode: `WMP-ENV-00${i}`,
      unit: 'kg',
    });
    await p.prod.call('batches.consume', { batchId: b.id, inputLot: smp.code, quantity: '900', unit: 'kg' });
    await p.prod.call('batches.finish', { batchId: b.id, quantity: '1000' });
    lots.push(b.output.code);
  }
  await swab(p, 'Z1-FIL-L1', 'absent', minutesAgo(10));
  for (const code of lots.slice(0, 2))
    await p.qa.call('lots.decide', {
      code,
      decision: 'release',
      reason: 'Release: results complete',
      signature: p.qa.sign('released'),
    });
  await swab(p, 'Z1-FIL-L1', 'present');
  const [alert] = await p.qa.call('env.alerts.list', { status: 'open' });
  p.close();
  return { alertCode: alert!.code, released: lots.slice(0, 2), onHold: lots[2]!, site: 'Z1-FIL-L1' };
}
