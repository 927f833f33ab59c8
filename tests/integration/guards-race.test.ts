import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdentityService } from '../../src/main/identity';
import { controlsWorld, errKey, sign, type ControlsWorld } from '../helpers/controls-world';

/**
 * Issue 19 §7: every guard is evaluated again inside the write transaction that acts on it.
 * Each test holds a guarded action between its password check (the `await`) and its write —
 * with a barrier, never a timer — while the change that should stop it commits, then lets it
 * go on and shows it refused, with nothing of it written.
 */
function barrier(identity: IdentityService) {
  const real = identity.authenticateSigner.bind(identity);
  let reached!: () => void;
  let release!: () => void;
  const atBarrier = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (release = r));
  const spy = vi
    .spyOn(identity, 'authenticateSigner')
    .mockImplementationOnce(async (user: string, password: string) => {
      const signer = await real(user, password);
      reached();
      await gate;
      return signer;
    });
  return { atBarrier, release, restore: () => spy.mockRestore() };
}

describe('guards inside the transaction (issue 19 §7)', () => {
  let w: ControlsWorld;
  beforeEach(async () => {
    w = await controlsWorld();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    w.app.close();
  });

  /** Runs `action` up to its barrier, commits `change`, lets the action go on; returns its result and the head after `change`. */
  async function race<T>(action: () => Promise<T>, change: () => Promise<void>) {
    const b = barrier(w.app.core.need().identity);
    const pending = action();
    await b.atBarrier;
    await change();
    const head = w.head();
    b.release();
    const result = await pending;
    b.restore();
    return { result, head };
  }

  it('release against a failing (positive) swab result submitted on the lot’s line: refused', async () => {
    const { app, qa, tech } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500', { release: false, line: 'Line 1' });
    await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z1-L1',
        nameZh: '1线灌装机',
        nameEn: 'Line 1 filler',
        kind: 'environment',
        zone: 1,
        line: 'Line 1',
        room: 'Filling 1',
        active: true,
      },
    });
    const s = await app.ok(tech, 'samples.register', {
      kind: 'environmental_swab',
      siteCode: 'Z1-L1',
      samplingPoint: 'nozzle',
      targets: ['cronobacter'],
      quantity: '1',
      unit: 'pcs',
      container: 'swab tube',
      receipt: { condition: 'intact' },
    });
    const [r] = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
    await app.ok(tech, 'results.enter', { id: r!.id, unitValues: ['present'] });
    const { result, head } = await race(
      () =>
        app.call(qa, 'lots.decide', { code: fg, decision: 'release', reason: 'ready', signature: sign('released') }),
      async () => {
        await app.ok(tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') });
      },
    );
    expect(errKey(result)).toBe('errors.lot_env_alert');
    expect(w.head()).toEqual(head);
    expect((await app.ok(qa, 'lots.get', { code: fg })).lot.status).toBe('on_hold');
  });

  it('a shipment with an override against a hold that reaches the lot: refused', async () => {
    const { app, qa, prod } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500', { release: false });
    const { result, head } = await race(
      () =>
        app.call(prod, 'shipments.create', {
          shipmentCode: 'SH-R1',
          customerCode: 'C001',
          date: w.today,
          lines: [{ lotCode: fg, quantity: '100', unit: 'kg' }],
          override: { signerId: 'qa.chen', reason: 'urgent order, released on CoA', signature: sign('override') },
        } as never),
      async () => {
        // The input is held with every forward lot with stock left (signed `held`).
        await app.ok(qa, 'disposition.decide', {
          lotCode: ig,
          decision: 'hold',
          reason: 'supplier notice',
          propagate: true,
          signature: sign('held'),
        });
      },
    );
    expect(errKey(result)).toBe('errors.lot_held');
    expect(w.head()).toEqual(head);
    expect(app.core.need().ledger.db.prepare('SELECT count(*) AS n FROM shipment').get()).toEqual({ n: 0 });
  });

  it('a consumption with an override against a recall opened on the input: refused', async () => {
    const { app, qa, prod } = w;
    const l = await app.ok(prod, 'lots.receive', {
      kind: 'ingredient',
      materialCode: 'WPC80',
      supplierCode: 'SUP-W',
      supplierLot: 'W-Q',
      quantity: '500',
      unit: 'kg',
      containers: 5,
      condition: 'intact',
    });
    const b = await app.ok(prod, 'batches.start', {
      line: 'Line 1',
      outputKind: 'finished',
      itemCode: 'WMP',
      unit: 'kg',
    });
    const { result, head } = await race(
      () =>
        app.call(prod, 'batches.consume', {
          batchId: b.id,
          inputLot: l.code,
          quantity: '10',
          unit: 'kg',
          override: { signerId: 'qa.chen', reason: 'in quarantine, CoA on file', signature: sign('override') },
        } as never),
      async () => {
        await app.ok(qa, 'drills.start', { mode: 'recall', lotCode: l.code, reason: 'supplier recall of W-Q' });
      },
    );
    expect(errKey(result)).toBe('errors.lot_under_recall');
    expect(w.head()).toEqual(head);
  });

  it('an audit-trail review against a change to one of the lot’s records: refused as stale', async () => {
    const { app, qa, prod } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500', { release: false });
    const through = (await app.ok(qa, 'disposition.auditEntries', { lotCode: fg })).headSeq;
    const { result, head } = await race(
      () =>
        app.call(qa, 'disposition.auditReview', {
          lotCode: fg,
          throughSeq: through,
          comment: 'reviewed every entry',
          signature: sign('audit_reviewed'),
        } as never),
      async () => {
        await app.ok(prod, 'stock.record', {
          lotCode: fg,
          movement: 'sample',
          quantity: '1',
          unit: 'kg',
          date: w.today,
        });
      },
    );
    expect(errKey(result)).toBe('errors.audit_review_stale');
    expect(w.head()).toEqual(head);
  });

  it('an environmental hold against the lot shipped out meanwhile: refused, nothing held', async () => {
    const { app, qa, tech } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500', { line: 'Line 1' });
    await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z1-L1',
        nameZh: '1线灌装机',
        nameEn: 'Line 1 filler',
        kind: 'environment',
        zone: 1,
        line: 'Line 1',
        room: 'Filling 1',
        active: true,
      },
    });
    const s = await app.ok(tech, 'samples.register', {
      kind: 'environmental_swab',
      siteCode: 'Z1-L1',
      samplingPoint: 'nozzle',
      targets: ['salmonella'],
      quantity: '1',
      unit: 'pcs',
      container: 'swab tube',
      receipt: { condition: 'intact' },
    });
    const [r] = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
    await app.ok(tech, 'results.enter', { id: r!.id, unitValues: ['present'] });
    await app.ok(tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') });
    const [alert] = await app.ok(qa, 'env.alerts.list', { status: 'open' });
    const { result, head } = await race(
      () =>
        app.call(qa, 'env.alerts.hold', {
          code: alert!.code,
          lotCodes: [fg],
          reason: 'Salmonella on the filler',
          signature: sign('held'),
        }),
      async () => {
        await w.ship('SH-OUT', fg, '500');
      },
    );
    expect(errKey(result)).toBe('errors.env_lot_not_holdable');
    expect(w.head()).toEqual(head);
  });

  it('a drill completion against a step that finds something new: refused until explained', async () => {
    const { app, qa, prod } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500');
    await w.ship('SH-1', fg, '100');
    const d = await app.ok(qa, 'drills.start', { lotCode: ig, direction: 'forward' });
    for (const step of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const)
      await app.ok(qa, 'drills.step', { code: d.drill.code, step });
    for (const f of (await app.ok(qa, 'drills.get', { code: d.drill.code })).findings)
      await app.ok(qa, 'drills.finding', {
        code: d.drill.code,
        findingId: f.id,
        explanation: 'explained for the test',
      });
    await app.ok(prod, 'catalog.customers.save', {
      fields: { code: 'C009', name: '新客户', contact: null, phone: null, address: null },
    } as never);
    const { result, head } = await race(
      () => app.call(qa, 'drills.complete', { code: d.drill.code, signature: sign('drill_completed') }),
      async () => {
        await w.ship('SH-2', fg, '50', 'C009');
        await app.ok(qa, 'drills.step', { code: d.drill.code, step: 'customers' });
      },
    );
    expect(errKey(result)).toBe('errors.drill_findings_unexplained');
    expect(w.head()).toEqual(head);
    expect((await app.ok(qa, 'drills.get', { code: d.drill.code })).drill.status).toBe('open');
  });

  it('a recall hold against a hold made meanwhile: the lots are found again, none signed twice', async () => {
    const { app, qa } = w;
    const ig = await w.ingredient();
    const a = await w.finished(ig, '500');
    const b = await w.finished(ig, '500');
    const rc = await app.ok(qa, 'drills.start', { mode: 'recall', lotCode: ig, reason: 'supplier notice' });
    const { result } = await race(
      () => app.call(qa, 'recalls.hold', { code: rc.drill.code, reason: 'recall', signature: sign('held') }),
      async () => {
        await app.ok(qa, 'disposition.decide', {
          lotCode: a,
          decision: 'hold',
          reason: 'complaint',
          signature: sign('held'),
        });
      },
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.data.held).toEqual([ig, b]);
    const held = app.core
      .need()
      .ledger.db.prepare(
        "SELECT count(*) AS n FROM signature s JOIN lot l ON l.id = s.entity_id WHERE s.entity = 'lot' AND s.meaning = 'held' AND l.code = ?",
      )
      .get(a) as { n: number };
    expect(held.n).toBe(1);
  });

  it('an import against a recall opened between its checks and its write: checked again under the lock, refused', async () => {
    const { app, qa } = w;
    const ig = await w.ingredient();
    const fg = await w.finished(ig, '500');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(app.dir, 'imp-'));
    const file = join(dir, 'shipments.csv');
    writeFileSync(
      file,
      `shipment_code,lot_code,customer_code,quantity,unit,date\nSH-ERP-1,${fg},C001,100,kg,${w.today}\n`,
    );
    const svc = app.core.need();
    let head: { seq: number; hash: string } | null = null;
    const report = await svc.imports.run(
      { id: 'prod.wu', name: 'User prod.wu' },
      { shipments: file },
      {
        stagingDir: dir,
        onProgress: (phase, done) => {
          // Between the checks and the write: a recall of the lot commits on another path.
          if (phase === 'check' && done === 1 && head === null) {
            svc.drills.start(
              { id: 'qa.chen', name: 'User qa.chen' },
              {
                mode: 'recall',
                lotCode: fg,
                scanned: false,
                direction: 'both',
                targetMinutes: 240,
                toleranceMin: '95',
                toleranceMax: '100',
                reason: 'customer complaint',
              },
            );
            head = w.head();
          }
        },
      },
    );
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.file, e.row, e.column, e.code])).toEqual([
      ['shipments.csv', 1, 'lot_code', 'ship_under_recall'],
    ]);
    expect(w.head()).toEqual(head);
    expect(svc.ledger.db.prepare('SELECT count(*) AS n FROM shipment').get()).toEqual({ n: 0 });
    void qa;
  });
});
