import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { Finding, VerifyReport } from '../../shared/contract/channels/ledger';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { openSqlite, type Db } from '../db/database';
import type { Anchor } from './anchor';
import { allEntities, entityDef } from './registry';
import { GENESIS_HEX } from './hashing';
import {
  FindingSink,
  addSignaturePass,
  checkAnchor,
  checkCorrections,
  checkTriggers,
  checkWitnesses,
  clockFindings,
  combineChain,
  loadKeyRegistry,
  rowMatchesContent,
  verifyChainRange,
  signatureDefs,
  verifyDatabase,
  type ChainRangeResult,
  type Witness,
} from './verify';
import type { SignaturePassResult } from './verify-signatures';
import type { ChainJob, RowsJob, SignaturesJob, WorkerJob, WorkerMessage } from './verify-worker';
import { resolveWorkerEntry, spawnWorker, type WorkerEntry } from '../workers/spawn';

/**
 * Full verification of a database file in worker threads (docs/ledger.md §5).
 *
 * The chain is split into ranges, each verified on its own read-only connection
 * (verifyChainRange with the stored hash of the entry before the range as its `prev`); the
 * row replay is one more job. A pool of `workers` threads (2: this machine class has two
 * cores) pulls the jobs, the row replay first because it cannot be split. The main thread
 * only looks up range borders and joins the results (combineChain), so the Electron main
 * process stays responsive and progress arrives while the work runs.
 *
 * The report is the one verifyDatabase gives for the same file (findings in sequence
 * order), except `elapsed_ms`.
 */
export interface VerifyFileOptions {
  skewMs: number;
  anchor: Anchor | null;
  /** Heads printed on paper that the chain must hold (`--witness SEQ:HASH`). */
  witnesses?: readonly Witness[];
  /**
   * Benches only (bench/trust.ts): leave out the signature pass, to measure what it costs
   * against the verification as it was before personal signatures. Never set by a host.
   */
  withoutSignaturePass?: boolean;
  /** Worker threads (default 2). 0 verifies in-process on this thread. */
  workers?: number;
  /** Entries per chain job; default: enough jobs to balance the pool. */
  rangeSize?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** Why the last verifyFile call ran in-process (null when it used workers). For tests and logs. */
export let lastFallbackReason: string | null = null;

// A worker that fails to start says so at once ('error', 'exit'); this bound is only for one that
// hangs, and it is generous so that a busy machine is never mistaken for a broken worker.
const READY_TIMEOUT_MS = 120_000;

function startWorker(entry: WorkerEntry): Promise<Worker> {
  return new Promise((resolve, reject) => {
    let w: Worker;
    try {
      // The spawn module passes the native binding (Electron's ABI in the desktop app).
      w = spawnWorker(entry);
    } catch (e) {
      reject(e);
      return;
    }
    const timer = setTimeout(() => {
      cleanup();
      void w.terminate();
      reject(new Error('verify worker did not start in time'));
    }, READY_TIMEOUT_MS);
    const onMessage = (m: WorkerMessage): void => {
      if (m.type === 'ready') {
        cleanup();
        resolve(w);
      }
    };
    const onError = (e: Error): void => {
      cleanup();
      void w.terminate();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`verify worker exited with code ${code} before it was ready`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

/**
 * Ends a worker after it closed its database connections: on Windows a file another handle
 * holds cannot be renamed or deleted, and a restore renames the database right after
 * verifying it (docs/decisions.md D-040). Terminated if it does not exit in time.
 */
function closeWorker(w: Worker): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => void w.terminate().then(() => resolve()), 5_000);
    w.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      w.postMessage({ type: 'close' });
    } catch {
      clearTimeout(timer);
      void w.terminate().then(() => resolve());
    }
  });
}

