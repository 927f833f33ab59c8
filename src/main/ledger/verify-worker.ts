/**
 * Worker-thread entry of the verifier (built next to the main bundle as verify-worker.js /
 * verify-worker.cjs; run from source under tsx in tests). It only executes jobs sent by
 * verify-runner.ts, each on its own read-only connection, so a full verification never
 * blocks the Electron main process and uses both cores.
 *
 * Jobs:
 *  - chain: verifyChainRange over [lo, hi] with the border state the runner looked up;
 *  - signatures: the personal signatures, key enrolments and signed-change rules (verifySignatures);
 *  - rows:  replay of every ledgered table against the audit trail (verifyRows). The entity
 *           list comes from the runner, because services register their entities in the
 *           main thread's module graph, which a worker does not share.
 */
import { parentPort } from 'node:worker_threads';
import { openSqlite, type Db } from '../db/database';
import type { EntityDef } from './entities';
import { FindingSink, verifyChainRange, verifyRows, type ChainRangeResult, type RegisteredKey } from './verify';
import { verifySignatures, type SignatureDefs, type SignaturePassResult } from './verify-signatures';

export interface ChainJob {
  type: 'chain';
  id: number;
  file: string;
  lo: number;
  hi: number;
  prevHash: string;
  prevSeq: number;
  prevMaxAt: number | null;
  skewMs: number;
  keys: Map<string, RegisteredKey[]>;
}

export interface RowsJob {
  type: 'rows';
  id: number;
  file: string;
  throughSeq: number;
  defs: Array<Pick<EntityDef, 'name' | 'table' | 'columns' | 'secret' | 'added'>>;
}

/** The signature pass (verify-signatures.ts): sequential over the whole trail, one job. */
export interface SignaturesJob {
  type: 'signatures';
  id: number;
  file: string;
  throughSeq: number;
  defs: SignatureDefs;
}

export type WorkerJob = ChainJob | RowsJob | SignaturesJob;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; id: number; done: number }
  | { type: 'chain'; id: number; result: ChainRangeResult }
  | { type: 'rows'; id: number; findings: ChainRangeResult['findings']; tables: number }
  | { type: 'signatures'; id: number; result: SignaturePassResult }
  | { type: 'error'; id: number; message: string };

const connections = new Map<string, Db>();

function connection(file: string): Db {
  let db = connections.get(file);
  if (!db) {
    db = openSqlite(file, { readonly: true });
    connections.set(file, db);
  }
  return db;
}

export function runJob(job: WorkerJob, post: (m: WorkerMessage) => void): void {
  try {
    const db = connection(job.file);
    if (job.type === 'chain') {
      const result = verifyChainRange(
        db,
        job.lo,
        job.hi,
        { prevHash: job.prevHash, prevSeq: job.prevSeq, prevMaxAt: job.prevMaxAt, skewMs: job.skewMs, keys: job.keys },
        (done) => post({ type: 'progress', id: job.id, done }),
      );
      post({ type: 'chain', id: job.id, result });
    } else if (job.type === 'signatures') {
      const result = verifySignatures(db, job.throughSeq, job.defs, (done) =>
        post({ type: 'progress', id: job.id, done }),
      );
      post({ type: 'signatures', id: job.id, result });
    } else {
      const sink = new FindingSink();
      let i = 0;
      for (const def of job.defs) {
        verifyRows(db, def as EntityDef, job.throughSeq, sink);
        post({ type: 'progress', id: job.id, done: ++i });
      }
      post({ type: 'rows', id: job.id, findings: sink.findings, tables: i });
    }
  } catch (e) {
    post({ type: 'error', id: job.id, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: WorkerJob | { type: 'close' }) => {
    if (m.type === 'close') {
      for (const db of connections.values()) db.close();
      connections.clear();
      port.close();
      return;
    }
    runJob(m, (msg) => port.postMessage(msg));
  });
  // Handshake: the runner falls back to in-process verification if this never arrives
  // (e.g. a source checkout where the TypeScript loader is not available to workers).
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}
