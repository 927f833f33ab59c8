/**
 * Testing bench (issue 8, "Bench"). Not part of `npm test`; prints one JSON object.
 *
 *  1. lot completeness: `results.completeness` through the real dispatcher (zod in and out,
 *     session and permission checks) for finished lots with ~74 specification items, all
 *     reviewed, on a database holding ten years of lots (target < 5 ms), p50/p95/p99 over
 *     `completenessCalls` random lots; the service call alone is timed too;
 *  2. entry of 1,000 results through the contract: `results.enter` one test at a time on
 *     freshly registered release samples (each call: zod, the entry, the recalculation of the
 *     sample's calculated and converted items, the ledger transaction with its audit
 *     entries, the views back); total and per-entry p50/p95/p99;
 *  3. the trend query: `trends.series` for one item over 10 years of lots (~3,650 reviewed
 *     results, target < 100 ms), p50/p95.
 *
 * The specification is the GB 10765-2021 milk-based pack completed as a plant would (as in
 * tests/integration/testing.test.ts) plus 18 plant items (tests/fixtures/plant/release-spec.ts): 74 items, 75 tests per release
 * sample with the reconstitution. It is approved through the contract with effect from
 * 2015-01-01. One template lot is tested end to end through the contract (entered, submitted
 * `authored`, reviewed `reviewed`); the ten years of history are then written through the one
 * write path (Ledger.write, ~10,000 records per transaction, each with its audit entry): a
 * finished lot a day with its release sample and reviewed results copied from the template,
 * every item for the newest `fullLots` lots and the trend item for the others, its value
 * drawn at random and judged by the same rules (computeMeasured). The history carries no
 * signature records (bulk-written, like an import): no query timed here reads them.
 *
 *   node --import tsx bench/testing.ts [--lots 3650] [--full-lots 2000] [--entries 1000] [--calls 200] [--dir DIR]
 *
 * or `npm run bench -- --only testing`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, type CoreLog } from '../src/main/app/core';
import type { Connection } from '../src/main/dispatcher/dispatcher';
import { passphraseProtector } from '../src/main/ledger/keys';
import type { Row, Value } from '../src/main/ledger/entities';
import type { LedgerWriter } from '../src/main/ledger/ledger';
import { L } from '../src/main/lots/entities';
import { T } from '../src/main/testing/entities';
import { S } from '../src/main/samples/entities';
import type { ChannelInput, ChannelName, ChannelOutput } from '../src/shared/contract';
import { LabDecimal, computeMeasured, controlLimits, westgardFlags, type TestItem } from '../src/shared/rules';
import * as plant from '../tests/fixtures/plant';
import { goodEntry, inProcessHost } from '../tests/fixtures/plant';

const r2 = (x: number): number => Math.round(x * 100) / 100;
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: r2(percentile(s, 50)),
    p95: r2(percentile(s, 95)),
    p99: r2(percentile(s, 99)),
    max: r2(s.at(-1) ?? 0),
    mean: r2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
    n: s.length,
  };
};

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quiet: CoreLog = {
  refused: () => undefined,
  error: (i) => console.error(i.channel, i.error),
  info: () => undefined,
};

const DAY = 86_400_000;
const BATCH = 10_000;
const PRODUCT = 'IF-1';
/** The trend item: measured, not an input of any formula, not converted (mg/kg). */
const TREND_ITEM = 'nitrite';
const PASSWORD = 'bench-user-password';

