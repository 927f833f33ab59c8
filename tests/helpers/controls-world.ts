import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { localDate } from '../../src/main/lots/codes';
import { createTestApp, USER_PASSWORD, type TestApp } from './core';

export const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
export const errKey = (r: { ok: boolean; error?: { messageKey: string } }): string | null =>
  r.ok ? null : r.error!.messageKey;

/**
 * A small plant through the contract, as its people would set it up (issue 19 tests): a QA
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
  await app.ok(qa, 'catalog.materials.save', {
    fields: {
      code: 'WPC80',
      name_zh: '浓缩乳清蛋白',
      name_en: 'Whey protein concentrate 80',
      kind: 'ingredient',
      default_unit: 'kg',
    },
  });
  await app.ok(qa, 'catalog.suppliers.save', {
    fields: {
      code: 'SUP-W',
      name: '乳清公司',
      kind: 'ingredient',
      approval_status: 'approved',
      approved_on: null,
      last_audit_on: null,
      next_audit_due: null,
      contact: null,
      phone: null,
    },
  });
  await app.ok(qa, 'catalog.products.save', {
    fields: {
      code: 'WMP',
      name_zh: '全脂乳粉',
      name_en: 'Whole milk powder',
      stage: 'other_dairy',
      protein_base: 'cow',
      registration_no: null,
      shelf_life_days: 540,
      pack_sizes: [],
    },
  });
  for (const [code, name] of [
    ['C001', '银川母婴连锁'],
    ['C002', '石嘴山超市'],
  ] as const) {
    await app.ok(prod, 'catalog.customers.save', {
      fields: { code, name, contact: '王经理', phone: '0951-1234567', address: null },
    } as never);
  }
  const today = localDate(app.core.timeZone, app.core.clock());
  let n = 0;
  return {
    app,
    qa,
    prod,
    tech,
    today,
    async ingredient(qty = '1000') {
      const l = await app.ok(prod, 'lots.receive', {
        kind: 'ingredient',
        materialCode: 'WPC80',
        supplierCode: 'SUP-W',
        supplierLot: `W-${++n}`,
        quantity: qty,
        unit: 'kg',
        containers: 10,
        condition: 'intact',
      });
      await app.ok(qa, 'lots.decide', {
        code: l.code,
        decision: 'accept',
        reason: 'inspection passed',
        signature: sign('accepted'),
      });
      return l.code;
    },
    async finished(input, qty = '1000', o = {}) {
      const b = await app.ok(prod, 'batches.start', {
        line: o.line ?? 'Line 1',
        outputKind: 'finished',
        itemCode: 'WMP',
        unit: 'kg',
      });
      await app.ok(prod, 'batches.consume', { batchId: b.id, inputLot: input, quantity: '10', unit: 'kg' });
      await app.ok(prod, 'batches.finish', { batchId: b.id, quantity: qty });
      if (o.release !== false)
        await app.ok(qa, 'lots.decide', {
          code: b.output.code,
          decision: 'release',
          reason: 'released',
          signature: sign('released'),
        });
      return b.output.code;
    },
    async ship(code, lot, qty, customer = 'C001') {
      await app.ok(prod, 'shipments.create', {
        shipmentCode: code,
        customerCode: customer,
        date: today,
        lines: [{ lotCode: lot, quantity: qty, unit: 'kg' }],
      });
    },
    head() {
      const h = app.core.need().ledger.head();
      return { seq: h.seq, hash: h.hash };
    },
  };
}
