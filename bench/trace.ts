/**
 * Trace bench (issue 6, "Bench"; figures in docs/performance.md). Not part of `npm test`.
 *
 *  - one lot: traceLot (genealogy both ways, shipments, customers, mass balance) plus its
 *    contract JSON, p50/p95/p99 over `samples` random lots (target p95 < 20 ms);
 *  - wide recall: the traces of 200 raw milk lots received in a row (a farm or a tanker
 *    route gone bad), with the union of the lots, shipments and customers reached, total
 *    time (target < 500 ms).
 *
 * On the plant-scale dataset (bench:data + `lotseal import`) pass its database. When the
 * file does not exist, a mid-size synthetic plant (one year, about a tenth of the ten
 * years: ~18,000 tankers, ~7,000 ingredient lots, ~1,500 intermediate and ~3,650 finished
 * lots, ~200,000 consumption rows, ~8,000 shipments to 500 customers, fan-in and fan-out
 * from recent inputs) is written there first, through Ledger.write in batches, so the bench
 * runs standalone.
 *
 *   node --import tsx bench/trace.ts [--db FILE] [--samples 1000] [--days 365]
 *
 * or `import { runTraceBench } from './trace'` (not wired into bench/run.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { C } from '../src/main/catalog/entities';
import { openSqlite, type Db } from '../src/main/db/database';
import { createDatabase } from '../src/main/db/store';
import { createHostKey, passphraseProtector } from '../src/main/ledger/keys';
import type { LedgerWriter } from '../src/main/ledger/ledger';
import { L } from '../src/main/lots/entities';
import { traceLot } from '../src/main/trace/trace';
import { traceToJson } from '../src/main/trace/trace-json';

const r2 = (x: number): number => Math.round(x * 100) / 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same plant and the same sample. */
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

export interface SyntheticPlantOptions {
  days?: number;
  seed?: number;
  onProgress?: (day: number, days: number) => void;
}

/**
 * Writes a synthetic plant into a NEW database file, through the one write path (a day's
 * records per transaction). Returns what was written.
 */
