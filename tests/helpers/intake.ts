import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { Declarations, TankerDocumentInput } from '../../src/shared/contract/channels/intake';
import type { ResultView } from '../../src/shared/contract/channels/testing';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from './core';

/** Raw milk intake fixtures shared by tests/integration/intake*.test.ts. */
/** Thursday 2026-04-30, 10:00 Beijing time. */
export const T0 = Date.parse('2026-04-30T02:00:00Z');
export const DAY = 86_400_000;
export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
export const OK: Declarations = {
  noColostrum: true,
  noTreatment: true,
  withdrawalRespected: true,
  healthCertificates: true,
};
/** Every document a tanker carries (第二十五条 and the national raw-milk rules), valid on 30 April 2026. */
export const DOCS: TankerDocumentInput[] = [
  {
    kind: 'transport_permit',
    present: true,
    number: '宁(贺)准运2026-0381',
    issuer: '贺兰县农业农村局',
    validUntil: '2026-12-31',
    date: null,
    note: null,
  },
  {
    kind: 'handover_slip',
    present: true,
    number: 'JJ-20260430-07',
    issuer: '贺兰山奶站',
    validUntil: null,
    date: '2026-04-30',
    note: null,
  },
  {
    kind: 'purchase_licence',
    present: true,
    number: '宁生鲜乳收购证（2025）017号',
    issuer: '贺兰县农业农村局',
    validUntil: '2027-06-30',
    date: null,
    note: null,
  },
  {
    kind: 'cleaning_record',
    present: true,
    number: null,
    issuer: null,
    validUntil: null,
    date: '2026-04-30',
    note: 'CIP 碱-酸-热水',
  },
];

export interface World {
  app: TestApp;
  clock: { now: number };
  qa: Connection;
  tech: Connection;
  rev: Connection;
  prod: Connection;
}

export async function world(pdf = false): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now, ...(pdf ? { pdf: new ChromiumPdfPrinter() } : {}) });
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const tech = await app.userWith(['technician'], 'tech.li');
  const rev = await app.userWith(['reviewer'], 'rev.wang');
  const prod = await app.userWith(['production'], 'prod.wu');
  await app.ok(qa, 'catalog.materials.save', {
    fields: { code: 'RAWMILK', name_zh: '生牛乳', name_en: 'Raw cow milk', kind: 'raw_milk', default_unit: 'kg' },
  });
  for (const code of ['FARM-1', 'FARM-2']) {
    await app.ok(qa, 'catalog.suppliers.save', {
      fields: {
        code,
        name: `${code} 牧场`,
        kind: 'farm',
        approval_status: 'approved',
        approved_on: null,
        last_audit_on: null,
        next_audit_due: null,
        contact: null,
        phone: null,
      },
    });
  }
  return { app, clock, qa, tech, rev, prod };
}

export async function tanker(w: World, supplierCode = 'FARM-1'): Promise<string> {
  const r = await w.app.ok(w.prod, 'lots.receiveTanker', {
    supplierCode,
    farms: ['贺兰山牧场'],
    vehicle: '宁A·12345',
    compartments: [{ no: 1, seal: 'S-1', sealIntact: true }],
    quantity: '25000',
    unit: 'kg',
    temperature: '4.2',
  });
  return r.code;
}

/** Good values for every check of a panel, with overrides. */
export const GOOD: Record<string, string> = {
  temperature: '4.2',
  sensory_defect: 'absent',
  alcohol_test: 'absent',
  acidity: '14',
  relative_density: '1.030',
  fat: '3.6',
  protein: '3.1',
  non_fat_solids: '8.6',
  freezing_point: '-0.530',
  beta_lactam: 'absent',
  tetracycline: 'absent',
  afm1_screen: 'absent',
  melamine_screen: 'absent',
  apc: '300000',
  somatic_cells: '250000',
  afm1: '0.1',
  melamine: '0.3',
  impurities: '2.0',
};

/** Enters and submits the panel's results (those in `skip` stay pending: retrospective tests come later). */
export async function runPanel(
  w: World,
  lotCode: string,
  over: Record<string, string> = {},
  skip: readonly string[] = [],
): Promise<ResultView[]> {
  const d = await w.app.ok(w.tech, 'intake.get', { lotCode });
  const rs = (await w.app.ok(w.tech, 'results.forSample', { sampleCode: d.intake!.sampleCode! })).results;
  for (const r of rs) {
    if (skip.includes(r.itemCode) || r.status !== 'pending') continue;
    const v = over[r.itemCode] ?? GOOD[r.itemCode]!;
    await w.app.ok(
      w.tech,
      'results.enter',
      r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: [v] } : { id: r.id, replicates: [v] },
    );
  }
  await w.app.ok(w.tech, 'results.submit', { sampleCode: d.intake!.sampleCode!, signature: sign('authored') });
  return (await w.app.ok(w.tech, 'results.forSample', { sampleCode: d.intake!.sampleCode! })).results;
}

export async function later(w: World, ms: number): Promise<void> {
  w.clock.now += ms;
  for (const c of [w.tech, w.qa, w.prod, w.rev]) await w.app.ok(c, 'auth.unlock', { password: USER_PASSWORD });
  await w.app.ok(w.app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
}