async function startPool(n: number): Promise<Worker[]> {
  const entry = resolveWorkerEntry('verify-worker', __dirname);
  if (!entry) throw new Error('verify-worker not found next to the runner');
  const started = await Promise.allSettled(Array.from({ length: n }, () => startWorker(entry)));
  const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((w) => w.terminate()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return ok;
}

/** Runs jobs on the pool, each worker taking the next job when it is free. */
function runJobs(pool: Worker[], jobs: WorkerJob[], onMessage: (m: WorkerMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let pending = jobs.length;
    let failed = false;
    if (pending === 0) {
      resolve();
      return;
    }
    const feed = (w: Worker): void => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
    };
    for (const w of pool) {
      w.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if (m.type === 'error') {
          failed = true;
          reject(new Error(`verify worker: ${m.message}`));
          return;
        }
        onMessage(m);
        if (m.type === 'chain' || m.type === 'rows' || m.type === 'signatures') {
          pending -= 1;
          if (pending === 0) resolve();
          else feed(w);
        }
      });
      w.on('error', (e) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      });
      w.on('exit', (code) => {
        if (!failed && pending > 0) {
          failed = true;
          reject(new Error(`verify worker exited with code ${code}`));
        }
      });
      feed(w);
    }
  });
}

function predecessor(db: Db, lo: number): { seq: number; hash: string; at: number | null } {
  const r = db.prepare('SELECT seq, hash, at FROM audit_entry WHERE seq < ? ORDER BY seq DESC LIMIT 1').get(lo) as
    | { seq: number; hash: Buffer | string; at: number }
    | undefined;
  if (!r) return { seq: 0, hash: GENESIS_HEX, at: null };
  return {
    seq: r.seq,
    hash: Buffer.isBuffer(r.hash) ? r.hash.toString('hex') : Buffer.from(String(r.hash)).toString('hex'),
    at: r.at,
  };
}

function rowDefs(): RowsJob['defs'] {
  return allEntities().map((d) => ({
    name: d.name,
    table: d.table,
    columns: [...d.columns],
    ...(d.secret ? { secret: [...d.secret] } : {}),
    ...(d.added ? { added: [...d.added] } : {}),
  }));
}

export async function verifyFile(file: string, opts: VerifyFileOptions): Promise<VerifyReport> {
  if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
  const t0 = performance.now();
  const db = openSqlite(file, { readonly: true });
  try {
    const n = opts.workers ?? 2;
    if (n <= 0) {
      lastFallbackReason = 'workers: 0';
      return await verifyDatabase(db, {
        skewMs: opts.skewMs,
        anchor: opts.anchor,
        ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
        ...(opts.onProgress ? { progress: opts.onProgress } : {}),
      });
    }
    let pool: Worker[];
    try {
      pool = await startPool(n);
    } catch (e) {
      // No worker could start (e.g. a source checkout without a TypeScript loader for
      // workers): the same verification, single-threaded on this thread.
      lastFallbackReason = e instanceof Error ? e.message : String(e);
      return await verifyDatabase(db, {
        skewMs: opts.skewMs,
        anchor: opts.anchor,
        ...(opts.witnesses ? { witnesses: opts.witnesses } : {}),
        ...(opts.onProgress ? { progress: opts.onProgress } : {}),
      });
    }
    lastFallbackReason = null;
    try {
      return await verifyWithPool(db, file, pool, opts, t0);
    } finally {
      await Promise.all(pool.map(closeWorker));
    }
  } finally {
    db.close();
  }
}

