import type { Statement } from 'better-sqlite3';
import type { AuditEntryView, AuditFilter } from '../../shared/contract/channels/ledger';
import type { Db } from '../db/database';
import { entityDef } from './entities';

interface EntryRow {
  seq: number;
  at: number;
  tz: string;
  actor: string;
  actor_name: string;
  ws: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
  hash: Buffer;
}

export function toEntryView(r: EntryRow): AuditEntryView {
  return {
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    timeZone: r.tz,
    actorId: r.actor,
    actorName: r.actor_name,
    workstation: r.ws,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    reason: r.reason,
    hash: r.hash.toString('hex'),
  };
}

export function where(f: AuditFilter): { sql: string; params: unknown[] } {
  const c: string[] = [];
  const p: unknown[] = [];
  const add = (clause: string, value: unknown): void => {
    c.push(clause);
    p.push(value);
  };
  if (f.entity) add('entity = ?', f.entity);
  if (f.entityId) add('entity_id = ?', f.entityId);
  if (f.actorId) add('actor = ?', f.actorId);
  if (f.action) add('action = ?', f.action);
  const from = f.from ? Date.parse(f.from) : NaN;
  const to = f.to ? Date.parse(f.to) : NaN;
  if (!Number.isNaN(from)) add('at >= ?', from);
  if (!Number.isNaN(to)) add('at <= ?', to);
  return { sql: c.length ? `WHERE ${c.join(' AND ')}` : '', params: p };
}

const COLS = 'seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, hash';

