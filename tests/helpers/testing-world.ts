import { SPEC_DOCUMENT_SCHEMA, type SpecItem } from '../../src/shared/catalog/spec-schema';
import type { ResultView } from '../../src/shared/contract/channels/testing';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import type { Role } from '../../src/shared/domain/roles';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from './core';

/**
 * A plant with people and an approved infant-formula specification, for the testing
 * controls' tests (issues 19 and 20). Everything through the contract, as people would.
 */
export const T0 = Date.parse('2026-03-05T02:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
export const errCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? null : r.error!.code);

export function specItem(over: Partial<SpecItem> & { code: string }): SpecItem {
  return {
    name_zh: over.code,
    name_en: over.code,
    group: 'macronutrients',
    method_code: null,
    unit: 'g',
    basis: 'per_100kj',
    limit_form: 'range',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: 2,
    comparison: 'full_value',
    required_for_release: true,
    in_house_only: true,
    frequency: 'every_lot',
    frequency_n: null,
    period_days: null,
    formula: null,
    clause: null,
    source: 'plant specification QS-001',
    verification: 'plant',
    note: null,
    ...over,
  };
}

/** Energy per 100 mL from protein, fat and carbohydrate; protein and fat per 100 kJ; micro plans. */
export const IF1_ITEMS: SpecItem[] = [
  specItem({
    code: 'energy',
    unit: 'kJ',
    basis: 'per_100ml',
    min: '250',
    max: '295',
    precision: 0,
    formula: '17 * protein + 37 * fat + 17 * carbohydrate',
  }),
  specItem({ code: 'protein', method_code: 'GB 5009.5', min: '0.43', max: '0.72' }),
  specItem({ code: 'fat', method_code: 'GB 5009.6', min: '1.05', max: '1.43' }),
  specItem({
    code: 'carbohydrate',
    min: '2.2',
    max: '3.3',
    precision: 1,
    formula: '100 - moisture - protein - fat - ash',
  }),
  specItem({
    code: 'moisture',
    group: 'other',
    method_code: 'GB 5009.3',
    unit: 'g/100g',
    basis: 'per_100g',
    limit_form: 'maximum',
    max: '5.0',
    precision: 1,
  }),
  specItem({
    code: 'ash',
    group: 'other',
    method_code: 'GB 5009.4',
    unit: 'g/100g',
    basis: 'per_100g',
    limit_form: 'report_only',
    precision: 1,
  }),
  specItem({
    code: 'pb',
    group: 'contaminants',
    method_code: 'GB 5009.12',
    unit: 'mg/kg',
    basis: 'per_kg',
    limit_form: 'maximum',
    max: '0.08',
    precision: 2,
    lod: '0.01',
  }),
  specItem({
    code: 'apc',
    group: 'microbiology',
    method_code: 'GB 4789.2',
    unit: 'CFU/g',
    basis: 'per_g',
    limit_form: 'sampling_plan',
    n: 5,
    c: 2,
    m: '1000',
    big_m: '10000',
    precision: null,
  }),
  specItem({
    code: 'enterobacteriaceae',
    group: 'microbiology',
    method_code: 'GB 4789.41',
    unit: 'CFU/g',
    basis: 'per_g',
    limit_form: 'sampling_plan',
    n: 5,
    c: 0,
    m: '10',
    precision: null,
  }),
  specItem({
    code: 'salmonella',
    group: 'microbiology',
    method_code: 'GB 4789.4',
    unit: 'per 25 g',
    basis: 'per_25g',
    limit_form: 'sampling_plan',
    n: 5,
    c: 0,
    m: '0',
    precision: null,
  }),
  specItem({
    code: 'cronobacter',
    group: 'microbiology',
    method_code: 'GB 4789.40',
    unit: 'per 100 g',
    basis: 'per_100g',
    limit_form: 'sampling_plan',
    n: 3,
    c: 0,
    m: '0',
    precision: null,
  }),
];

/** Values that pass every item of IF1_ITEMS. */
export const GOOD: Record<string, string[]> = {
  protein: ['12.0'],
  fat: ['26.0'],
  moisture: ['2.5'],
  ash: ['2.3'],
  pb: ['ND'],
  reconstitution: ['13.0'],
  apc: ['100', '2000', '1500', '<10', '500'],
  enterobacteriaceae: ['<10', '<10', '<10', '<10', '<10'],
  salmonella: ['absent', 'absent', 'absent', 'absent', 'absent'],
  cronobacter: ['absent', 'absent', 'absent'],
};

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
  const mk = (roles: Role[], id: string) => app.userWith(roles, id);
  const qa = await mk(['qa_manager'], 'qa.chen');
  const tech = await mk(['technician'], 'tech.li');
  const tech2 = await mk(['technician'], 'tech.zhao');
  const rev = await mk(['reviewer'], 'rev.wang');
  const rev2 = await mk(['reviewer'], 'rev.sun');
  const techRev = await mk(['technician', 'reviewer'], 'tech.rev');
  const techQa = await mk(['technician', 'qa_manager'], 'tech.qa');
  const prod = await mk(['production'], 'prod.wu');
  const p = await app.ok(qa, 'catalog.products.save', {
    fields: {
      code: 'IF-1',
      name_zh: '婴儿配方奶粉 1段',
      name_en: 'Infant formula stage 1',
      stage: 'infant',
      protein_base: 'cow',
      registration_no: null,
      shelf_life_days: 720,
      pack_sizes: ['800 g'],
    },
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
    productId: p.id,
    conns: [qa, tech, tech2, rev, rev2, techRev, techQa, prod],
  };
}

export async function approveSpec(w: World, items: SpecItem[] = IF1_ITEMS, code = 'SPEC-IF-1'): Promise<string> {
  const json = JSON.stringify({
    schema: SPEC_DOCUMENT_SCHEMA,
    title_zh: code,
    title_en: code,
    subject_kind: 'product',
    applies_to: 'infant',
    standard: null,
    version_note: null,
    items,
  });
  const v = await w.app.ok(w.qa, 'specs.create', {
    subjectKind: 'product',
    subjectId: w.productId,
    code,
    titleZh: code,
    titleEn: code,
    from: { kind: 'document', json },
  });
  await w.app.ok(w.qa, 'specs.setEffective', { versionId: v.id, effectiveFrom: '2026-01-01' });
  await w.app.ok(w.qa, 'specs.approve', { versionId: v.id, signature: sign('approved') });
  return v.id;
}

export async function finishedLot(w: World, itemCode = 'IF-1'): Promise<string> {
  const b = await w.app.ok(w.prod, 'batches.start', { line: 'Line 2', outputKind: 'finished', itemCode, unit: 'kg' });
  return b.output.code;
}

export async function releaseSample(w: World, lotCode: string, by: Connection = w.tech): Promise<string> {
  const r = await w.app.ok(by, 'samples.register', {
    kind: 'finished_release',
    lotCode,
    samplingPoint: 'Line 2 filler',
    quantity: '5',
    unit: 'can',
    container: '800 g can',
    withRetention: false,
    receipt: { condition: 'intact' },
  });
  return r.sample.code;
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

/** Enters values (GOOD, with overrides) as `who`; items given as [] are skipped. */
export async function enterAll(
  w: World,
  sampleCode: string,
  over: Record<string, string[]> = {},
  who: Connection = w.tech,
): Promise<ResultView[]> {
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
