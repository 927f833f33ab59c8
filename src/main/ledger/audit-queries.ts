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

/**
 * The audit history of single records, for the capabilities whose screens show one (issue 21:
 * capabilities read the ledger's tables only through the ledger). Statements prepared once.
 */
export function recordHistory(db: Db) {
  let newest: ReturnType<typeof prepareNewest> | undefined;
  function prepareNewest() {
    return db.prepare<[string, string, number], { at: number; actor: string; content: string; reason: string | null }>(
      'SELECT at, actor, content, reason FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq DESC LIMIT ?',
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
  };
}
