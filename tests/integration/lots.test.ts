import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';

const err = (r: { ok: boolean; error?: { code: string; messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
const sig = (meaning: 'accepted' | 'released' | 'held' | 'rejected' | 'override') => ({ password: USER_PASSWORD, meaning });

describe('lots: receiving, decisions, batching, shipments, stock', () => {
  let app: TestApp;
  let qa: Connection;
  let prod: Connection;
  beforeEach(async () => {
    app = await createTestApp();
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    prod = await app.userWith(['production'], 'prod.wu');
    const qaM = app.member(qa);
    await plant.material(qaM, plant.MATERIALS.wpc80);
    await plant.material(qaM, plant.MATERIALS.rawMilk);
    // Not infant formula here: these tests release without a test programme.
    await plant.product(qaM, { ...plant.PRODUCTS.if1, stage: 'other_dairy', shelfLifeDays: 720 });
    await plant.supplier(qaM, plant.plainSupplier('SUP-W', 'ingredient'));
    await plant.supplier(qaM, plant.plainSupplier('SUP-X', 'ingredient', 'not_approved'));
    await plant.supplier(qaM, plant.plainSupplier('FARM-1', 'farm'));
    await plant.customer(qaM, plant.CUSTOMERS.c001);
  });
  afterEach(() => app.close());

  const receiveWpc = (over: Record<string, unknown> = {}) =>
    app.call(prod, 'lots.receive', { kind: 'ingredient', materialCode: 'WPC80', supplierCode: 'SUP-W', supplierLot: 'W-2611-07', quantity: '1000', unit: 'kg', containers: 40, condition: 'intact', temperature: '18.5', expiryDate: '2099-12-31', coa: { fileName: 'coa.pdf', base64: Buffer.from('%PDF-1.4 certificate').toString('base64') }, ...over } as never);

  it('the whole path: receive, accept (signed), batch consumes, produce, release (signed), ship; every step in the audit trail', async () => {
    const r = await receiveWpc();
    expect(r.ok).toBe(true);
    const lot = r.ok ? (r.data as { code: string; status: string }) : null!;
    expect(lot.status).toBe('quarantine');
    expect(lot.code).toMatch(/^IG-\d{8}-001$/);
    const detail = await app.ok(qa, 'lots.get', { code: lot.code });
    expect(detail.receipt?.['coa_sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.allowedDecisions).toEqual(['accept', 'reject']);
    // A production user cannot decide; a QA manager signs.
    expect((await app.call(prod, 'lots.decide', { code: lot.code, decision: 'accept', reason: 'COA checked', signature: sig('accepted') })).ok).toBe(false);
    const accepted = await app.ok(qa, 'lots.decide', { code: lot.code, decision: 'accept', reason: 'COA checked, incoming inspection passed', signature: sig('accepted') });
    expect(accepted.status).toBe('accepted');

    const tanker = await app.ok(prod, 'lots.receiveTanker', { supplierCode: 'FARM-1', farms: ['贺兰山牧场'], vehicle: '宁A·12345', compartments: [{ no: 1, seal: 'S-0001', sealIntact: true }, { no: 2, seal: 'S-0002', sealIntact: true }], quantity: '25000', unit: 'kg', temperature: '4.2' });
    expect(tanker.code).toMatch(/^RM-/);
    await app.ok(qa, 'lots.decide', { code: tanker.code, decision: 'accept', reason: 'intake panel passed', signature: sig('accepted') });

    const batch = await app.ok(prod, 'batches.start', { line: 'Line 2', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' });
    expect(batch.output.status).toBe('on_hold');
    await app.ok(prod, 'batches.consume', { batchId: batch.id, inputLot: lot.code, quantity: '300', unit: 'kg' });
    await app.ok(prod, 'batches.consume', { batchId: batch.id, inputLot: tanker.code, quantity: '24000', unit: 'kg' });
    const done = await app.ok(prod, 'batches.finish', { batchId: batch.id, quantity: '3200', location: 'WH-A-01' });
    expect(done.status).toBe('closed');
    expect(done.inputs.map((i) => i.lot).sort()).toEqual([lot.code, tanker.code].sort());
    const fg = done.output.code;
    // Shipping an unreleased finished lot is refused.
    expect(err(await app.call(prod, 'shipments.create', { shipmentCode: 'SH-001', customerCode: 'C001', date: '2026-01-05', lines: [{ lotCode: fg, quantity: '800', unit: 'kg' }] }))).toBe('errors.lot_not_usable_override');
    await app.ok(qa, 'lots.decide', { code: fg, decision: 'release', reason: 'all results reviewed', signature: sig('released') });
    await app.ok(prod, 'shipments.create', { shipmentCode: 'SH-001', customerCode: 'C001', date: '2026-01-05', lines: [{ lotCode: fg, quantity: '800', unit: 'kg' }] });
    const fgDetail = await app.ok(qa, 'lots.get', { code: fg });
    expect(fgDetail.lot.remaining).toBe('2400');
    expect(fgDetail.movements.map((m) => m.type).sort()).toEqual(['made_from', 'made_from', 'shipment']);
    expect(fgDetail.signatures.map((s) => [s.meaning, s.printedName, s.valid])).toEqual([['released', 'User qa.chen', true]]);
    const wpc = await app.ok(qa, 'lots.get', { code: lot.code });
    expect(wpc.lot.remaining).toBe('700');
    // The audit trail has every record of the path.
    const entities = new Set((await app.ok(qa, 'audit.query', { filter: {}, offset: 0, limit: 500 })).entries.map((e) => e.entity));
    for (const e of ['receipt', 'lot', 'batch', 'consumption', 'shipment', 'signature', 'code_sequence']) expect(entities.has(e), e).toBe(true);
  });

  it('refuses unapproved suppliers, implausible temperatures and wrong kinds with clear messages, writing nothing', async () => {
    const head = app.core.need().ledger.head().seq;
    expect(err(await receiveWpc({ supplierCode: 'SUP-X' }))).toBe('errors.supplier_not_approved');
    expect(err(await receiveWpc({ temperature: '85' }))).toBe('errors.temperature_implausible');
    expect(err(await receiveWpc({ materialCode: 'RAWMILK' }))).toBe('errors.material_wrong_kind');
    expect(err(await receiveWpc({ expiryDate: '2001-01-01' }))).toBe('errors.expired_on_receipt');
    expect(err(await app.call(prod, 'lots.receiveTanker', { supplierCode: 'SUP-W', farms: ['x'], vehicle: 'v', compartments: [{ no: 1, seal: 's', sealIntact: true }], quantity: '1', unit: 'kg', temperature: '4' }))).toBe('errors.supplier_wrong_kind');
    expect(app.core.need().ledger.head().seq).toBe(head);
  });

  it('consumption: quarantine needs a QA manager’s signed override; rejected, expired, over-quantity and cross-dimension are refused', async () => {
    const q = (await receiveWpc()).ok ? (await app.ok(qa, 'lots.list', { kind: 'ingredient' })).lots[0]!.code : '';
    const batch = await app.ok(prod, 'batches.start', { line: 'Line 1', outputKind: 'intermediate', itemCode: 'IF-1', unit: 'kg' });
    expect(err(await app.call(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '10', unit: 'kg' }))).toBe('errors.lot_not_usable_override');
    // The production user cannot sign an override; a QA manager can, at the same terminal.
    const bad = await app.call(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '10', unit: 'kg', override: { signerId: 'prod.wu', reason: 'urgent production', signature: sig('override') } });
    expect(err(bad)).toBe('errors.override_needs_qa');
    const ok = await app.ok(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '10', unit: 'kg', override: { signerId: 'qa.chen', reason: 'COA received, release pending paperwork', signature: sig('override') } });
    expect(ok.inputs[0]).toMatchObject({ lot: q, overridden: true });
    expect(err(await app.call(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '2', unit: 'can', override: { signerId: 'qa.chen', reason: 'units', signature: sig('override') } }))).toBe('errors.unit_dimension');
    expect(err(await app.call(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '991', unit: 'kg', override: { signerId: 'qa.chen', reason: 'too much', signature: sig('override') } }))).toBe('errors.over_remaining');
    // g into a kg lot converts exactly.
    await app.ok(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '500', unit: 'g', override: { signerId: 'qa.chen', reason: 'top-up', signature: sig('override') } });
    expect((await app.ok(qa, 'lots.get', { code: q })).lot.remaining).toBe('989.5');
    await app.ok(qa, 'lots.decide', { code: q, decision: 'reject', reason: 'COA out of specification', signature: sig('rejected') });
    expect(err(await app.call(prod, 'batches.consume', { batchId: batch.id, inputLot: q, quantity: '1', unit: 'kg', override: { signerId: 'qa.chen', reason: 'try anyway', signature: sig('override') } }))).toBe('errors.lot_rejected');
  });

  it('stock: counts, samples, waste, returns and signed adjustments with a reason; bad dates refused', async () => {
    await receiveWpc();
    const code = (await app.ok(qa, 'lots.list', { kind: 'ingredient' })).lots[0]!.code;
    await app.ok(prod, 'stock.record', { lotCode: code, movement: 'sample', quantity: '0.5', unit: 'kg', date: '2026-01-02' });
    await app.ok(prod, 'stock.record', { lotCode: code, movement: 'waste', quantity: '2', unit: 'kg', date: '2026-01-03' });
    expect(err(await app.call(prod, 'stock.record', { lotCode: code, movement: 'adjustment', quantity: '-1.5', unit: 'kg', date: '2026-01-04' }))).toBe('errors.reason_required');
    const after = await app.ok(prod, 'stock.record', { lotCode: code, movement: 'adjustment', quantity: '-1.5', unit: 'kg', date: '2026-01-04', reason: 'spillage found at count' });
    expect(after.remaining).toBe('996');
    expect(err(await app.call(prod, 'stock.record', { lotCode: code, movement: 'on_hand', quantity: '1', unit: 'kg', date: '2999-01-01' }))).toBe('errors.date_in_future');
    expect(err(await app.call(prod, 'stock.record', { lotCode: code, movement: 'waste', quantity: '-1', unit: 'kg', date: '2026-01-04' }))).toBe('errors.quantity_not_negative');
  });

  it('open ledger findings block accept and release until a QA manager reviews them; holds stay possible', async () => {
    await receiveWpc();
    const code = (await app.ok(qa, 'lots.list', { kind: 'ingredient' })).lots[0]!.code;
    app.core.startupFindings = [{ kind: 'row_modified', seq: 5, entity: 'user', id: 'x', detail: 'edited outside the app' }];
    expect(err(await app.call(qa, 'lots.decide', { code, decision: 'accept', reason: 'COA checked', signature: sig('accepted') }))).toBe('errors.ledger_blocked');
    expect((await app.call(qa, 'lots.decide', { code, decision: 'reject', reason: 'supplier recall', signature: sig('rejected') })).ok).toBe(true);
  });

  it('lot codes follow the configured pattern per kind; a pattern without {seq} is refused', async () => {
    const base = await app.ok(app.admin, 'settings.get', {});
    const bad = await app.call(app.admin, 'settings.update', { settings: { ...base, lotCodePatterns: { ingredient: 'WPC-{yyyyMMdd}' } }, reason: 'plant lot code rules' });
    expect(bad.ok).toBe(false);
    await app.ok(app.admin, 'settings.update', { settings: { ...base, lotCodePatterns: { ingredient: 'ING/{yyyy}/{seq}' } }, reason: 'plant lot code rules' });
    // A later settings change from a form that does not show the patterns keeps them.
    await app.ok(app.admin, 'settings.update', { settings: base, reason: 'idle timeout unchanged' });
    const r = await receiveWpc();
    expect(r.ok ? (r.data as { code: string }).code : null).toMatch(/^ING\/\d{4}\/001$/);
  });

  it('an inspector reads lots but cannot change anything', async () => {
    const insp = await app.userWith(['inspector'], 'insp.he');
    await receiveWpc();
    expect((await app.ok(insp, 'lots.list', {})).total).toBe(1);
    expect(err(await app.call(insp, 'stock.record', { lotCode: 'x', movement: 'on_hand', quantity: '1', unit: 'kg', date: '2026-01-01' }))).toBe('errors.forbidden');
  });
});
