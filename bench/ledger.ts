/**
 * Ledger bench (issue 3, "Bench"; figures in docs/performance.md). Not part of `npm test`.
 *
 *  - append: Ledger.write latency, one entry per transaction, synchronous=FULL (p50/p99);
 *  - size: bytes per entry (file size / entries) and the average audit_entry payload;
 *  - verify: full verification (verifyFile, 2 workers) in entries/s on synthetic ledgers;
 *  - tail: the start-up quickTailCheck on the largest ledger.
 *
 * The synthetic ledgers are written by this file's own generator: real entries (the same
 * hash preimage, canonical content and signed checkpoints as Ledger.write, one checkpoint per
 * 1,000 entries) inserted directly with prepared statements in large transactions, which is
 * an order of magnitude faster than going through the write path. The bench may write raw
 * rows: it is not app code.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../src/main/db/database';
import { createDatabase } from '../src/main/db/store';
import { AnchorStore } from '../src/main/ledger/anchor';
import { E } from '../src/main/ledger/entities';
import { canonical, checkpointMessage, entryHash, type EntryFields } from '../src/main/ledger/hashing';
import { createHostKey, passphraseProtector, type HostKey } from '../src/main/ledger/keys';
import { verifyFile, quickTailCheck } from '../src/main/ledger/verify-runner';

const SKEW_MS = 5 * 60 * 1000;
const CHECKPOINT_EVERY = 1_000;
const TX_ENTRIES = 100_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

interface Env {
  dir: string;
  dataDir: string;
  key: HostKey;
  anchors: AnchorStore;
}

function makeEnv(): Env {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-bench-'));
  const dataDir = join(dir, 'data');
  const key = createHostKey(dataDir, 'cli', 'bench-host', passphraseProtector('bench passphrase'), Date.now() - 24 * 3600_000);
  return { dir, dataDir, key, anchors: AnchorStore.forDataDir(dataDir) };
}

/** Append latency through the real write path: one entry per transaction, synchronous=FULL. */
export function benchAppend(env: Env, samples = 2_000): Record<string, number | string> {
  const file = join(env.dir, 'append.db');
  const ledger = createDatabase(file, { key: env.key, workstation: 'cli@bench', timeZone: 'Asia/Shanghai', anchors: env.anchors });
  const sync = ledger.db.pragma('synchronous', { simple: true });
  const actor = { id: 'analyst01', name: 'Li Wei' };
  const times: number[] = [];
  for (let i = 0; i < samples + 100; i++) {
    const t = performance.now();
    ledger.write(actor, (w) => {
      w.create(E.setting, { value: JSON.stringify({ sample: `S-${i}`, analyte: 'protein', result: '2.13', unit: 'g/100g' }) }, { id: `rec-${i}` });
    });
    const dt = performance.now() - t;
    if (i >= 100) times.push(dt); // the first writes warm the statement cache
  }
  ledger.db.close();
  times.sort((a, b) => a - b);
  return {
    samples,
    synchronous: sync === 2 ? 'FULL' : String(sync),
    p50_ms: r2(percentile(times, 50)),
    p99_ms: r2(percentile(times, 99)),
    max_ms: r2(times[times.length - 1]!),
    note: 'each write: BEGIN IMMEDIATE, row + audit entry + Ed25519 checkpoint, COMMIT with fsync, anchor file write',
  };
}

/**
 * Writes a synthetic ledger of `entries` entries (plus the creation entries) into a new
 * database: records of E.setting, about one create per 10 entries and updates otherwise,
 * checkpoints every CHECKPOINT_EVERY entries and at the head.
 */