/** Newest first. Without a filter the sequence is dense, so paging is an index range, not OFFSET. */
export function queryAudit(db: Db, filter: AuditFilter, offset: number, limit: number): { total: number; entries: AuditEntryView[] } {
  const w = where(filter);
  if (!w.sql) {
    const head = (db.prepare('SELECT max(seq) AS s, count(*) AS n FROM audit_entry').get() as { s: number | null; n: number });
    const top = (head.s ?? 0) - offset;
    const rows = db.prepare(`SELECT ${COLS} FROM audit_entry WHERE seq <= ? ORDER BY seq DESC LIMIT ?`).all(top, limit) as EntryRow[];
    return { total: head.n, entries: rows.map(toEntryView) };
  }
  const total = (db.prepare(`SELECT count(*) AS n FROM audit_entry ${w.sql}`).get(...w.params) as { n: number }).n;
  const rows = db.prepare(`SELECT ${COLS} FROM audit_entry ${w.sql} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...w.params, limit, offset) as EntryRow[];
  return { total, entries: rows.map(toEntryView) };
}

const SECRET = '••••••';

/** A record's content for display: secrets masked, JSON columns decoded. */
export function displayContent(entity: string, content: Record<string, unknown>): Record<string, unknown> {
  const def = entityDef(entity);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(content)) {
    if (def?.secret?.includes(k)) out[k] = SECRET;
    else if (def?.json?.includes(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v;
      }
    } else out[k] = v;
  }
  return out;
}

export function auditEntryDetail(db: Db, seq: number) {
  const r = db.prepare(`SELECT ${COLS}, content FROM audit_entry WHERE seq = ?`).get(seq) as EntryRow | undefined;
  if (!r) return null;
  const prev = db
    .prepare('SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1')
    .get(r.entity, r.entity_id, seq) as { content: string } | undefined;
  const afterRaw = JSON.parse(r.content) as Record<string, unknown>;
  const beforeRaw = prev ? (JSON.parse(prev.content) as Record<string, unknown>) : null;
  const def = entityDef(r.entity);
  const changes: Array<{ field: string; before: unknown; after: unknown }> = [];
  const after = displayContent(r.entity, afterRaw);
  const before = beforeRaw ? displayContent(r.entity, beforeRaw) : null;
  for (const k of Object.keys({ ...(beforeRaw ?? {}), ...afterRaw })) {
    // The revision counter changes with every update; it is shown with the entry, not as a change.
    if (k === 'rev' && beforeRaw) continue;
    if (JSON.stringify(beforeRaw?.[k]) !== JSON.stringify(afterRaw[k])) {
      const secret = def?.secret?.includes(k);
      changes.push({ field: k, before: secret ? (beforeRaw ? SECRET : null) : (before?.[k] ?? null), after: secret ? `${SECRET} (changed)` : after[k] });
    }
  }
  return { entry: toEntryView(r), before, after, changes };
}

/** One audit entry of a record as a capability's history shows it (content parsed). */
export interface RecordHistoryEntry {
  at: number;
  actor: string;
  reason: string | null;
  content: Record<string, unknown>;
}

/** One audit entry of a record, in write order, content as written (JSON text). */
export interface RecordTrailRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string | null;
  action: string;
  reason: string | null;
  /** JSON: the record as written. */
  content: string;
}

function inChunks<T>(ids: readonly string[], size: number, run: (chunk: string[], ph: string) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    out.push(...run(chunk, chunk.map(() => '?').join(',')));
  }
  return out;
}

const FIELD = /^[a-z_][a-z0-9_]*$/;

/**
 * The audit history of single records, for the capabilities whose screens and rules read one
 * (issue 21: capabilities read the ledger's tables only through the ledger). Statements
 * prepared once; the reads of many records run in chunks of bound ids (one statement per chunk).
 */
export function recordHistory(db: Db) {
  let newest: ReturnType<typeof prepareNewest> | undefined;
  let trail: ReturnType<typeof prepareTrail> | undefined;
  function prepareNewest() {
    return db.prepare<[string, string, number], { at: number; actor: string; content: string; reason: string | null }>(
      'SELECT at, actor, content, reason FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?',
    );
  }
  function prepareTrail() {
    return db.prepare<[string, string], RecordTrailRow>(
      'SELECT seq, at, actor, actor_name, action, reason, content FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq',
    );
  }
  return {
    /** The audit entries of one record, newest first (at most `limit`). */
    newestOf: (entity: string, entityId: string, limit: number): RecordHistoryEntry[] =>
      (newest ??= prepareNewest()).all(entity, entityId, limit).map((e) => ({
        at: e.at,
        actor: e.actor,
        reason: e.reason,
        content: JSON.parse(e.content) as Record<string, unknown>,
      })),
    /** The audit entries of one record, oldest first. */
    trailOf: (entity: string, entityId: string): RecordTrailRow[] => (trail ??= prepareTrail()).all(entity, entityId),
    /**
     * Some fields of every audit entry of these records as written (and who wrote it), per
     * record in write order. Field names are the records' own column names.
     */
    fieldsOfEntries: <F extends string>(
      entity: string,
      ids: readonly string[],
      fields: readonly F[],
    ): Array<Record<F, string | number | null> & { entity_id: string; actor: string }> => {
      for (const f of fields) if (!FIELD.test(f)) throw new Error(`not a field name: ${f}`);
      const cols = fields.map((f) => `json_extract(content, '$.${f}') AS ${f}`).join(', ');
      return inChunks(ids, 400, (chunk, ph) =>
        db
          .prepare<unknown[], Record<F, string | number | null> & { entity_id: string; actor: string }>(
            `SELECT entity_id, actor, ${cols} FROM audit_entry WHERE entity = ? AND entity_id IN (${ph}) ORDER BY entity_id, seq`,
          )
          .all(entity, ...chunk),
      );
    },
  };
}

/** An audit entry as a lot's audit-trail review reads it (content as written, JSON text). */
export interface ScopeEntryRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
}

/**
 * The reads of the audit trail and the signatures a review of records needs (a lot's audit
 * scope, disposition's audit-trail review): the entries of sets of records, the signatures on
 * them with the sequence number of their entry, an entry by its sequence number, a record's
 * content before an entry. Statements are prepared once (those whose IN list grows with the
 * ids asked, once per list length: callers ask in chunks).
 */
export function auditScopeReads(db: Db) {
  const sized = new Map<string, Statement<unknown[], unknown>>();
  function inList<R>(key: string, n: number, sql: (ph: string) => string): Statement<unknown[], R> {
    const k = `${key}|${n}`;
    let s = sized.get(k);
    if (!s) {
      s = db.prepare<unknown[], unknown>(sql(Array.from({ length: n }, () => '?').join(',')));
      sized.set(k, s);
    }
    return s as Statement<unknown[], R>;
  }
  let lastSeq: Statement<[string, string], { seq: number | null }> | undefined;
  let at: Statement<[number], { entity: string; entity_id: string }> | undefined;
  let before: Statement<[string, string, number], { content: string }> | undefined;
  return {
    /** The sequence number of a record's last audit entry (null: none). */
    lastEntrySeq: (entity: string, entityId: string): number | null =>
      (lastSeq ??= db.prepare('SELECT max(seq) AS seq FROM audit_entry WHERE entity = ? AND entity_id = ?')).get(
        entity,
        entityId,
      )?.seq ?? null,
    /** The sequence numbers of the audit entries of a record's signatures with one of these meanings. */
    signatureEntrySeqs: (entity: string, entityId: string, meanings: readonly string[]): number[] =>
      inList<{ seq: number }>(
        'signature-seqs',
        meanings.length,
        (ph) => `SELECT a.seq FROM audit_entry a JOIN signature s ON s.id = a.entity_id
     WHERE a.entity = 'signature' AND s.entity = ? AND s.entity_id = ? AND s.meaning IN (${ph})`,
      )
        .all(entity, entityId, ...meanings)
        .map((r) => r.seq),
    /** The record an audit entry wrote. */
    entryAt: (seq: number) => (at ??= db.prepare('SELECT entity, entity_id FROM audit_entry WHERE seq = ?')).get(seq),
    /** A record's content as written by its last entry before `seq` (null: none). */
    previousContent: (entity: string, entityId: string, seq: number): string | null =>
      (before ??= db.prepare(
        'SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1',
      )).get(entity, entityId, seq)?.content ?? null,
    /** Signatures on records of one entity, with the sequence number of their audit entry. */
    signaturesOn: (entity: string, entityIds: string[]): Array<{ id: string; user_id: string; seq: number | null }> =>
      inList<{ id: string; user_id: string; seq: number | null }>(
        'signatures',
        entityIds.length,
        (ph) => `SELECT s.id, s.user_id, (SELECT max(a.seq) FROM audit_entry a WHERE a.entity = 'signature' AND a.entity_id = s.id) AS seq
                 FROM signature s WHERE s.entity = ? AND s.entity_id IN (${ph})`,
      ).all(entity, ...entityIds),
    /** Audit entries of records of one entity, oldest first, up to a sequence number when given. */
    entriesOf: (entity: string, entityIds: string[], maxSeq: number | null): ScopeEntryRow[] =>
      inList<ScopeEntryRow>(
        maxSeq !== null ? 'entries-bounded' : 'entries',
        entityIds.length,
        (ph) =>
          `SELECT seq, at, actor, actor_name, action, entity, entity_id, reason, content FROM audit_entry WHERE entity = ? AND entity_id IN (${ph})${maxSeq !== null ? ' AND seq <= ?' : ''} ORDER BY seq`,
      ).all(entity, ...entityIds, ...(maxSeq !== null ? [maxSeq] : [])),
  };
}
export type AuditScopeReads = ReturnType<typeof auditScopeReads>;
