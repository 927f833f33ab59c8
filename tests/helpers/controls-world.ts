import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { localDate } from '../../src/main/lots/codes';
import { createTestApp, USER_PASSWORD, type TestApp } from './core';
import * as plant from '../fixtures/plant';
import { CUSTOMERS, MATERIALS, PRODUCTS, SUPPLIERS } from '../fixtures/plant';

export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }): string | null =>
  r.ok ? null : r.error!.messageKey;

/**
 * A small plant through the contract (tests/fixtures/plant), as its people would set it up (issue 19 tests): a QA
 * manager, a production user, a technician; whey protein (WPC80, approved supplier SUP-W),
 * whole milk powder (WMP, not infant formula: released from the lot), two customers.
 */
export interface ControlsWorld {
  app: TestApp;
  qa: Connection;
  prod: Connection;
  tech: Connection;
  /** Today, local (the workstation's date): live records are dated so. */
  today: string;
  /** Receives and accepts an ingredient lot of `qty` kg. */
  ingredient(qty?: string): Promise<string>;
  /** Makes a finished WMP lot of `qty` kg from `input` (10 kg of it) and releases it (signed). */
  finished(input: string, qty?: string, opts?: { release?: boolean; line?: string }): Promise<string>;
  /** Ships `qty` kg of a lot to a customer. */
  ship(code: string, lot: string, qty: string, customer?: string): Promise<void>;
  /** The ledger's head (nothing written: unchanged). */
  head(): { seq: number; hash: string };
}

export async function controlsWorld(opts: { clock?: () => number } = {}): Promise<ControlsWorld> {
  const app = await createTestApp(opts.clock ? { clock: opts.clock } : {});
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const prod = await app.userWith(['production'], 'prod.wu');
  const tech = await app.userWith(['technician'], 'tech.li');
  const QA = app.member(qa);
  const PROD = app.member(prod);
  await plant.material(QA, { ...MATERIALS.wpc80, nameZh: '浓缩乳清蛋白' });
  await plant.supplier(QA, { ...SUPPLIERS.whey, name: '乳清公司', approvedOn: null, lastAuditOn: null, nextAuditDue: null });
  await plant.product(QA, PRODUCTS.wmp);
  await plant.customer(PROD, CUSTOMERS.c001);
  await plant.customer(PROD, { ...CUSTOMERS.c002, name: '石嘴山超市', contact: '王经理', phone: '0951-1234567' });
  const today = localDate(app.core.timeZone, app.core.clock());
  let n = 0;
  return {
    app,
    qa,
    prod,
    tech,
    today,
    async ingredient(qty = '1000') {
      return plant.acceptedIngredient(PROD, QA, { supplierLot: `W-${++n}`, quantity: qty });
    },
    async finished(input, qty = '1000', o = {}) {
      const { code } = await plant.makeLot(PROD, {
        line: o.line ?? 'Line 1',
        itemCode: 'WMP',
        inputs: [{ lot: input, quantity: '10' }],
        quantity: qty,
      });
      if (o.release !== false) await plant.decide(QA, code, 'release', 'released');
      return code;
    },
    async ship(code, lot, qty, customer = 'C001') {
      await plant.ship(PROD, { code, customer, date: today, lines: [{ lot, quantity: qty }] });
    },
    head() {
      const h = app.core.need().ledger.head();
      return { seq: h.seq, hash: h.hash };
    },
  };
}