export function generateLedger(env: Env, file: string, entries: number, onProgress?: (n: number) => void): { seconds: number; head: number } {
  const t0 = performance.now();
  const ledger = createDatabase(file, { key: env.key, workstation: 'cli@bench', timeZone: 'Asia/Shanghai', anchors: null, clock: () => Date.now() - 3600_000 });
  ledger.db.close();
  const db = openSqlite(file);
  // Bulk load: durability does not matter here (the file is thrown away on failure).
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const head = db.prepare('SELECT seq, hash, at FROM audit_entry ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: Buffer; at: number };
  const insEntry = db.prepare(
    'INSERT INTO audit_entry (seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const insCp = db.prepare('INSERT INTO checkpoint (seq, head, at, key_id, sig) VALUES (?,?,?,?,?)');
  const insRow = db.prepare('INSERT INTO setting (id, rev, retired, value) VALUES (?,?,?,?)');
  const updRow = db.prepare('UPDATE setting SET rev = ?, retired = ?, value = ? WHERE id = ?');
  const records = Math.max(1, Math.floor(entries / 10));
  const revs = new Uint32Array(records);
  let seq = head.seq;
  let prevHex = head.hash.toString('hex');
  let at = head.at;
  const actors = [
    { id: 'analyst01', name: 'Li Wei' },
    { id: 'analyst02', name: 'Zhang Min' },
    { id: 'reviewer01', name: 'Wang Fang' },
  ];
  const fields: EntryFields = {
    seq: 0,
    at: 0,
    tz: 'Asia/Shanghai',
    actor: '',
    actor_name: '',
    ws: 'desktop@LAB-PC-01',
    action: '',
    entity: E.setting.name,
    entity_id: '',
    reason: null,
    content: '',
  };
  const end = head.seq + entries;
  const tx = db.transaction((n: number) => {
    for (let k = 0; k < n; k++) {
      seq += 1;
      at += 7; // entries 7 ms apart
      const i = seq - head.seq - 1;
      // The first `records` entries create, the rest update a pseudo-random record.
      const r = i < records ? i : (i * 2654435761) % records;
      const rev = revs[r]! + 1;
      revs[r] = rev;
      const id = `rec-${r.toString(36).padStart(6, '0')}`;
      const value = JSON.stringify({ sample: `S-2026-${r}`, analyte: 'protein', method: 'GB 5009.5-2016', result: (2 + (i % 97) / 100).toFixed(2), unit: 'g/100g', rev });
      const row = { id, rev, retired: 0, value };
      const a = actors[i % 3]!;
      fields.seq = seq;
      fields.at = at;
      fields.actor = a.id;
      fields.actor_name = a.name;
      fields.action = rev === 1 ? 'create' : 'update';
      fields.entity_id = id;
      fields.reason = rev === 1 ? null : 'result corrected after review';
      fields.content = canonical(row);
      const hash = entryHash(fields, prevHex);
      insEntry.run(seq, at, fields.tz, a.id, a.name, fields.ws, fields.action, fields.entity, id, fields.reason, fields.content, Buffer.from(prevHex, 'hex'), hash);
      if (rev === 1) insRow.run(id, 1, 0, value);
      else updRow.run(rev, 0, value, id);
      prevHex = hash.toString('hex');
      if (seq % CHECKPOINT_EVERY === 0 || seq === end) {
        insCp.run(seq, hash, at, env.key.id, env.key.sign(checkpointMessage(seq, prevHex, at, env.key.id)));
      }
    }
  });
  let done = 0;
  while (done < entries) {
    const n = Math.min(TX_ENTRIES, entries - done);
    tx(n);
    done += n;
    onProgress?.(done);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { seconds: r2((performance.now() - t0) / 1000), head: seq };
}

function payloadBytes(file: string): { avg_row_payload: number; avg_content: number } {
  const db = openSqlite(file, { readonly: true });
  const r = db
    .prepare(
      `SELECT avg(8 + 8 + length(tz) + length(actor) + length(actor_name) + length(ws) + length(action) + length(entity)
                + length(entity_id) + coalesce(length(reason), 0) + length(content) + length(prev) + length(hash)) AS p,
              avg(length(content)) AS c
       FROM (SELECT * FROM audit_entry ORDER BY seq DESC LIMIT 100000)`,
    )
    .get() as { p: number; c: number };
  db.close();
  return { avg_row_payload: Math.round(r.p), avg_content: Math.round(r.c) };
}

export async function runLedgerBench(opts: { sizes: number[]; log?: (s: string) => void }): Promise<object> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const env = makeEnv();
  try {
    log('ledger: append latency…');
    const append = benchAppend(env);
    log(`ledger: append ${JSON.stringify(append)}`);
    const ledgers: object[] = [];
    let tail: object | null = null;
    const sizes = [...opts.sizes].sort((a, b) => a - b);
    for (const size of sizes) {
      const file = join(env.dir, `ledger-${size}.db`);
      log(`ledger: generating ${size} entries…`);
      const gen = generateLedger(env, file, size, (n) => {
        if (n % 1_000_000 === 0) log(`  ${n}`);
      });
      const bytes = statSync(file).size;
      const payload = payloadBytes(file);
      log(`ledger: verifying ${gen.head} entries (2 workers)…`);
      const cpu0 = process.cpuUsage();
      const v = await verifyFile(file, { skewMs: SKEW_MS, anchor: null, workers: 2 });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      if (!v.ok) throw new Error(`bench ledger does not verify: ${JSON.stringify(v.findings.slice(0, 3))}`);
      const result: Record<string, unknown> = {
        entries: gen.head,
        generate_s: gen.seconds,
        file_bytes: bytes,
        bytes_per_entry: Math.round(bytes / gen.head),
        ...payload,
        verify_ms: v.elapsed_ms,
        verify_entries_per_s: Math.round(v.entries / (v.elapsed_ms / 1000)),
        // Process CPU time (all threads): what the verification costs independent of other
        // load on the machine; entries / (cpu_s / 2) is the two-core rate on an idle machine.
        verify_cpu_s: r2(cpuS),
        verify_entries_per_cpu_s: Math.round(v.entries / cpuS),
        load_avg_1m: r2(loadavg()[0]!),
        checkpoints: v.checkpoints,
      };
      if (size === sizes[0]) {
        log('ledger: single-threaded verification for comparison…');
        const s = await verifyFile(file, { skewMs: SKEW_MS, anchor: null, workers: 0 });
        result['verify_single_thread_ms'] = s.elapsed_ms;
        result['verify_single_thread_entries_per_s'] = Math.round(s.entries / (s.elapsed_ms / 1000));
      }
      log(`ledger: ${JSON.stringify(result)}`);
      ledgers.push(result);
      if (size === sizes[sizes.length - 1]) {
        const db = openSqlite(file, { readonly: true });
        const runs: number[] = [];
        let cold = 0;
        for (let i = 0; i < 21; i++) {
          const t = performance.now();
          const findings = quickTailCheck(db, { fromSeq: gen.head - 100, anchor: null, skewMs: SKEW_MS });
          const dt = performance.now() - t;
          if (findings.length) throw new Error(`tail check found ${JSON.stringify(findings)}`);
          if (i === 0) cold = dt;
          else runs.push(dt);
        }
        db.close();
        runs.sort((a, b) => a - b);
        tail = { entries: gen.head, tail_entries: 100, first_ms: r2(cold), median_ms: r2(percentile(runs, 50)), max_ms: r2(runs[runs.length - 1]!) };
        log(`ledger: tail ${JSON.stringify(tail)}`);
      }
      rmSync(file, { force: true });
    }
    return { append, ledgers, tail_check: tail, targets: { append_p99_ms: 2, verify_entries_per_s: 250_000, tail_check_ms: 50 } };
  } finally {
    rmSync(env.dir, { recursive: true, force: true });
  }
}
