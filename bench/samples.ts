/**
 * Scan bench (issue 7, "Bench"). Not part of `npm test`; prints one JSON object.
 *
 * From scanning a label to seeing the sample: `scan.lookup` {code} then `samples.get` (or
 * `lots.get` for a lot label) through the real dispatcher (zod in and out, session and
 * permission checks), on a database holding 1,000,000 samples (target < 100 ms).
 *
 * The samples are written through the one write path (Ledger.write, 10,000 records per
 * transaction, each with its audit entry): one finished lot per day with its release
 * sample, 5 sampling-plan units, its retention sample and custody events, plus incoming,
 * in-process, swab and water samples, about 1,000 a day.
 *
 *   node --import tsx bench/samples.ts [--samples 1000000] [--scans 1000] [--db FILE]
 *
 * or `import { runScanBench } from './samples'` (not wired into bench/run.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppCore, type CoreLog } from '../src/main/app/core';
import type { Connection } from '../src/main/dispatcher/dispatcher';
import { passphraseProtector } from '../src/main/ledger/keys';
import type { LedgerWriter } from '../src/main/ledger/ledger';
import { L } from '../src/main/lots/entities';
import { S } from '../src/main/samples/entities';
import * as plant from '../tests/fixtures/plant';
import { inProcessHost } from '../tests/fixtures/plant';

const r2 = (x: number): number => Math.round(x * 100) / 100;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

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

const quiet: CoreLog = { refused: () => undefined, error: (i) => console.error(i.channel, i.error), info: () => undefined };

export interface ScanBenchOptions {
  /** Samples to generate (default 1,000,000). */
  samples?: number;
  /** Scans to time (default 1,000). */
  scans?: number;
  /** Data folder (default: a temporary one, removed afterwards). */
  dir?: string;
  onProgress?: (written: number, total: number) => void;
}

const PER_DAY = 1_000;
const BATCH = 10_000;
const KINDS = ['incoming_inspection', 'in_process', 'environmental_swab', 'water'] as const;