async function verifyWithPool(
  db: Db,
  file: string,
  pool: Worker[],
  opts: VerifyFileOptions,
  t0: number,
): Promise<VerifyReport> {
  const headSeq = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null }).s ?? 0;
  const keys = loadKeyRegistry(db, headSeq);
  const progress = opts.onProgress;
  const size = Math.max(1, opts.rangeSize ?? Math.max(50_000, Math.ceil(headSeq / (pool.length * 4))));

  const chainJobs: ChainJob[] = [];
  for (let lo = 1, id = 1; lo <= headSeq; lo += size, id++) {
    const hi = Math.min(headSeq, lo + size - 1);
    const p = lo === 1 ? { seq: 0, hash: GENESIS_HEX, at: null } : predecessor(db, lo);
    chainJobs.push({
      type: 'chain',
      id,
      file,
      lo,
      hi,
      prevHash: p.hash,
      prevSeq: p.seq,
      prevMaxAt: p.at,
      skewMs: opts.skewMs,
      keys,
    });
  }
  const defs = rowDefs();
  const rowsJob: RowsJob = { type: 'rows', id: 0, file, throughSeq: headSeq, defs };
  const SIG_JOB = -1;
  const sigJob: SignaturesJob = {
    type: 'signatures',
    id: SIG_JOB,
    file,
    throughSeq: headSeq,
    defs: signatureDefs(allEntities()),
  };
  let sigResult: SignaturePassResult | null = null;

  const results = new Map<number, ChainRangeResult>();
  const done = new Map<number, number>();
  let chainDone = 0;
  let rowFindings: Finding[] = [];
  progress?.('chain', 0, headSeq);
  await runJobs(pool, opts.withoutSignaturePass ? [rowsJob, ...chainJobs] : [sigJob, rowsJob, ...chainJobs], (m) => {
    if (m.type === 'progress') {
      if (m.id === 0) progress?.('rows', m.done, defs.length);
      else if (m.id === SIG_JOB) progress?.('signatures', m.done, headSeq);
      else {
        chainDone += m.done - (done.get(m.id) ?? 0);
        done.set(m.id, m.done);
        progress?.('chain', chainDone, headSeq);
      }
    } else if (m.type === 'chain') {
      results.set(m.id, m.result);
    } else if (m.type === 'rows') {
      rowFindings = m.findings;
    } else if (m.type === 'signatures') {
      sigResult = m.result;
    }
  });

  // Join: each range was seeded with the time of the entry just before it; a range that
  // has an entry earlier than the latest time of all ranges before it by more than the
  // skew is re-checked for the clock with the true running maximum (rare: only when there
  // is such a regression).
  const ordered = chainJobs.map((j) => results.get(j.id)!);
  let runningMax: number | null = null;
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i]!;
    const job = chainJobs[i]!;
    if (
      runningMax !== null &&
      r.minAt !== null &&
      (job.prevMaxAt === null || runningMax > job.prevMaxAt) &&
      r.minAt < runningMax - opts.skewMs
    ) {
      const clock = clockFindings(db, job.lo, job.hi, runningMax, opts.skewMs);
      r.findings = [...r.findings.filter((f) => f.kind !== 'clock_regression'), ...clock];
      r.maxAt = Math.max(r.maxAt ?? runningMax, runningMax);
    }
    if (r.maxAt !== null) runningMax = runningMax === null ? r.maxAt : Math.max(runningMax, r.maxAt);
  }

  const sink = new FindingSink();
  const { entries, checkpoints } = combineChain(db, ordered, headSeq, sink);
  for (const f of rowFindings) sink.add(f.kind, f.seq, f.detail, f.entity, f.id);
  const counts = sigResult ? addSignaturePass(sigResult, sink) : {};
  checkCorrections(db, headSeq, sink);
  checkTriggers(db, sink);
  checkWitnesses(db, opts.witnesses ?? [], sink);
  checkAnchor(db, opts.anchor, sink);
  progress?.('done', headSeq, headSeq);
  return {
    ok: sink.findings.length === 0,
    entries,
    checkpoints,
    verified_through: headSeq,
    elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
    findings: sink.findings,
    ...counts,
  };
}

/**
 * The start-up check (issue 3 §5): only the entries after `fromSeq`, the last sequence a
 * full verification covered. Every lookup is by rowid or index, so its cost depends on the
 * tail, not on the ledger (< 50 ms on 10,000,000 entries with a small tail).
 *
 * Checks: the tail's chain (linked to the stored hash of entry `fromSeq`), its entry hashes,
 * its checkpoints' signatures, that the head is covered by a checkpoint and no checkpoint
 * lies beyond it, the records the tail touched against their latest entry, and the anchor.
 * The clock check in the tail is seeded with the time of entry `fromSeq`, not the maximum
 * over the whole ledger (the full verification has that).
 */