export function generateSyntheticPlant(file: string, opts: SyntheticPlantOptions = {}): Record<string, number> {
  const days = opts.days ?? 365;
  const rand = rng(opts.seed ?? 20260301);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const keyDir = mkdtempSync(join(tmpdir(), 'lotseal-trace-bench-key-'));
  const key = createHostKey(
    keyDir,
    'cli',
    'bench-host',
    passphraseProtector('bench passphrase'),
    Date.now() - 24 * 3600_000,
  );
  const ledger = createDatabase(file, { key, workstation: 'cli@bench', timeZone: 'Asia/Shanghai', anchors: null });
  const actor = { id: 'importer01', name: 'ERP import' };
  const counts = {
    raw_milk: 0,
    ingredient: 0,
    packaging: 0,
    intermediate: 0,
    finished: 0,
    consumption: 0,
    shipments: 0,
    stock: 0,
    customers: 500,
  };
  const customers = Array.from({ length: 500 }, (_, i) => `C${String(i + 1).padStart(4, '0')}`);
  ledger.write(actor, (w) => {
    for (const c of customers)
      w.create(C.customer, { code: c, name: `Customer ${c}`, contact: `Contact ${c}`, phone: `+86 10 ${c.slice(1)}` });
  });

  const day0 = Date.UTC(2025, 0, 1);
  const recent: { raw: string[][]; ing: string[][]; pack: string[][]; int: string[][] } = {
    raw: [],
    ing: [],
    pack: [],
    int: [],
  };
  const pickRecent = (pool: string[][], withinDays: number): string => {
    const from = Math.max(0, pool.length - withinDays);
    for (;;) {
      const day = pool[int(from, pool.length - 1)]!;
      if (day.length > 0) return day[int(0, day.length - 1)]!;
    }
  };
  const lotRow = (code: string, kind: string, item: string, quantity: string, unit: string, date: string) => ({
    code,
    kind,
    item_code: item,
    item_name: item,
    quantity,
    unit,
    lot_date: date,
    supplier_code:
      kind === 'intermediate' || kind === 'finished'
        ? null
        : kind === 'raw_milk'
          ? `FARM${int(1, 60)}`
          : `SUP${int(1, 80)}`,
    status: kind === 'intermediate' || kind === 'finished' ? 'released' : 'accepted',
    origin: 'import',
  });

  for (let d = 0; d < days; d++) {
    const date = new Date(day0 + d * 86_400_000).toISOString().slice(0, 10);
    const ymd = date.replace(/-/g, '');
    ledger.write(actor, (w: LedgerWriter) => {
      const use = (input: string, output: string, quantity: string, unit: string) => {
        w.create(L.consumption, { input_lot: input, output_lot: output, quantity, unit, date, origin: 'import' });
        counts.consumption++;
      };
      const raw: string[] = [];
      for (let i = 0; i < 49; i++) {
        const code = `RM-${ymd}-${String(i + 1).padStart(3, '0')}`;
        w.create(L.lot, lotRow(code, 'raw_milk', 'RAWMILK', `${int(18, 30)}000.0`, 'kg', date));
        raw.push(code);
        counts.raw_milk++;
      }
      const ing: string[] = [];
      for (let i = 0; i < 16; i++) {
        const code = `ING-${ymd}-${String(i + 1).padStart(3, '0')}`;
        w.create(L.lot, lotRow(code, 'ingredient', `ING${int(1, 40)}`, `${int(200, 2000)}`, 'kg', date));
        ing.push(code);
        counts.ingredient++;
      }
      const pack: string[] = [];
      for (let i = 0; i < 3; i++) {
        const code = `PK-${ymd}-${String(i + 1).padStart(3, '0')}`;
        w.create(L.lot, lotRow(code, 'packaging', `CAN${int(1, 6)}`, `${int(20, 60)}000`, 'can', date));
        pack.push(code);
        counts.packaging++;
      }
      recent.raw.push(raw);
      recent.ing.push(ing);
      recent.pack.push(pack);
      const ints: string[] = [];
      for (let i = 0; i < 4; i++) {
        const code = `INT-${ymd}-${i + 1}`;
        w.create(L.lot, lotRow(code, 'intermediate', 'BASEPOWDER', `${int(5, 8)}000`, 'kg', date));
        counts.intermediate++;
        ints.push(code);
        const seen = new Set<string>();
        for (let k = 0; k < 14; k++) {
          const r = pickRecent(recent.raw, 2);
          if (!seen.has(r)) use(r, code, `${int(1500, 6000)}.5`, 'kg');
          seen.add(r);
        }
        for (let k = 0; k < 10; k++) {
          const r = pickRecent(recent.ing, 30);
          if (!seen.has(r)) use(r, code, `${int(1000, 90000)}`, 'g');
          seen.add(r);
        }
      }
      recent.int.push(ints);
      for (let i = 0; i < 10; i++) {
        const code = `FIN-${ymd}-${String(i + 1).padStart(2, '0')}`;
        w.create(L.lot, lotRow(code, 'finished', `STAGE${int(1, 3)}-800G`, `${int(3, 8)}000`, 'can', date));
        counts.finished++;
        const seen = new Set<string>();
        for (let k = 0; k < int(1, 3); k++) {
          const r = pickRecent(recent.int, 7);
          if (!seen.has(r)) use(r, code, `${int(800, 2400)}`, 'kg');
          seen.add(r);
        }
        for (let k = 0; k < 38; k++) {
          const r = pickRecent(recent.ing, 60);
          if (!seen.has(r)) use(r, code, `${int(100, 20000)}`, 'g');
          seen.add(r);
        }
        use(pickRecent(recent.pack, 30), code, `${int(3, 8)}000`, 'can');
        for (let s = 0, n = int(1, 4); s < n; s++) {
          const shipDate = new Date(day0 + (d + int(3, 40)) * 86_400_000).toISOString().slice(0, 10);
          w.create(L.shipment, {
            shipment_code: `SH-${ymd}-${i}-${s}`,
            lot_code: code,
            customer_code: customers[int(0, customers.length - 1)]!,
            quantity: `${int(50, 900)}`,
            unit: 'can',
            date: shipDate,
            origin: 'import',
          });
          counts.shipments++;
        }
      }
      // Stock movements on a few raw milk lots (balances exercise the movement query).
      for (const r of raw.slice(0, 5)) {
        w.create(L.stockMovement, {
          lot_code: r,
          movement: 'sample',
          quantity: '2',
          unit: 'kg',
          date,
          origin: 'import',
        });
        w.create(L.stockMovement, {
          lot_code: r,
          movement: 'on_hand',
          quantity: `${int(0, 300)}`,
          unit: 'kg',
          date,
          origin: 'import',
        });
        counts.stock += 2;
      }
    });
    opts.onProgress?.(d + 1, days);
  }
  ledger.db.close();
  rmSync(keyDir, { recursive: true, force: true });
  return counts;
}

function queryPlans(db: Db): Record<string, string[]> {
  const plan = (sql: string, ...p: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as Array<{ detail: string }>).map((r) => r.detail);
  const walk = (from: string, to: string) => `WITH RECURSIVE walk(lot, depth) AS (
  SELECT ${to}, 1 FROM consumption WHERE ${from} = @root AND retired = 0
  UNION SELECT c.${to}, w.depth + 1 FROM walk w JOIN consumption c ON c.${from} = w.lot WHERE c.retired = 0 AND w.depth < 64 AND w.lot <> @root)
SELECT g.lot, g.depth, l.kind FROM (SELECT lot, MIN(depth) AS depth FROM walk WHERE lot <> @root GROUP BY lot) g LEFT JOIN lot l ON l.code = g.lot ORDER BY g.depth, g.lot`;
  return {
    backward: plan(walk('output_lot', 'input_lot'), { root: 'x' }),
    forward: plan(walk('input_lot', 'output_lot'), { root: 'x' }),
    shipments: plan(
      'SELECT * FROM shipment WHERE retired = 0 AND lot_code IN (SELECT value FROM json_each(?)) ORDER BY date',
      '[]',
    ),
    movements: plan('SELECT rowid, * FROM stock_movement WHERE lot_code = ? AND retired = 0 ORDER BY rowid', 'x'),
  };
}

