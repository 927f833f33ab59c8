import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { Declarations, TankerDocumentInput } from '../../src/shared/contract/channels/intake';
import type { ResultView } from '../../src/shared/contract/channels/testing';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from './core';
import * as plant from '../fixtures/plant';
import { DECLARATIONS_OK, farm, INTAKE_GOOD, MATERIALS, tankerDocuments } from '../fixtures/plant';

/** Raw milk intake fixtures shared by tests/integration/intake*.test.ts. */
/** Thursday 2026-04-30, 10:00 Beijing time. */
export const T0 = Date.parse('2026-04-30T02:00:00Z');
export const DAY = 86_400_000;
export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
export const OK: Declarations = DECLARATIONS_OK;
/** Every document a tanker carries (第二十五条 and the national raw-milk rules), valid on 30 April 2026. */
export const DOCS: TankerDocumentInput[] = tankerDocuments({
  date: '2026-04-30',
  validUntil: '2026-12-31',
  licenceValidUntil: '2027-06-30',
  handoverNo: 'JJ-20260430-07',
});

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
  const q = app.member(qa);
  await plant.material(q, MATERIALS.rawMilk);
  for (const code of ['FARM-1', 'FARM-2']) await plant.supplier(q, farm(code));
  return { app, clock, qa, tech, rev, prod };
}

export async function tanker(w: World, supplierCode = 'FARM-1'): Promise<string> {
  return plant.receiveTanker(w.app.member(w.prod), { supplierCode });
}

/** Good values for every check of a panel, with overrides. */
export const GOOD: Record<string, string> = INTAKE_GOOD;

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
