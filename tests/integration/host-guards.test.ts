import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/main/app/core';
import type { Services } from '../../src/main/app/compose';
import { cliServices } from '../../src/main/cli/common';
import { openDatabase } from '../../src/main/db/store';
import { runImportJob, type ImportWorkerMessage } from '../../src/main/app/import-worker';
import { AnchorStore } from '../../src/main/ledger/anchor';
import { loadOrCreateHostKey, passphraseProtector, type HostKey } from '../../src/main/ledger/keys';
import { enrolHost } from '../../src/main/identity/enrolment';
import type { Ledger } from '../../src/main/ledger/ledger';
import { ADMIN_PASSWORD, quietLog, testKeyProtector } from '../helpers/core';
import { controlsWorld, errKey, sign, type ControlsWorld } from '../helpers/controls-world';
import { lotsealAsync } from '../helpers/cli';
import { translate } from '../../src/shared/i18n';

/**
 * Issue 19 §8: no host without its guards. Every host — the desktop app and the browser
 * harness (AppCore), the `lotseal` command, the import worker and the tests' app — builds its
 * services through the one composition root; this test builds each of them on the same
 * database and shows every cross-capability rule acting there.
 */
/** An administrator enrols a host's key (signed `enrolled`), as `lotseal host enrol` and the settings screen do. */
async function enrol(s: Services, key: HostKey): Promise<void> {
  const admin = await s.identity.authenticateSigner('admin', ADMIN_PASSWORD);
  enrolHost(
    s.ledger,
    s.identity,
    admin,
    { id: key.id, publicKey: key.publicKey, fingerprint: key.fingerprint, host: key.host, hostKind: key.hostKind },
    { thisHost: true },
  );
}

