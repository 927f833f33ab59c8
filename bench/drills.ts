/**
 * Recall drill bench (issue 12, "Bench"). Not part of `npm test`; prints one JSON object.
 *
 * A complete drill with its evidence pack, through the real dispatcher (zod in and out,
 * session and permission checks) as a QA manager, on a plant genealogy:
 *   start → the five steps (affected lots, stock, customers, mass balance, documents) →
 *   explain every finding → complete (e-signature `drill_completed`, the password checked
 *   as for any signature) → drills.evidence (PDF through Chromium + CSV),
 * each phase timed, (a) from a raw milk lot and (b) from an ingredient lot used across many
 * finished lots. Target: under 5 s in all, PDF included.
 *
 * The plant: bench/data.ts's generator (the ERP files of `npm run bench:data`), imported
 * into the app's own database through importFiles (the `lotseal import` pipeline: every
 * record through Ledger.write with its audit entry). By default ONE YEAR at the full plant's
 * daily volume (`--years 1 --scale 0.1`: data.ts spreads its ten-year totals over the years
 * asked for, so this is ~49 tankers, ~16 ingredient lots, ~4 base-powder batches and ~10
 * finished lots a day, each finished lot taking ~50 ingredient lots of the last month): the
 * genealogy of one lot (fan-in and fan-out) is the ten-year plant's, the tables hold a tenth
 * of its rows (the full ten years take over 4 minutes to import: docs/performance.md).
 *
 * The browser is started once before the drills (its start-up is reported on its own, as
 * `pdf_browser_start_ms`): a running app prints on a warm browser.
 *
 *   node --import tsx bench/drills.ts [--years 1] [--scale 0.1] [--dir DIR]
 *
 * or `npm run bench -- --only drills`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, type CoreLog } from '../src/main/app/core';
import type { Connection } from '../src/main/dispatcher/dispatcher';
import { ChromiumPdfPrinter } from '../src/main/documents/chromium-printer';
import { fileKinds, type ImportFiles } from '../src/main/import/formats';
import { passphraseProtector } from '../src/main/ledger/keys';
import { evidenceHtml } from '../src/main/recall/evidence';
import { traceLot } from '../src/main/trace/trace';
import type { ChannelInput, ChannelName, ChannelOutput } from '../src/shared/contract';
import { generatePlantData, mulberry32, seedPlantCatalog } from './data';
import * as plant from '../tests/fixtures/plant';
import { inProcessHost } from '../tests/fixtures/plant';

const r2 = (x: number): number => Math.round(x * 100) / 100;

const quiet: CoreLog = {
  refused: () => undefined,
  error: (i) => console.error(i.channel, i.error),
  info: () => undefined,
};

const PASSWORD = 'bench-user-password';
const TARGET_MS = 5_000;

export interface DrillsBenchOptions {
  /** Years of plant history (default 1). */
  years?: number;
  /** data.ts scale: its ten-year totals times this, spread over `years` (default 0.1 = the full daily volume for one year). */
  scale?: number;
  seed?: number;
  /** Working folder (default: a temporary one, removed afterwards). */
  dir?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export async function runDrillsBench(opts: DrillsBenchOptions = {}): Promise<Record<string, unknown>> {
  const years = opts.years ?? 1;
  const scale = opts.scale ?? 0.1;
  const progress = opts.onProgress ?? (() => undefined);
  const work = opts.dir ?? mkdtempSync(join(tmpdir(), 'lotseal-drills-bench-'));
  const dataDir = join(work, 'app');
  const erpDir = join(work, 'erp');
  const printer = new ChromiumPdfPrinter();
  const core = new AppCore({
    dataDir,
    hostKind: 'harness',
    protector: passphraseProtector('bench passphrase'),
    host: 'bench-host',
    log: quiet,
    timeZone: 'Asia/Shanghai',
    pdf: printer,
  });
  const benchStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  try {
    const call = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) => {
      const r = await core.dispatcher.call(c, name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.data as ChannelOutput<K>;
    };
    // The QA manager from the plant fixtures (tests/fixtures/plant), through the contract.
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, {
      userId: 'admin',
      printedName: 'Bench admin',
      password: 'bench-admin-password',
    });
    const qa = (
      await plant.staff(host, admin, { qa: { ...plant.benchPeople(PASSWORD).qa, printedName: 'Bench QA manager' } })
    ).qa.link.connection;

    // --- the plant: data.ts's ERP files, imported through the lotseal import pipeline ------
    const g0 = performance.now();
    const rows = generatePlantData({ out: erpDir, scale, years, seed: opts.seed ?? 20260301 });
    const generateMs = performance.now() - g0;
    progress('generated', 1, 2);
    const files: ImportFiles = {};
    for (const k of fileKinds) files[k] = join(erpDir, `${k}.csv`);
    const ledger = core.need().ledger;
    const i0 = performance.now();
    seedPlantCatalog(core.need().catalog, { id: 'qa.bench', name: 'QA Bench' });
    const report = await core.need().imports.run({ id: 'erp.import', name: 'ERP import' }, files, { stagingDir: work });
    const importMs = performance.now() - i0;
    if (!report.ok) throw new Error(`import failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
    progress('imported', 2, 2);
    const db = ledger.db;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

    // --- the roots ------------------------------------------------------------------------
    // (a) raw milk: the widest forward genealogy among 100 random consumed tankers (the
    //     drill that has the most to find, not the one tanker that fed nothing);
    // (b) the ingredient lot that went into the most finished lots.
    const rand = mulberry32(12);
    const consumedMilk = (
      db
        .prepare(
          "SELECT DISTINCT c.input_lot AS code FROM consumption c JOIN lot l ON l.code = c.input_lot WHERE l.kind = 'raw_milk' ORDER BY 1",
        )
        .all() as Array<{ code: string }>
    ).map((r) => r.code);
    let rawRoot = consumedMilk[0]!;
    let rawForward = -1;
    for (let k = 0; k < 100; k++) {
      const code = consumedMilk[Math.floor(rand() * consumedMilk.length)]!;
      const n = traceLot(db, code)!.forward.length;
      if (n > rawForward) {
        rawForward = n;
        rawRoot = code;
      }
    }
    const ing = db
      .prepare(
        "SELECT c.input_lot AS code, count(DISTINCT c.output_lot) AS n FROM consumption c JOIN lot l ON l.code = c.input_lot WHERE l.kind = 'ingredient' GROUP BY c.input_lot ORDER BY n DESC, c.input_lot LIMIT 1",
      )
      .get() as { code: string; n: number };

    // --- the browser, once (a running app prints on a warm browser) ------------------------
    const b0 = performance.now();
    await printer.printHtml('<!doctype html><html><body><p>warm-up</p></body></html>', {
      pageWidthMm: 210,
      pageHeightMm: 297,
      marginsMm: 0,
    });
    const browserStartMs = performance.now() - b0;

    // --- one complete drill ---------------------------------------------------------------
    const drill = async (rootLot: string) => {
      const phases: Record<string, number> = {};
      const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        const out = await f();
        phases[name] = r2(performance.now() - t0);
        return out;
      };
      const t0 = performance.now();
      const started = await timed('start', () => call(qa, 'drills.start', { lotCode: rootLot, direction: 'both' }));
      const code = started.drill.code;
      let detail = started;
      for (const step of ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const) {
        detail = await timed(`step_${step}`, () => call(qa, 'drills.step', { code, step }));
      }
      const open = detail.findings.filter((f) => f.explanation === null);
      await timed('explain_findings', async () => {
        for (const f of open) {
          detail = await call(qa, 'drills.finding', {
            code,
            findingId: f.id,
            explanation: `checked against the ERP and the batch records: ${f.kind} ${f.ref} explained`,
          });
        }
      });
      const done = await timed('complete', () =>
        call(qa, 'drills.complete', { code, signature: { password: PASSWORD, meaning: 'drill_completed' } }),
      );
      const ev = await timed('evidence_pdf_csv', () => call(qa, 'drills.evidence', { code, locale: 'en' }));
      const totalMs = performance.now() - t0;
      const stepsMs = Object.entries(phases)
        .filter(([k]) => k.startsWith('step_'))
        .reduce((s, [, v]) => s + v, 0);
      const edges = traceLot(db, rootLot, { edges: true })?.edges;
      return {
        root_lot: rootLot,
        drill: code,
        affected_lots: done.lots.length,
        backward_lots: done.lots.filter((l) => l.direction === 'backward').length,
        forward_lots: done.lots.filter((l) => l.direction === 'forward').length,
        finished_lots: done.lots.filter((l) => l.kind === 'finished').length,
        shipments: done.customers.reduce((s, c) => s + c.shipments.length, 0),
        customers: done.customers.length,
        trace_edges: (edges?.backward.length ?? 0) + (edges?.forward.length ?? 0),
        documents: done.documents.length,
        findings: done.findings.length,
        findings_by_kind: Object.fromEntries(
          [...new Set(done.findings.map((f) => f.kind))].map((k) => [
            k,
            done.findings.filter((f) => f.kind === k).length,
          ]),
        ),
        accounted_pct: done.drill.accountedPct,
        status: done.drill.status,
        signatures: done.signatures.map((s) => s.meaning),
        pdf_bytes: Buffer.from(ev.base64, 'base64').length,
        csv_rows: ev.csv.trim().split('\r\n').length - 1,
        phases_ms: { ...phases, steps_total: r2(stepsMs) },
        total_ms: r2(totalMs),
        // The same drill on records that leave nothing to explain (no drills.finding calls).
        total_without_explanations_ms: r2(totalMs - (phases['explain_findings'] ?? 0)),
        target_ms: TARGET_MS,
        pass: totalMs < TARGET_MS,
      };
    };
    progress('drill', 0, 2);
    const fromRawMilk = await drill(rawRoot);
    progress('drill', 1, 2);
    const fromIngredient = await drill(ing.code);
    progress('drill', 2, 2);

    // --- where the time goes (ingredient root): the open drill's detail (what every step and
    //     every drills.finding call returns), the trace alone, the evidence HTML and its print.
    const svc = core.need();
    const p50 = async (n: number, f: () => unknown): Promise<number> => {
      const xs: number[] = [];
      for (let k = 0; k < n; k++) {
        const t0 = performance.now();
        await f();
        xs.push(performance.now() - t0);
      }
      xs.sort((a, b) => a - b);
      return r2(xs[Math.floor(xs.length / 2)]!);
    };
    const probe = await call(qa, 'drills.start', { lotCode: ing.code, direction: 'both' });
    const completed = svc.drills.detail(fromIngredient.drill);
    const edges = traceLot(db, ing.code, { edges: true })!.edges!;
    const head = ledger.head();
    let html = '';
    const parts = {
      detail_open_drill_ms: await p50(5, () => svc.drills.detail(probe.drill.code)),
      detail_completed_drill_ms: await p50(5, () => svc.drills.detail(fromIngredient.drill)),
      // drills.get through the dispatcher (the detail plus zod on the way out): what each
      // drills.step / drills.finding call returns after its write.
      drills_get_open_contract_ms: await p50(5, () => call(qa, 'drills.get', { code: probe.drill.code })),
      drills_get_completed_contract_ms: await p50(5, () => call(qa, 'drills.get', { code: fromIngredient.drill })),
      trace_with_edges_ms: await p50(5, () => traceLot(db, ing.code, { edges: true })),
      csv_ms: await p50(5, () => svc.drills.csv(fromIngredient.drill)),
      evidence_html_ms: await p50(5, () => {
        html = evidenceHtml(completed, edges, 'en', { seq: head.seq, hash: head.hash }, 'Asia/Shanghai');
      }),
      evidence_html_kb: r2(html.length / 1024),
      evidence_print_ms: await p50(3, () =>
        printer.printHtml(html, { pageWidthMm: 210, pageHeightMm: 297, marginsMm: 0 }),
      ),
      scrypt_signature_check_ms: await p50(3, () => svc.identity.authenticate('qa.bench', PASSWORD, 'bench')),
    };

    return {
      dataset: {
        generator: `bench/data.ts (years ${years}, scale ${scale}) imported with the composition root's ImportService`,
        years,
        scale,
        rows: rows,
        lots: count('SELECT count(*) AS n FROM lot'),
        finished_lots: count("SELECT count(*) AS n FROM lot WHERE kind = 'finished'"),
        consumption_rows: count('SELECT count(*) AS n FROM consumption'),
        shipments: count('SELECT count(*) AS n FROM shipment'),
        customers: count('SELECT count(*) AS n FROM customer'),
        audit_entries: ledger.head().seq,
        generate_s: r2(generateMs / 1000),
        import_s: r2(importMs / 1000),
        db_mb: r2(statSync(core.dbFile).size / 2 ** 20),
      },
      roots: {
        raw_milk: {
          lot: rawRoot,
          forward_lots: rawForward,
          chosen: 'widest forward genealogy of 100 random consumed tankers',
        },
        ingredient: {
          lot: ing.code,
          finished_lots_using_it: ing.n,
          chosen: 'the ingredient lot in the most finished lots',
        },
      },
      pdf_browser_start_ms: r2(browserStartMs),
      from_raw_milk: fromRawMilk,
      from_ingredient: fromIngredient,
      parts_p50_ingredient_root: parts,
      target_ms: TARGET_MS,
      pass: fromRawMilk.pass && fromIngredient.pass,
      notes: [
        `Scaled down: ${years} year(s) of the plant at full daily volume (data.ts --years ${years} --scale ${scale}), not ten years; a lot's genealogy has the ten-year plant's shape, the tables a tenth of its rows.`,
        'Every call goes through the dispatcher as a signed-in QA manager; complete checks the password (scrypt) for the signature.',
        'Imported (ERP) lots have no LotSeal batch records: each produced lot in the drill is a no_batch_record finding, explained one by one (one drills.finding call each).',
        'The Chromium start-up is outside the drill totals (pdf_browser_start_ms); the evidence PDF is printed on the warm browser.',
      ],
      total_s: r2((performance.now() - benchStarted) / 1000),
      cpu_s: r2((process.cpuUsage(cpuStarted).user + process.cpuUsage(cpuStarted).system) / 1e6),
      load_average_1m: r2(loadavg()[0] ?? 0),
    };
  } finally {
    core.close();
    if (!opts.dir) rmSync(work, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const o: DrillsBenchOptions = {
    onProgress: (phase, done, total) => process.stderr.write(`drills ${phase}: ${done}/${total}\n`),
  };
  const years = arg('years');
  const scale = arg('scale');
  const dir = arg('dir');
  if (years !== undefined) o.years = Number(years);
  if (scale !== undefined) o.scale = Number(scale);
  if (dir) o.dir = dir;
  runDrillsBench(o)
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
