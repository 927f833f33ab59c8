import { AppErrorException, appError } from '../../shared/contract/errors';
import type { Db } from '../db/database';
import type { RequestMark } from './origin';

/**
 * Exactly once (issue 23 §2, D-092): the request ids of the writes a site server ran, in table
 * `request_log` (migration 0021). The id is inserted by `Ledger.write` inside the transaction
 * of the call's first commit, so a write and its id are durable together or not at all; the
 * reply is kept after the call returns. Not a record of the signed store (no audit entry): it
 * is the server's memory of what it already did, checked before a write runs again.
 */
export interface RequestRow {
  request_id: string;
  host_key: string;
  channel: string;
  user_id: string | null;
  at: number;
  first_seq: number;
  last_seq: number;
  /** The reply sent (the contract's Result as JSON); null when the server stopped before keeping it. */
  reply: string | null;
}

/** Inside the write transaction: the first commit of a call inserts its id, a later one moves `last_seq`. */
export function recordRequest(db: Db, r: RequestMark, commit: { at: number; seq: number }): void {
  if (r.recordedSeq !== null) {
    db.prepare('UPDATE request_log SET last_seq = ? WHERE request_id = ?').run(commit.seq, r.id);
    return;
  }
  try {
    db.prepare(
      'INSERT INTO request_log (request_id, host_key, channel, user_id, at, first_seq, last_seq, reply) VALUES (?,?,?,?,?,?,?,NULL)',
    ).run(r.id, r.hostKeyId, r.channel, r.userId, commit.at, commit.seq, commit.seq);
  } catch (e) {
    // Another run of the same request committed first: this transaction rolls back, nothing twice.
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      // Another person's (or host's, or channel's) request under the same id: not "already saved" (D-121).
      const first = db
        .prepare<
          [string],
          Pick<RequestRow, 'host_key' | 'channel' | 'user_id'>
        >('SELECT host_key, channel, user_id FROM request_log WHERE request_id = ?')
        .get(r.id);
      if (first && (first.host_key !== r.hostKeyId || first.channel !== r.channel || first.user_id !== r.userId))
        throw new AppErrorException(appError('conflict', { requestId: r.id }, 'errors.request_id_reused'));
      throw new AppErrorException(appError('already_applied', { requestId: r.id }, 'errors.already_applied'));
    }
    throw e;
  }
}

export function requestLog(db: Db) {
  const byId = db.prepare<[string], RequestRow>('SELECT * FROM request_log WHERE request_id = ?');
  const keep = db.prepare<[string, string], unknown>('UPDATE request_log SET reply = ? WHERE request_id = ?');
  const started = db.prepare<[string, string, string, string | null, number, number, number, string], unknown>(
    'INSERT OR IGNORE INTO request_log (request_id, host_key, channel, user_id, at, first_seq, last_seq, reply) VALUES (?,?,?,?,?,?,?,?)',
  );
  return {
    get: (id: string): RequestRow | undefined => byId.get(id),
    /**
     * A write call that succeeded without committing in this thread (it started a job, e.g. an
     * ERP import in a worker): its reply (the job id) is kept, so a retry does not start the job
     * again. Not in the job's transaction: a crash before this line lets a retry start it again
     * (the import is idempotent: unchanged rows are not written twice).
     */
    keepStarted: (r: RequestMark, at: number, headSeq: number, reply: unknown): void => {
      started.run(r.id, r.hostKeyId, r.channel, r.userId, at, headSeq, headSeq, JSON.stringify(reply));
    },
    /** After the call: the reply a retry of the same id gets. */
    keepReply: (id: string, reply: unknown): void => {
      keep.run(JSON.stringify(reply), id);
    },
  };
}
export type RequestLog = ReturnType<typeof requestLog>;