export function quickTailCheck(db: Db, opts: { fromSeq: number; anchor: Anchor | null; skewMs: number }): Finding[] {
  const sink = new FindingSink();
  const headSeq = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null }).s ?? 0;
  const fromSeq = Math.max(0, Math.min(opts.fromSeq, Number.MAX_SAFE_INTEGER));
  if (fromSeq > headSeq) {
    sink.add('tail_truncated', headSeq, `the audit trail ends at #${headSeq}, but it was verified through #${fromSeq}`);
  } else {
    let prev = { seq: 0, hash: GENESIS_HEX, at: null as number | null };
    if (fromSeq > 0) {
      const r = db.prepare('SELECT seq, hash, at FROM audit_entry WHERE seq = ?').get(fromSeq) as
        | { seq: number; hash: Buffer; at: number }
        | undefined;
      if (!r) {
        sink.add('sequence_gap', fromSeq, `entry #${fromSeq}, verified earlier, is missing`);
        const p = predecessor(db, fromSeq);
        prev = p;
      } else {
        prev = { seq: r.seq, hash: Buffer.isBuffer(r.hash) ? r.hash.toString('hex') : String(r.hash), at: r.at };
      }
    }
    if (headSeq > prev.seq) {
      const keys = loadKeyRegistry(db, headSeq);
      const res = verifyChainRange(db, prev.seq + 1, headSeq, {
        prevHash: prev.hash,
        prevSeq: prev.seq,
        prevMaxAt: prev.at,
        skewMs: opts.skewMs,
        keys,
      });
      for (const f of res.findings) sink.add(f.kind, f.seq, f.detail, f.entity, f.id);
      checkTailRows(db, prev.seq + 1, headSeq, sink);
      checkCorrections(db, headSeq, sink, prev.seq + 1);
    }
    const maxCp = (db.prepare('SELECT max(seq) AS s FROM checkpoint').get() as { s: number | null }).s;
    if (maxCp !== null && maxCp > headSeq) {
      sink.add(
        'tail_truncated',
        headSeq,
        `checkpoint #${maxCp} covers entries up to #${maxCp}, but the audit trail ends at #${headSeq}`,
      );
    } else if (headSeq > 0 && maxCp !== headSeq) {
      sink.add(
        'checkpoint_mismatch',
        (maxCp ?? 0) + 1,
        `entries #${(maxCp ?? 0) + 1}–#${headSeq} are not covered by any signed checkpoint`,
      );
    }
  }
  checkTriggers(db, sink);
  checkAnchor(db, opts.anchor, sink);
  return sink.findings;
}

/** The records the tail touched, against their latest audit entry (all in the tail). */
function checkTailRows(db: Db, lo: number, hi: number, sink: FindingSink): void {
  const latest = new Map<string, { seq: number; entity: string; id: string; content: string }>();
  const rows = db
    .prepare('SELECT seq, entity, entity_id, content FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .raw(true);
  for (const r of rows.iterate(lo, hi) as Iterable<unknown[]>) {
    latest.set(`${String(r[1])}\u0000${String(r[2])}`, {
      seq: r[0] as number,
      entity: String(r[1]),
      id: String(r[2]),
      content: String(r[3]),
    });
  }
  for (const e of latest.values()) {
    const def = entityDef(e.entity);
    if (!def) continue;
    const row = db
      .prepare(`SELECT ${['id', 'rev', 'retired', ...def.columns].join(', ')} FROM ${def.table} WHERE id = ?`)
      .get(e.id) as Record<string, unknown> | undefined;
    if (!row) {
      sink.add(
        'row_missing',
        e.seq,
        `${def.name} ${e.id} is in the audit trail but not in table ${def.table}`,
        def.name,
        e.id,
      );
      continue;
    }
    if (!rowMatchesContent(row, e.content, def))
      sink.add('row_modified', e.seq, `${def.name} ${e.id} differs from audit entry #${e.seq}`, def.name, e.id);
  }
}