export interface TestingBenchOptions {
  /** Finished lots of history, one a day (default 3,650: ten years). */
  lots?: number;
  /** The newest lots that have every item (default 2,000); older ones have the trend item only. */
  fullLots?: number;
  /** Results entered through results.enter (default 1,000). */
  entries?: number;
  /** Timed completeness calls (default 200). */
  calls?: number;
  /** Timed trend calls (default 30). */
  trendCalls?: number;
  /** Data folder (default: a temporary one, removed afterwards). */
  dir?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export async function runTestingBench(opts: TestingBenchOptions = {}): Promise<Record<string, unknown>> {
  const lotsTotal = opts.lots ?? 3650;
  const fullLots = Math.min(opts.fullLots ?? 2000, lotsTotal);
  const entriesWanted = opts.entries ?? 1000;
  const calls = opts.calls ?? 200;
  const trendCalls = opts.trendCalls ?? 30;
  const progress = opts.onProgress ?? (() => undefined);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lotseal-testing-bench-'));
  const rand = rng(20260308);
  const core = new AppCore({
    dataDir: dir,
    hostKind: 'harness',
    protector: passphraseProtector('bench passphrase'),
    host: 'bench-host',
    log: quiet,
    timeZone: 'Asia/Shanghai',
  });
  const benchStarted = performance.now();
  try {
    const call = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) => {
      const r = await core.dispatcher.call(c, name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.data as ChannelOutput<K>;
    };
    // People, the product and its approved specification, from the plant fixtures
    // (tests/fixtures/plant) through the contract.
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, {
      userId: 'admin',
      printedName: 'Bench admin',
      password: 'bench-admin-password',
    });
    const people = await plant.staff(host, admin, plant.benchPeople(PASSWORD));
    const [qa, tech, rev] = [people.qa, people.tech, people.rev].map((m) => m.link.connection) as [
      Connection,
      Connection,
      Connection,
    ];
    const sign = (meaning: 'approved' | 'authored' | 'reviewed') => ({ password: PASSWORD, meaning });

    // --- the product and its approved specification (contract) ---------------------------
    const productId = await plant.product(people.qa, {
      ...plant.PRODUCTS.if1,
      nameZh: '婴儿配方奶粉 1段',
      shelfLifeDays: 720,
    });
    await plant.approveReleaseSpec(people.qa, { productId, resourcesDir: core.resourcesDir });
    const items = plant.releaseSpecItems(core.resourcesDir);

    const newReleaseSample = async (): Promise<{ lot: string; sample: string }> => {
      const lot = (await plant.makeLot(people.prod, { itemCode: PRODUCT, line: 'Line 2' })).code;
      return { lot, sample: (await plant.releaseSample(people.tech, lot)).code };
    };
    const entryOf = (r: { id: string; item: TestItem }) => ({ id: r.id, ...goodEntry(r.item) });

    // --- the template lot, end to end through the contract --------------------------------
    const template = await newReleaseSample();
    let planned = (await call(tech, 'results.forSample', { sampleCode: template.sample })).results;
    // The micro cultures are on record before their values (D-111).
    await call(tech, 'results.microStart', {
      ids: planned.filter((r) => r.micro?.stage === 'not_started').map((r) => r.id),
    });
    await call(tech, 'results.enterMany', { entries: planned.filter((r) => !r.calculated).map(entryOf) });
    await call(tech, 'results.submit', { sampleCode: template.sample, signature: sign('authored') });
    planned = (await call(tech, 'results.forSample', { sampleCode: template.sample })).results;
    await call(rev, 'results.review', {
      ids: planned.map((r) => r.id),
      decision: 'approve',
      signature: sign('reviewed'),
    });
    planned = (await call(tech, 'results.forSample', { sampleCode: template.sample })).results;
    const notPassing = planned
      .filter((r) => r.verdict !== 'pass' && r.verdict !== 'none')
      .map((r) => `${r.itemCode}: ${r.verdict} ${r.verdictReason}`);
    const templateCompleteness = await call(qa, 'results.completeness', { lotCode: template.lot });

    const services = core.need();
    const ledger = services.ledger;
    const db = ledger.db;
    const sampleRow = db.prepare('SELECT * FROM sample WHERE code = ?').get(template.sample) as Row;
    const templateRows = db
      .prepare('SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 ORDER BY position, attempt')
      .all(sampleRow.id) as Row[];
    const trendRow = templateRows.find((r) => r['item_code'] === TREND_ITEM)!;
    const trendItem = JSON.parse(trendRow['item'] as string) as TestItem;

    // --- ten years of history through Ledger.write ----------------------------------------
    const actor = { id: 'tech.bench', name: 'Bench tech.bench' };
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const historyLots: string[] = [];
    const fullLotCodes: string[] = [];
    const pending: Array<(w: LedgerWriter) => number> = [];
    let pendingRecords = 0;
    let records = 0;
    let resultsWritten = 0;
    let trendFailures = 0;
    const flush = (): void => {
      if (!pending.length) return;
      ledger.write(actor, (w) => {
        for (const f of pending) records += f(w);
      });
      pending.length = 0;
      pendingRecords = 0;
    };
    const generateStarted = performance.now();
    for (let d = 0; d < lotsTotal; d++) {
      const at = today - (lotsTotal - d) * DAY + 2 * 3_600_000;
      const date = new Date(at).toISOString().slice(0, 10);
      const ymd = date.replace(/-/g, '');
      const lotCode = `BF-${ymd}-01`;
      const sampleCode = `SB${ymd.slice(2)}-0001`;
      const full = d >= lotsTotal - fullLots;
      historyLots.push(lotCode);
      if (full) fullLotCodes.push(lotCode);
      // Nitrite ~ 0.80 ± 0.15 mg/kg, a few excursions above the limit.
      const u = rand() + rand() + rand() - 1.5;
      const nitrite = new LabDecimal(0.8 + u * 0.3 + (rand() < 0.003 ? 1.5 : 0)).abs().toFixed(2);
      const trend = computeMeasured(trendItem, { replicates: [nitrite] });
      if (trend.verdict === 'fail') trendFailures++;
      const rows = full ? templateRows : [trendRow];
      pendingRecords += 2 + rows.length;
      resultsWritten += rows.length;
      pending.push((w) => {
        w.create(L.lot, {
          code: lotCode,
          kind: 'finished',
          item_code: PRODUCT,
          item_name: 'Infant formula stage 1',
          quantity: '3200',
          unit: 'kg',
          lot_date: date,
          supplier_code: null,
          supplier_lot: null,
          expiry_date: new Date(at + 720 * DAY).toISOString().slice(0, 10),
          location: 'WH-A',
          status: 'released',
          // History as an ERP import leaves it (a lot created decided needs a signature otherwise, docs/ledger.md §3.3).
          origin: 'import',
          receipt_id: null,
          batch_id: null,
        });
        const sampleId = randomUUID();
        const sampleFields: Record<string, Value> = {};
        for (const c of S.sample.columns) sampleFields[c] = sampleRow[c] ?? null;
        w.create(
          S.sample,
          {
            ...sampleFields,
            code: sampleCode,
            lot_code: lotCode,
            taken_at: at,
            received_at: at + 600_000,
            status: 'complete',
            note: null,
          },
          { id: sampleId },
        );
        for (const t of rows) {
          const fields: Record<string, Value> = {};
          for (const c of T.result.columns) fields[c] = t[c] ?? null;
          Object.assign(fields, {
            sample_id: sampleId,
            sample_code: sampleCode,
            lot_code: lotCode,
            due_at: at + 48 * 3_600_000,
            analyst_id: 'tech.bench',
            entered_at: at + DAY,
            submitted_by: 'tech.bench',
            submitted_at: at + DAY,
            reviewed_by: 'rev.bench',
            reviewed_at: at + 2 * DAY,
          });
          if (t['item_code'] === TREND_ITEM) {
            Object.assign(fields, {
              replicates: JSON.stringify([nitrite]),
              value: trend.value,
              reported: trend.reported,
              verdict: trend.verdict,
              verdict_reason: trend.reason,
              verdict_details: JSON.stringify(trend.details),
            });
          }
          w.create(T.result, fields);
        }
        return 2 + rows.length;
      });
      if (pendingRecords >= BATCH) flush();
      if ((d + 1) % 365 === 0 || d + 1 === lotsTotal) progress('history', d + 1, lotsTotal);
    }
    flush();
    const generateMs = performance.now() - generateStarted;
    db.exec('ANALYZE');

    // --- 1. completeness -------------------------------------------------------------------
    const pick = () => fullLotCodes[Math.floor(rand() * fullLotCodes.length)]!;
    for (let i = 0; i < 10; i++) await call(qa, 'results.completeness', { lotCode: pick() }); // warm-up
    const completenessTimes: number[] = [];
    let itemsPerLot = 0;
    let completeLots = 0;
    for (let i = 0; i < calls; i++) {
      const lotCode = pick();
      const t0 = performance.now();
      const c = await call(qa, 'results.completeness', { lotCode });
      completenessTimes.push(performance.now() - t0);
      itemsPerLot = Math.max(itemsPerLot, c.items.length);
      if (c.complete) completeLots++;
    }
    const serviceTimes: number[] = [];
    for (let i = 0; i < calls; i++) {
      const lotCode = pick();
      const t0 = performance.now();
      services.testing.completeness(lotCode);
      serviceTimes.push(performance.now() - t0);
    }
    // Where the time goes: the specification version in force (SamplesService.specVersionFor,
    // which builds the full SpecService view) and the version's items.
    const timeEach = (f: (lot: string) => unknown, n = 50): ReturnType<typeof stats> => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const lot = pick();
        const t0 = performance.now();
        f(lot);
        xs.push(performance.now() - t0);
      }
      return stats(xs);
    };
    const versionId = services.samples.specVersionFor(fullLotCodes[0]!)!;
    const completenessParts = {
      spec_version_for_ms: timeEach((lot) => services.samples.specVersionFor(lot)).p50,
      version_items_ms: timeEach(() => services.specs.versionItems(versionId)).p50,
      lot_results_query_ms: timeEach((lot) =>
        db
          .prepare(
            "SELECT r.* FROM test_result r JOIN sample s ON s.id = r.sample_id WHERE r.lot_code = ? AND r.retired = 0 AND s.status <> 'cancelled' AND r.plan_reason <> 'parameter' AND s.kind IN ('finished_release', 'incoming_inspection', 'raw_milk_tanker') ORDER BY r.position, r.attempt",
          )
          .all(lot),
      ).p50,
    };
    progress('completeness', calls, calls);

    // --- 2. entry of 1,000 results through the contract -----------------------------------
    const setupStarted = performance.now();
    const todo: Array<{ id: string; item: TestItem }> = [];
    let entrySamples = 0;
    while (todo.length < entriesWanted) {
      const s = await newReleaseSample();
      entrySamples++;
      const rs = (await call(tech, 'results.forSample', { sampleCode: s.sample })).results;
      await call(tech, 'results.microStart', {
        ids: rs.filter((r) => r.micro?.stage === 'not_started').map((r) => r.id),
      });
      todo.push(...rs.filter((r) => !r.calculated));
    }
    todo.length = entriesWanted;
    const entrySetupMs = performance.now() - setupStarted;
    const seqBefore = ledger.head().seq;
    const entryTimes: number[] = [];
    const entryStarted = performance.now();
    for (const [k, r] of todo.entries()) {
      const t0 = performance.now();
      await call(tech, 'results.enter', entryOf(r));
      entryTimes.push(performance.now() - t0);
      if ((k + 1) % 250 === 0) progress('entry', k + 1, todo.length);
    }
    const entryTotalMs = performance.now() - entryStarted;
    const auditEntriesPerEntry = (ledger.head().seq - seqBefore) / todo.length;

    // --- 3. trends over ten years ---------------------------------------------------------
    const trendInput = { productCode: PRODUCT, itemCode: TREND_ITEM, limit: 5000 };
    const first = await call(qa, 'trends.series', trendInput);
    const trendTimes: number[] = [];
    for (let i = 0; i < trendCalls; i++) {
      const t0 = performance.now();
      await call(qa, 'trends.series', trendInput);
      trendTimes.push(performance.now() - t0);
    }
    const trendServiceTimes: number[] = [];
    for (let i = 0; i < Math.min(10, trendCalls); i++) {
      const t0 = performance.now();
      services.testing.trends.trendSeries(trendInput);
      trendServiceTimes.push(performance.now() - t0);
    }
    const trendValues = first.points.map((p) => p.reported);
    const trendParts = {
      westgard_flags_ms: timeEach(() => westgardFlags(trendValues), 5).p50,
      control_limits_ms: timeEach(() => controlLimits(trendValues), 5).p50,
    };
    progress('trend', trendCalls, trendCalls);

    const completeness = stats(completenessTimes);
    const entry = stats(entryTimes);
    const trend = stats(trendTimes);
    const targets = { completeness_p95_ms: 5, trend_p95_ms: 100 };
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      dataset: {
        spec_items: items.length,
        tests_per_release_sample: templateRows.length,
        finished_lots: count("SELECT count(*) AS n FROM lot WHERE kind = 'finished'"),
        lots_with_every_item: fullLots,
        test_results: count('SELECT count(*) AS n FROM test_result'),
        history_results_written: resultsWritten,
        audit_entries: ledger.head().seq,
        history_records_written: records,
        generate_s: r2(generateMs / 1000),
        db_mb: r2(statSync(core.dbFile).size / 2 ** 20),
        lots_failing_trend_item: trendFailures,
        template_not_passing: notPassing,
        template_complete: templateCompleteness.complete,
      },
      completeness: {
        channel: 'results.completeness',
        items_per_lot: itemsPerLot,
        // The others have a failing trend-item result (the rare excursions drawn above).
        complete_lots: `${completeLots}/${calls}`,
        contract_ms: completeness,
        service_ms: stats(serviceTimes),
        parts_p50: completenessParts,
        target_ms: targets.completeness_p95_ms,
        pass: completeness.p95 < targets.completeness_p95_ms,
      },
      entry: {
        channel: 'results.enter',
        entries: todo.length,
        samples: entrySamples,
        sample_setup_ms: r2(entrySetupMs),
        total_ms: r2(entryTotalMs),
        per_entry_ms: entry,
        entries_per_s: r2(todo.length / (entryTotalMs / 1000)),
        audit_entries_per_entry: r2(auditEntriesPerEntry),
        note: 'each call: zod, entry, recalculation of the sample (calculated and converted items), one ledger transaction (fsync), result views',
      },
      trend: {
        channel: 'trends.series',
        item: TREND_ITEM,
        points: first.points.length,
        first_lot_date: first.points[0]?.lotDate ?? null,
        last_lot_date: first.points.at(-1)?.lotDate ?? null,
        flagged_points: first.points.filter((p) => p.rules.length > 0).length,
        contract_ms: trend,
        service_ms: stats(trendServiceTimes),
        parts_p50: trendParts,
        target_ms: targets.trend_p95_ms,
        pass: trend.p95 < targets.trend_p95_ms,
      },
      targets,
      pass: completeness.p95 < targets.completeness_p95_ms && trend.p95 < targets.trend_p95_ms,
      total_s: r2((performance.now() - benchStarted) / 1000),
      load_average_1m: r2(loadavg()[0] ?? 0),
      query_plans: {
        completeness: (
          db
            .prepare(
              "EXPLAIN QUERY PLAN SELECT r.* FROM test_result r JOIN sample s ON s.id = r.sample_id WHERE r.lot_code = ? AND r.retired = 0 AND s.status <> 'cancelled' AND r.plan_reason <> 'parameter' AND s.kind IN ('finished_release')",
            )
            .all('x') as Array<{ detail: string }>
        ).map((r) => r.detail),
        trend: (
          db
            .prepare(
              "EXPLAIN QUERY PLAN SELECT r.id FROM test_result r JOIN lot l ON l.code = r.lot_code WHERE r.product_code = ? AND r.item_code = ? AND r.status = 'reviewed' AND r.retired = 0 ORDER BY l.lot_date DESC, r.lot_code DESC LIMIT ?",
            )
            .all('x', 'y', 1) as Array<{ detail: string }>
        ).map((r) => r.detail),
      },
    };
  } finally {
    core.close();
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const num = (name: string) => (arg(name) !== undefined ? Number(arg(name)) : undefined);
  const o: TestingBenchOptions = {
    onProgress: (phase, done, total) => process.stderr.write(`testing ${phase}: ${done}/${total}\n`),
  };
  const lots = num('lots');
  const fullLots = num('full-lots');
  const entries = num('entries');
  const calls = num('calls');
  const dir = arg('dir');
  if (lots !== undefined) o.lots = lots;
  if (fullLots !== undefined) o.fullLots = fullLots;
  if (entries !== undefined) o.entries = entries;
  if (calls !== undefined) o.calls = calls;
  if (dir) o.dir = dir;
  runTestingBench(o)
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
