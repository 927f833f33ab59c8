import type { SpecItem } from '../../src/shared/catalog/spec-schema';
import type { ResultView } from '../../src/shared/contract/channels/testing';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from './core';
import * as plant from '../fixtures/plant';
import { IF1_GOOD, IF1_ITEMS, PRODUCTS, TEST_PEOPLE, type Person } from '../fixtures/plant';

/**
 * A plant with people and an approved infant-formula specification, for the testing
 * controls' tests (issues 19 and 20). Everything through the contract, as people would,
 * from the plant fixtures (tests/fixtures/plant).
 */
export const T0 = Date.parse('2026-03-05T02:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
export const errCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? null : r.error!.code);

export { specItem, IF1_ITEMS } from '../fixtures/plant';
/** Values that pass every item of IF1_ITEMS. */
export const GOOD: Record<string, string[]> = IF1_GOOD;

export interface World {
  app: TestApp;
  clock: { now: number };
  qa: Connection;
  tech: Connection;
  tech2: Connection;
  rev: Connection;
  rev2: Connection;
  /** A technician who also reviews: may review others' results, never ones they took part in. */
  techRev: Connection;
  /** A technician who is also a QA manager. */
  techQa: Connection;
  prod: Connection;
  productId: string;
  conns: Connection[];
}

export async function world(): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const mk = (p: Person) => app.userWith([...p.roles], p.userId);
  const P = TEST_PEOPLE;
  const qa = await mk(P.qa);
  const tech = await mk(P.tech);
  const tech2 = await mk(P.tech2);
  const rev = await mk(P.reviewer);
  const rev2 = await mk(P.reviewer2);
  const techRev = await mk(P.techReviewer);
  const techQa = await mk(P.techQa);
  const prod = await mk(P.prod);
  const productId = await plant.product(app.member(qa, P.qa), {
    ...PRODUCTS.if1,
    nameZh: '婴儿配方奶粉 1段',
    shelfLifeDays: 720,
  });
  return {
    app,
    clock,
    qa,
    tech,
    tech2,
    rev,
    rev2,
    techRev,
    techQa,
    prod,
    productId,
    conns: [qa, tech, tech2, rev, rev2, techRev, techQa, prod],
  };
}

export async function approveSpec(w: World, items: SpecItem[] = IF1_ITEMS, code = 'SPEC-IF-1'): Promise<string> {
  return plant.approveSpec(w.app.member(w.qa, TEST_PEOPLE.qa), {
    subjectId: w.productId,
    code,
    doc: plant.specDocument(code, items),
  });
}

export async function finishedLot(w: World, itemCode = 'IF-1'): Promise<string> {
  return (await plant.makeLot(w.app.member(w.prod, TEST_PEOPLE.prod), { line: 'Line 2', itemCode })).code;
}

export async function releaseSample(w: World, lotCode: string, by: Connection = w.tech): Promise<string> {
  return (await plant.releaseSample(w.app.member(by), lotCode)).code;
}

/** Moves the clock; every session is unlocked again (the idle lock would end them). */
export async function later(w: World, ms: number): Promise<void> {
  w.clock.now += ms;
  for (const c of w.conns) await w.app.ok(c, 'auth.unlock', { password: USER_PASSWORD });
  await w.app.ok(w.app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
}

export const by = (rs: ResultView[], code: string): ResultView => {
  const r = rs.filter((x) => x.itemCode === code).sort((a, b) => b.attempt - a.attempt)[0];
  if (!r) throw new Error(`no result ${code}`);
  return r;
};

export async function results(w: World, sampleCode: string): Promise<ResultView[]> {
  return (await w.app.ok(w.tech, 'results.forSample', { sampleCode })).results;
}

/** The technician records the incubation start of the sample's micro tests (D-111). */
export async function startCultures(w: World, sampleCode: string, who: Connection = w.tech): Promise<string[]> {
  return plant.startIncubation(w.app.member(who), sampleCode);
}

/** Enters values (GOOD, with overrides) as `who`; items given as [] are skipped. */
export async function enterAll(
  w: World,
  sampleCode: string,
  over: Record<string, string[]> = {},
  who: Connection = w.tech,
): Promise<ResultView[]> {
  // The cultures of the micro tests are on record before their values (D-111).
  await startCultures(w, sampleCode, who);
  const rs = await results(w, sampleCode);
  const values = { ...GOOD, ...over };
  for (const r of rs) {
    const v = values[r.itemCode];
    if (!v || v.length === 0 || r.calculated) continue;
    await w.app.ok(
      who,
      'results.enter',
      r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: v } : { id: r.id, replicates: v },
    );
  }
  return results(w, sampleCode);
}

/** The ledger's head sequence: unchanged means nothing was written. */
export const head = (w: World): number => w.app.core.need().ledger.head().seq;

/**
 * A deterministic race (issue 19 §7), no sleeps: the next call of the wrapped async method
 * runs up to the barrier (its checks before the write and the awaited step done) and waits
 * there until `release()`. `reached` resolves when it is waiting.
 */
export function barrierOn<T extends object, K extends keyof T>(
  target: T,
  method: K,
): { reached: Promise<void>; release: () => void; restore: () => void } {
  const original = target[method] as unknown as (...a: unknown[]) => Promise<unknown>;
  let arrive!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((r) => (arrive = r));
  const gate = new Promise<void>((r) => (open = r));
  let used = false;
  (target as Record<K, unknown>)[method] = async (...args: unknown[]) => {
    const out = await original.apply(target, args);
    if (!used) {
      used = true;
      arrive();
      await gate;
    }
    return out;
  };
  return {
    reached,
    release: () => open(),
    restore: () => {
      (target as Record<K, unknown>)[method] = original;
    },
  };
}