export async function runScanBench(opts: ScanBenchOptions = {}): Promise<Record<string, unknown>> {
  const total = opts.samples ?? 1_000_000;
  const scans = opts.scans ?? 1_000;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'lotseal-samples-bench-'));
  const rand = rng(20260307);
  const core = new AppCore({ dataDir: dir, hostKind: 'harness', protector: passphraseProtector('bench passphrase'), host: 'bench-host', log: quiet, timeZone: 'Asia/Shanghai' });
  try {
    const must = async (c: Connection, name: Parameters<typeof core.dispatcher.call>[1], input: unknown): Promise<unknown> => {
      const r = await core.dispatcher.call(c, name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.data;
    };
    // The administrator and the technician from the plant fixtures (tests/fixtures/plant), through the contract.
    const host = inProcessHost(core.dispatcher);
    const admin = await plant.firstRun(host, { userId: 'admin', printedName: 'Bench admin', password: 'bench-admin-password' });
    const people = await plant.staff(host, admin, {
      tech: { ...plant.benchPeople('bench-tech-password').tech, printedName: 'Bench technician' },
    });
    const tech = people.tech.link.connection;

    const ledger = core.need().ledger;
    const actor = { id: people.tech.userId, name: people.tech.printedName };
    const sites: string[] = [];
    ledger.write(actor, (w) => {
      for (let i = 1; i <= 40; i++) {
        const water = i > 30;
        const site = w.create(S.site, {
          code: water ? `W-${i}` : `Z${1 + (i % 4)}-${i}`,
          name_zh: `采样点 ${i}`,
          name_en: `Site ${i}`,
          kind: water ? 'water' : 'environment',
          zone: water ? null : 1 + (i % 4),
          line: `L${1 + (i % 3)}`,
          room: `Room ${i % 7}`,
          active: 1,
        });
        sites.push(site.id);
      }
    });

    // ~1,000 samples a day from 2023-01-01: codes S/R/ES/W{yyMMdd}-{seq4} as the service makes them.
    const day0 = Date.UTC(2023, 0, 1);
    const started = performance.now();
    const codes: string[] = [];
    const lots: string[] = [];
    let written = 0;
    let day = 0;
    const pending: Array<(w: LedgerWriter) => void> = [];
    const flush = (): void => {
      if (!pending.length) return;
      ledger.write(actor, (wr) => {
        for (const f of pending) f(wr);
      });
      pending.length = 0;
    };
    while (written < total) {
      const at = day0 + day * 86_400_000 + 2 * 3_600_000;
      const date = new Date(at).toISOString().slice(0, 10);
      const ymd = date.slice(2).replace(/-/g, '');
      const lotCode = `FG-${date.replace(/-/g, '')}-001`;
      lots.push(lotCode);
      const n = Math.min(PER_DAY, total - written);
      const seq = { S: 0, R: 0, ES: 0, W: 0 };
      const next = (p: keyof typeof seq) => `${p}${ymd}-${String(++seq[p]).padStart(4, '0')}`;
      let parentId: string | null = null;
      let parentCode = '';
      for (let k = 0; k < n; k++) {
        const kind = k === 0 ? 'finished_release' : k <= 5 ? 'unit' : k === 6 ? 'retention' : KINDS[Math.floor(rand() * KINDS.length)]!;
        const site = kind === 'environmental_swab' ? sites[Math.floor(rand() * 30)]! : kind === 'water' ? sites[30 + Math.floor(rand() * 10)]! : null;
        const code = kind === 'unit' ? `${parentCode}-0${k}` : next(kind === 'retention' ? 'R' : kind === 'environmental_swab' ? 'ES' : kind === 'water' ? 'W' : 'S');
        const takenAt = at + k * 30_000;
        const isParent = k === 0;
        const unitNo = kind === 'unit' ? k : null;
        if (isParent) {
          parentId = randomUUID();
          parentCode = code;
        }
        const id = isParent ? parentId! : randomUUID();
        const pid = kind === 'unit' ? parentId : null;
        if (isParent || kind === 'retention' || rand() < 0.2) codes.push(code);
        pending.push((wr) => {
          if (isParent) {
            wr.create(L.lot, {
              code: lotCode, kind: 'finished', item_code: 'IF-1', item_name: 'Infant formula stage 1', quantity: '3200', unit: 'kg', lot_date: date,
              supplier_code: null, supplier_lot: null, expiry_date: new Date(at + 720 * 86_400_000).toISOString().slice(0, 10), location: 'WH-A',
              status: 'released', origin: 'import', receipt_id: null, batch_id: null,
            });
          }
          const row = wr.create(S.sample, {
            code,
            kind: kind === 'unit' ? 'finished_release' : kind,
            lot_code: site ? null : lotCode,
            site_id: site,
            sampling_point: site ? 'Swab 10 × 10 cm' : 'Line 2 filler',
            targets: site ? 'cronobacter,salmonella,enterobacteriaceae' : null,
            taken_by: 'tech.bench',
            taken_at: takenAt,
            received_by: 'tech.bench',
            received_at: takenAt + 600_000,
            condition_on_receipt: 'intact',
            temperature: '21.5',
            quantity: kind === 'unit' ? '1' : '5',
            unit: site ? 'pcs' : 'can',
            container: site ? 'sponge swab bag' : '800 g can',
            storage_location: kind === 'retention' ? 'Retention room R1' : 'Lab shelf A',
            spec_version_id: null,
            status: kind === 'retention' ? 'received' : 'complete',
            cancel_reason: null,
            parent_sample_id: pid,
            unit_no: unitNo,
            keep_until: kind === 'retention' ? new Date(at + 1085 * 86_400_000).toISOString().slice(0, 10) : null,
            disposed_at: null,
            note: null,
          }, { id });
          if (isParent || kind === 'retention') {
            for (const ev of ['registered', 'received', 'moved']) {
              wr.create(S.sampleEvent, { sample_id: row.id, event: ev, at: takenAt, by_user: 'tech.bench', location: 'Lab shelf A', detail: null });
            }
          }
        });
        written++;
        if (pending.length >= BATCH) flush();
      }
      day++;
      opts.onProgress?.(written, total);
    }
    flush();
    const generateMs = performance.now() - started;
    ledger.db.exec('ANALYZE');

    // Scan → open: a sample label (or, 1 in 10, a lot label), through the dispatcher.
    const times: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < scans; i++) {
      const lotScan = rand() < 0.1;
      const code = lotScan ? lots[Math.floor(rand() * lots.length)]! : codes[Math.floor(rand() * codes.length)]!;
      const t0 = performance.now();
      const found = (await must(tech, 'scan.lookup', { code })) as { type: 'sample' | 'lot'; code: string };
      const t1 = performance.now();
      if (found.type === 'sample') await must(tech, 'samples.get', { code: found.code });
      else await must(tech, 'lots.get', { code: found.code });
      times.push(performance.now() - t0);
      lookups.push(t1 - t0);
    }
    times.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    const t0 = performance.now();
    const firstPage = (await must(tech, 'samples.list', { limit: 100 })) as { total: number };
    const listMs = performance.now() - t0;
    const dbFile = join(dir, 'lotseal.db');
    return {
      samples: (ledger.db.prepare('SELECT count(*) AS n FROM sample').get() as { n: number }).n,
      lots: lots.length,
      audit_entries: ledger.head().seq,
      generate_s: r2(generateMs / 1000),
      db_mb: r2(statSync(dbFile).size / 2 ** 20),
      scan_to_sample_ms: { p50: r2(percentile(times, 50)), p95: r2(percentile(times, 95)), p99: r2(percentile(times, 99)), max: r2(times.at(-1)!), n: times.length },
      lookup_only_ms: { p50: r2(percentile(lookups, 50)), p95: r2(percentile(lookups, 95)) },
      list_first_page_ms: r2(listMs),
      list_total: firstPage.total,
      target_ms: 100,
      load_average_1m: r2(loadavg()[0] ?? 0),
      query_plan_lookup: (ledger.db.prepare('EXPLAIN QUERY PLAN SELECT code FROM sample WHERE code = ?').all('x') as Array<{ detail: string }>).map((r) => r.detail),
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
  const samples = arg('samples');
  const scans = arg('scans');
  const dir = arg('dir');
  runScanBench({
    ...(samples ? { samples: Number(samples) } : {}),
    ...(scans ? { scans: Number(scans) } : {}),
    ...(dir ? { dir } : {}),
    onProgress: (n, t) => {
      if (n % 100_000 === 0 || n === t) process.stderr.write(`samples: ${n}/${t}\n`);
    },
  })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