export async function runTraceBench(opts: { db: string; samples?: number; days?: number }): Promise<object> {
  const samples = opts.samples ?? 1_000;
  let generated: object | null = null;
  if (!existsSync(opts.db)) {
    const t = performance.now();
    const counts = generateSyntheticPlant(opts.db, {
      ...(opts.days !== undefined ? { days: opts.days } : {}),
      onProgress: (d, n) => {
        if (d % 30 === 0 || d === n) process.stderr.write(`trace bench: generating day ${d}/${n}\n`);
      },
    });
    generated = { ...counts, seconds: r2((performance.now() - t) / 1000) };
  }
  const db = openSqlite(opts.db, { readonly: true });
  try {
    const rand = rng(7);
    const lots = db.prepare('SELECT code, kind FROM lot ORDER BY code').all() as Array<{ code: string; kind: string }>;
    const consumptionRows = (db.prepare('SELECT COUNT(*) AS n FROM consumption').get() as { n: number }).n;
    const pick = () => lots[Math.floor(rand() * lots.length)]!;

    // Warm-up (statement cache, first pages); then the measured sample.
    for (let i = 0; i < 50; i++) traceLot(db, pick().code);
    const times: number[] = [];
    const byKind = new Map<string, number[]>();
    let maxForward = 0;
    let maxBackward = 0;
    for (let i = 0; i < samples; i++) {
      const l = pick();
      const t0 = performance.now();
      const t = traceLot(db, l.code)!;
      traceToJson(t);
      const dt = performance.now() - t0;
      times.push(dt);
      const k = byKind.get(l.kind) ?? [];
      k.push(dt);
      byKind.set(l.kind, k);
      maxForward = Math.max(maxForward, t.forward.length);
      maxBackward = Math.max(maxBackward, t.backward.length);
    }
    times.sort((a, b) => a - b);

    // Wide recall: 200 raw milk lots received in a row.
    const raw = db.prepare("SELECT code FROM lot WHERE kind = 'raw_milk' ORDER BY lot_date, code").all() as Array<{
      code: string;
    }>;
    const start = Math.floor(rand() * Math.max(1, raw.length - 200));
    const recall = raw.slice(start, start + 200).map((r) => r.code);
    const t1 = performance.now();
    const affected = new Set<string>();
    const shipments = new Set<string>();
    const customers = new Set<string>();
    for (const code of recall) {
      const t = traceLot(db, code)!;
      for (const f of t.forward) affected.add(f.lot);
      for (const s of t.shipments) shipments.add(`${s.shipment}\u0000${s.lot}`);
      for (const c of t.customers) customers.add(c.customer);
    }
    const recallMs = performance.now() - t1;

    return {
      db: opts.db,
      generated,
      lots: lots.length,
      consumption_rows: consumptionRows,
      one_lot: {
        samples,
        p50_ms: r2(percentile(times, 50)),
        p95_ms: r2(percentile(times, 95)),
        p99_ms: r2(percentile(times, 99)),
        max_ms: r2(times[times.length - 1]!),
        p95_by_kind_ms: Object.fromEntries(
          [...byKind].map(([k, v]) => [
            k,
            r2(
              percentile(
                v.sort((a, b) => a - b),
                95,
              ),
            ),
          ]),
        ),
        largest_forward: maxForward,
        largest_backward: maxBackward,
        target_p95_ms: 20,
        note: 'traceLot + traceToJson, warm statement cache, read-only connection',
      },
      wide_recall: {
        raw_milk_lots: recall.length,
        first: recall[0],
        last: recall[recall.length - 1],
        total_ms: r2(recallMs),
        affected_lots: affected.size,
        shipments: shipments.size,
        customers: customers.size,
        target_ms: 500,
      },
      // Figures on a shared machine are only comparable at a similar load.
      load_average_1m: r2(loadavg()[0] ?? 0),
      query_plans: queryPlans(db),
    };
  } finally {
    db.close();
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const given = arg('db');
  const dir = given ? null : mkdtempSync(join(tmpdir(), 'lotseal-trace-bench-'));
  const db = given ?? join(dir!, 'plant.db');
  const samples = arg('samples');
  const days = arg('days');
  runTraceBench({ db, ...(samples ? { samples: Number(samples) } : {}), ...(days ? { days: Number(days) } : {}) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    })
    .finally(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
}
