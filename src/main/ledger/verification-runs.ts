import type { Finding } from '../../shared/contract/channels/ledger';
import type { Db } from '../db/database';
import type { Row } from './entities';

/**
 * The ledger's own records about itself, read as typed rows (issue 21): verification runs
 * (full runs and recorded start-up checks), audit-trail reviews, and the stored hash of an
 * entry (a witness). Rows are parsed here, once.
 */

export interface VerificationRunRow {
  id: string;
  rev: number;
  started_at: number;
  finished_at: number;
  verified_through: number;
  entries: number;
  checkpoints: number;
  findings: Finding[];
  review_status: 'open' | 'reviewed' | 'none';
  /** `startup` for a recorded start-up check; null for a full verification. */
  scope: string | null;
}

type RawRun = Omit<VerificationRunRow, 'findings'> & { findings: string };

export interface AuditReviewRow {
  id: string;
  through_seq: number;
  filter: string;
  comment: string;
}

/** A `verification_run` record read through the ledger (`w.get`) as the run it is (findings parsed). */
export function asRun(r: Row): VerificationRunRow {
  return parseRun(r as unknown as RawRun)!;
}

const parseRun = (r: RawRun | undefined): VerificationRunRow | undefined =>
  r ? { ...r, findings: JSON.parse(r.findings) as Finding[] } : undefined;

const RUN_COLS =
  'id, rev, started_at, finished_at, verified_through, entries, checkpoints, findings, review_status, scope';

export function verificationQueries(db: Db) {
  const last = db.prepare<[], RawRun>(
    `SELECT ${RUN_COLS} FROM verification_run ORDER BY finished_at DESC, rev DESC LIMIT 1`,
  );
  const lastFull = db.prepare<[], RawRun>(
    `SELECT ${RUN_COLS} FROM verification_run WHERE scope IS NULL ORDER BY finished_at DESC, rev DESC LIMIT 1`,
  );
  const byId = db.prepare<[string], RawRun>(`SELECT ${RUN_COLS} FROM verification_run WHERE id = ?`);
  const open = db.prepare<[], { findings: string }>(
    "SELECT findings FROM verification_run WHERE review_status = 'open'",
  );
  const startupSeen = db
    .prepare<
      [number, string],
      number
    >("SELECT 1 FROM verification_run WHERE scope = 'startup' AND finished_at >= ? AND findings = ? LIMIT 1")
    .pluck();
  const reviews = db.prepare<[], AuditReviewRow>(
    'SELECT id, through_seq, filter, comment FROM audit_review ORDER BY through_seq DESC LIMIT 100',
  );
  const hashAt = db.prepare<[number], string>('SELECT lower(hex(hash)) AS h FROM audit_entry WHERE seq = ?').pluck();
  return {
    /** The last verification run, full or start-up. */
    lastRun: (): VerificationRunRow | undefined => parseRun(last.get()),
    /** The last full verification (start-up checks are recorded as runs of scope `startup`). */
    lastFullRun: (): VerificationRunRow | undefined => parseRun(lastFull.get()),
    run: (id: string): VerificationRunRow | undefined => parseRun(byId.get(id)),
    /** The findings of every run not yet reviewed. */
    openFindings: (): Finding[] => open.all().flatMap((r) => JSON.parse(r.findings) as Finding[]),
    /** Whether the same start-up findings (as JSON) were recorded since `since`. */
    startupRecorded: (since: number, findingsJson: string): boolean =>
      startupSeen.get(since, findingsJson) !== undefined,
    /** The last hundred audit-trail reviews, newest first. */
    auditReviews: (): AuditReviewRow[] => reviews.all(),
    /** The stored hash of an entry (lower-case hex), if the entry exists. */
    entryHash: (seq: number): string | undefined => hashAt.get(seq),
  };
}
export type VerificationQueries = ReturnType<typeof verificationQueries>;

const cache = new WeakMap<Db, VerificationQueries>();

/** The verification queries of a connection, prepared once per connection. */
export function verificationRuns(db: Db): VerificationQueries {
  let q = cache.get(db);
  if (!q) {
    q = verificationQueries(db);
    cache.set(db, q);
  }
  return q;
}