describe('every host builds its services with every guard (issue 19 §8)', () => {
  let w: ControlsWorld;
  const lots = { held: '', recalled: '', broken: '', alerted: '', tanker: '' };
  let swab: { sample: string; result: string };

  beforeAll(async () => {
    w = await controlsWorld();
    const { app, qa, prod, tech } = w;
    const ig = await w.ingredient('5000');
    lots.held = await w.finished(ig, '500');
    await app.ok(qa, 'disposition.decide', {
      lotCode: lots.held,
      decision: 'hold',
      reason: 'complaint',
      signature: sign('held'),
    });
    lots.recalled = await w.finished(ig, '500');
    await app.ok(qa, 'drills.start', { mode: 'recall', lotCode: lots.recalled, reason: 'customer complaint' });
    lots.broken = await w.finished(ig, '500');
    // A correction of the released lot's quantity (ERP, with a reason) breaks its release signature.
    const f = join(app.dir, 'lots-correction.csv');
    const row = app.core.need().lots.mustLot(lots.broken);
    writeFileSync(
      f,
      `lot_code,kind,item_code,item_name,quantity,unit,date\n${lots.broken},finished,WMP,${row['item_name'] as string},480,kg,${row['lot_date'] as string}\n`,
    );
    const corr = await app.core.need().imports.run(
      { id: 'prod.wu', name: 'User prod.wu' },
      { lots: f },
      {
        stagingDir: app.dir,
        correctionReason: 'ERP correction: weighed again',
      },
    );
    expect(corr.errors).toEqual([]);
    // An open environmental alert on Line 2, and a lot made there awaiting release.
    lots.alerted = await w.finished(ig, '500', { release: false, line: 'Line 2' });
    await app.ok(qa, 'sites.save', {
      fields: {
        code: 'Z1-L2',
        nameZh: '2线',
        nameEn: 'Line 2 filler',
        kind: 'environment',
        zone: 1,
        line: 'Line 2',
        room: 'Filling 2',
        active: true,
      },
    });
    const s = await app.ok(tech, 'samples.register', {
      kind: 'environmental_swab',
      siteCode: 'Z1-L2',
      samplingPoint: 'nozzle',
      targets: ['cronobacter'],
      quantity: '1',
      unit: 'pcs',
      container: 'swab tube',
      receipt: { condition: 'intact' },
    });
    const [r] = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
    await app.ok(tech, 'results.enter', { id: r!.id, unitValues: ['present'] });
    await app.ok(tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') });
    swab = { sample: s.sample.code, result: r!.id };
    // A raw milk tanker (for the intake panel testing plans).
    await app.ok(qa, 'catalog.materials.save', {
      fields: { code: 'RAWMILK', nameZh: '生牛乳', nameEn: 'Raw milk', kind: 'raw_milk', defaultUnit: 'kg' },
    });
    await app.ok(qa, 'catalog.suppliers.save', {
      fields: {
        code: 'FARM-1',
        name: '牧场',
        kind: 'farm',
        approvalStatus: 'approved',
        approvedOn: null,
        lastAuditOn: null,
        nextAuditDue: null,
        contact: null,
        phone: null,
      },
    });
    lots.tanker = (
      await app.ok(prod, 'lots.receiveTanker', {
        supplierCode: 'FARM-1',
        farms: ['牧场'],
        vehicle: '宁A·1',
        compartments: [{ no: 1, seal: 'S-1', sealIntact: true }],
        quantity: '20000',
        unit: 'kg',
        temperature: '4.0',
      })
    ).code;
  });
  afterAll(() => w.app.close());

  const refusal = (e: unknown): string | null => {
    const err = (e as { error?: { messageKey?: string } }).error;
    return err?.messageKey ?? (e instanceof Error ? e.message : String(e));
  };

  /** The guards of one host's services, as outcomes; every host must give the same. */
  async function probe(s: Services, who: { id: string; name: string }): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    const ship = async (lot: string) => {
      try {
        await s.lots.ship(who, {
          shipmentCode: `SH-PROBE-${lot}`,
          customerCode: 'C001',
          date: w.today,
          lines: [{ lotCode: lot, quantity: '1', unit: 'kg' }],
        });
        return 'shipped';
      } catch (e) {
        return refusal(e);
      }
    };
    out['ship held'] = await ship(lots.held);
    out['ship recalled'] = await ship(lots.recalled);
    out['ship broken signature'] = await ship(lots.broken);
    try {
      await s.lots.decide('qa.chen', lots.alerted, 'release', 'probe', 'not-checked: refused before the password');
      out['release under an open alert'] = 'released';
    } catch (e) {
      out['release under an open alert'] = refusal(e);
    }
    out['readiness line environment'] = s.disposition
      .readiness(lots.alerted)
      .lines.find((l) => l.key === 'environment')!.ok;
    out['readiness line signature'] = s.disposition.readiness(lots.broken).lines.find((l) => l.key === 'signature')!.ok;
    // testing → intake: the tanker's panel and the supplier's sampling level.
    const tanker = s.lots.mustLot(lots.tanker);
    out['panel planned from intake'] = (s.testing.hooks.panelItems(tanker) ?? []).length > 0;
    out['sampling level from intake'] = s.testing.hooks.samplingLevel('FARM-1');
    // testing → environment, in a transaction rolled back: a positive swab raises an alert.
    const sampleRow = s.ledger.db.prepare('SELECT * FROM sample WHERE code = ?').get(swab.sample) as never;
    const resultRow = s.ledger.db.prepare('SELECT * FROM test_result WHERE id = ?').get(swab.result) as never;
    const head = s.ledger.head();
    let raised = false;
    // The hook raises an alert for a target with no open alert at the site (salmonella).
    try {
      s.ledger.write(who, (tx) => {
        const other = { ...(resultRow as object), id: 'probe', item_code: 'salmonella' } as never;
        s.testing.hooks.swabPositive(tx, other, sampleRow);
        raised = !!s.ledger.db.prepare("SELECT 1 FROM env_alert WHERE target = 'salmonella' AND status = 'open'").get();
        throw new Error('rollback');
      });
    } catch (e) {
      if (!(e instanceof Error) || e.message !== 'rollback') throw e;
    }
    out['positive swab raises an alert'] = raised;
    expect(s.ledger.head()).toEqual(head);
    // The import of this host's services: the same rules for shipments.
    const file = join(w.app.dir, `probe-${who.id}-${Date.now()}.csv`);
    writeFileSync(
      file,
      'shipment_code,lot_code,customer_code,quantity,unit,date\n' +
        [lots.held, lots.recalled, lots.broken].map((l, i) => `SH-IMP-${i},${l},C001,1,kg,${w.today}`).join('\n') +
        '\n',
    );
    const rep = await s.imports.run(who, { shipments: file }, { stagingDir: w.app.dir, dryRun: true });
    out['import shipments'] = rep.errors.map((e) => e.code);
    return out;
  }

  const expected = {
    'ship held': 'errors.lot_held',
    'ship recalled': 'errors.lot_under_recall',
    'ship broken signature': 'errors.lot_signature_broken',
    'release under an open alert': 'errors.lot_env_alert',
    'readiness line environment': false,
    'readiness line signature': false,
    'panel planned from intake': true,
    'sampling level from intake': 'normal',
    'positive swab raises an alert': true,
    'import shipments': ['ship_held', 'ship_under_recall', 'ship_signature_broken'],
  };

  it('the tests’ app (AppCore, harness key)', async () => {
    expect(await probe(w.app.core.need(), { id: 'prod.wu', name: 'User prod.wu' })).toEqual(expected);
  });

  for (const hostKind of ['desktop', 'harness'] as const) {
    it(`the ${hostKind} host's core (AppCore, opened on the same database)`, async () => {
      const core = new AppCore({
        dataDir: w.app.dir,
        hostKind,
        // The harness host's key is the tests' app's own (same data folder); the desktop host gets its own.
        protector: hostKind === 'harness' ? testKeyProtector() : passphraseProtector('desktop-probe-passphrase'),
        host: `probe-${hostKind}`,
        log: quietLog,
      });
      try {
        // A new host writes only once an administrator has enrolled its key (issue 18 §5).
        if (hostKind === 'desktop') await enrol(core.need(), core.key);
        expect(await probe(core.need(), { id: 'prod.wu', name: 'User prod.wu' })).toEqual(expected);
      } finally {
        core.close();
      }
    });
  }

  it('the lotseal command’s services (cliServices)', async () => {
    const dir = w.app.dir;
    const key = loadOrCreateHostKey(dir, 'cli', 'probe-cli', passphraseProtector('cli-test-passphrase'), Date.now());
    const ledger: Ledger = openDatabase(join(dir, 'lotseal.db'), {
      key,
      workstation: 'cli@probe',
      timeZone: w.app.core.timeZone,
      anchors: AnchorStore.forDataDir(dir),
    });
    try {
      const s = await cliServices({ dataDir: dir, db: join(dir, 'lotseal.db') }, ledger);
      await enrol(s, key);
      expect(await probe(s, { id: 'prod.wu', name: 'User prod.wu' })).toEqual(expected);
    } finally {
      ledger.db.close();
    }
  });

  it('the import worker’s services (runImportJob)', async () => {
    const file = join(w.app.dir, 'worker-shipments.csv');
    writeFileSync(
      file,
      'shipment_code,lot_code,customer_code,quantity,unit,date\n' +
        [lots.held, lots.recalled, lots.broken].map((l, i) => `SH-W-${i},${l},C001,1,kg,${w.today}`).join('\n') +
        '\n',
    );
    const head = w.head();
    const msgs: ImportWorkerMessage[] = [];
    await runImportJob(
      {
        type: 'import',
        dbFile: w.app.core.dbFile,
        pkcs8: new Uint8Array(w.app.core.key.pkcs8()),
        keyMeta: { host: w.app.core.key.host, hostKind: w.app.core.key.hostKind, createdAt: w.app.core.key.createdAt },
        workstation: 'harness@worker',
        timeZone: w.app.core.timeZone,
        anchorsDataDir: w.app.dir,
        actor: { id: 'prod.wu', name: 'User prod.wu' },
        files: { shipments: file },
        stagingDir: w.app.dir,
      },
      (m) => msgs.push(m),
    );
    const done = msgs.find((m) => m.type === 'done');
    expect(done && done.type === 'done' ? done.report.errors.map((e) => e.code) : msgs).toEqual([
      'ship_held',
      'ship_under_recall',
      'ship_signature_broken',
    ]);
    expect(w.head()).toEqual(head);
  });

  it('`lotseal drill` sees holds and recalls as the app does (it once built a LotsService without its guards)', async () => {
    const pw = join(w.app.dir, 'qa-password.txt');
    writeFileSync(pw, 'user-password-01\n');
    const apw = join(w.app.dir, 'admin-password.txt');
    writeFileSync(apw, `${ADMIN_PASSWORD}\n`);
    const env = { dataDir: w.app.dir };
    const db = join(w.app.dir, 'lotseal.db');
    // This machine's CLI key is enrolled by an administrator first (issue 18 §5); the
    // cliServices case above may have enrolled it already (same data folder).
    const reg = await lotsealAsync(
      ['--db', db, 'host', 'enrol', '--user', 'admin', '--password-file', apw, '--json'],
      env,
    );
    expect(reg.code === 0 || reg.stderr.includes('already enrolled'), reg.stderr).toBe(true);
    const out = join(w.app.dir, 'drill-out');
    const r = await lotsealAsync(
      ['--db', db, 'drill', '--lot', lots.held, '--user', 'qa.chen', '--password-file', pw, '--out', out, '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { files: string[] };
    const detail = JSON.parse(readFileSync(j.files[0]!, 'utf8')) as { lots: Array<{ lot: string; held?: boolean }> };
    expect(detail.lots.find((l) => l.lot === lots.held)).toMatchObject({ held: true });
  });

  it('no service is built outside the composition root, and no hook is set after construction', () => {
    const root = join(__dirname, '..', '..', 'src');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(p);
      }
    };
    walk(root);
    const services =
      /new (LotsService|DrillsService|DispositionService|EnvService|TestingService|SamplesService|IntakeService|InstrumentsService|ImportService|LotControls|SpecService|CatalogService|DocumentsService)\(/;
    const lateHooks = /\.(hooks|onRegistered|decisionGuard|envGuard|releaseGuard)\s*=[^=]/;
    const offenders = files
      .filter((f) => !f.endsWith(join('app', 'compose.ts')))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => services.test(l) || lateHooks.test(l))
          .map((l) => `${f}: ${l.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('over the contract the same refusals reach the person, in their language, and write nothing', async () => {
    const { app, prod } = w;
    const head = w.head();
    const r2 = await app.call(prod, 'shipments.create', {
      shipmentCode: 'SH-X',
      customerCode: 'C001',
      date: w.today,
      lines: [{ lotCode: lots.recalled, quantity: '1', unit: 'kg' }],
    });
    expect(errKey(r2)).toBe('errors.lot_under_recall');
    const details = r2.ok ? {} : (r2.error.details ?? {});
    expect(translate('zh-CN', 'errors.lot_under_recall', details)).toContain('召回');
    expect(translate('zh-CN', 'errors.lot_under_recall', details)).toContain(lots.recalled);
    expect(translate('en', 'errors.lot_under_recall', details)).toContain('open recall');
    expect(w.head()).toEqual(head);
  });
});
