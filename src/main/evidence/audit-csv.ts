import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import type { AuditFilter } from '../../shared/contract/channels/ledger';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { openSqlite } from '../db/database';
import { displayContent, where } from '../ledger/audit-queries';
import { fileSha256 } from '../ledger/backup';
import { canonical } from '../ledger/hashing';
import { entityDef } from '../ledger/registry';
import { csvQueries, lastSeq } from './queries';

/**
 * The audit trail as a spreadsheet an inspector can sort and filter, and check (issue 18 §9).
 * Complete: every entry the filter selects, no row cap, streamed — read in keyset chunks of
 * 2,000 entries and written as it goes, so memory does not grow with the trail. Besides the
 * readable columns it carries everything the hash of an entry covers (docs/ledger.md §2):
 * `at_ms`, `reason_is_null`, `prev_hash`, `content` (the canonical JSON, verbatim) and
 * `entry_hash`, and on the entry that ends a transaction its checkpoint (`checkpoint_at`,
 * `checkpoint_key`, `checkpoint_sig` base64), so `lotseal_verify.py --csv FILE` can recompute
 * every hash, follow the chain and verify the checkpoint signatures against the host keys
 * registered in the same export.
 *
 * Secrets never go into a spreadsheet: the values of an entity's secret columns (password
 * hashes, sealed keys) are replaced by "[redacted]" and the columns named in
 * `content_redacted`; such an entry's own hash cannot be recomputed from the export (its
 * links and checkpoint still can), which the Python check reports as a count.
 *
 * Spreadsheet safety: a cell that begins with = + - @ tab, CR or ' gets a leading ' (a
 * spreadsheet then shows it as text); the checker strips exactly one, so it is reversible.
 */
export const AUDIT_CSV_HEADER = [
  'seq',
  'time_utc',
  'time_zone',
  'user_id',
  'printed_name',
  'workstation',
  'action',
  'entity',
  'record_id',
  'reason',
  'changes',
  'entry_hash',
  'at_ms',
  'reason_is_null',
  'prev_hash',
  'content',
  'content_redacted',
  'checkpoint_at',
  'checkpoint_key',
  'checkpoint_sig',
] as const;

export const REDACTED = '[redacted]';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v < 0 ? `'${v}` : String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const safe = s.length > 0 && FORMULA_START.has(s[0]!) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export interface AuditCsvOptions {
  dbFile: string;
  out: string;
  filter: AuditFilter;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface AuditCsvResult {
  ok: true;
  out: string;
  rows: number;
  bytes: number;
  sha256: string;
  /** The head when the export started: entries after it are not part of this export. */
  through_seq: number;
  elapsed_ms: number;
}


const CHUNK = 2_000;
/** Records whose last content is remembered for the "changes" column (older ones are looked up). */
const CACHE = 10_000;

const hex = (v: unknown): string =>
  Buffer.isBuffer(v) ? v.toString('hex') : v === null || v === undefined ? '' : Buffer.from(String(v)).toString('hex');

function parse(content: string): Record<string, unknown> | null {
  try {
    const c = JSON.parse(content) as unknown;
    return c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function exportAuditCsv(opts: AuditCsvOptions): Promise<AuditCsvResult> {
  const t0 = performance.now();
  if (!existsSync(opts.dbFile)) throw new AppErrorException(appError('database_missing', { file: opts.dbFile }));
  if (existsSync(opts.out))
    throw new AppErrorException(appError('conflict', { file: opts.out }, 'errors.export_file_exists'));
  const db = openSqlite(opts.dbFile, { readonly: true });
  const partial = `${opts.out}.partial`;
  let fd: number | null = null;
  try {
    const w = where(opts.filter);
    const through = lastSeq(db);
    const q = csvQueries(db, w.sql, w.params, CHUNK);
    const total = q.count(through);
    const last = new Map<string, Record<string, unknown>>();

    fd = openSync(partial, 'wx');
    const write = (s: string): void => {
      const b = Buffer.from(s, 'utf8');
      let off = 0;
      while (off < b.length) off += writeSync(fd!, b, off);
    };
    write(`\uFEFF${AUDIT_CSV_HEADER.join(',')}\r\n`);
    let rows = 0;
    let cursor = 0;
    opts.onProgress?.('csv', 0, total);
    for (;;) {
      const batch = q.chunk(cursor, through);
      if (batch.length === 0) break;
      const lines: string[] = [];
      for (const r of batch) {
        const def = entityDef(r.entity);
        const parsed = parse(r.content);
        // The content as the hash covers it, unless a secret column holds a value.
        let content = r.content;
        const redacted: string[] = [];
        if (parsed && def?.secret?.length) {
          const copy = { ...parsed };
          for (const k of def.secret) {
            if (k in copy && copy[k] !== null) {
              copy[k] = REDACTED;
              redacted.push(k);
            }
          }
          if (redacted.length) content = canonical(copy);
        }
        // The readable "changes" column (secrets masked, JSON columns decoded).
        const key = `${r.entity}\u0000${r.entity_id}`;
        const after = parsed ? displayContent(r.entity, parsed) : {};
        let before = last.get(key) ?? null;
        if (!before && r.action !== 'create') {
          const p = q.previousContent(r.entity, r.entity_id, r.seq);
          const pc = p !== undefined ? parse(p) : null;
          before = pc ? displayContent(r.entity, pc) : null;
        }
        let changes = '';
        for (const k of Object.keys(after)) {
          const now = JSON.stringify(after[k]);
          if (before === null) changes += `${changes ? '; ' : ''}${k}: ∅ → ${now}`;
          else if (k !== 'rev') {
            const was = JSON.stringify(before[k] ?? null);
            if (was !== now) changes += `${changes ? '; ' : ''}${k}: ${was} → ${now}`;
          }
        }
        last.delete(key);
        last.set(key, after);
        if (last.size > CACHE) last.delete(last.keys().next().value as string);
        lines.push(
          [
            r.seq,
            new Date(r.at).toISOString(),
            r.tz,
            r.actor,
            r.actor_name,
            r.ws,
            r.action,
            r.entity,
            r.entity_id,
            r.reason,
            changes,
            hex(r.hash),
            r.at,
            r.reason === null ? 1 : 0,
            hex(r.prev),
            content,
            redacted.join(','),
            r.cp_at,
            r.cp_key,
            r.cp_sig === null
              ? null
              : Buffer.isBuffer(r.cp_sig)
                ? r.cp_sig.toString('base64')
                : Buffer.from(String(r.cp_sig)).toString('base64'),
          ]
            .map(csvCell)
            .join(','),
        );
      }
      write(lines.join('\r\n') + '\r\n');
      rows += batch.length;
      cursor = batch[batch.length - 1]!.seq;
      opts.onProgress?.('csv', rows, total);
      // Let other work run between chunks (this also runs in-process when no worker can start).
      await new Promise((r) => setImmediate(r));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(partial, opts.out);
    return {
      ok: true,
      out: opts.out,
      rows,
      bytes: statSync(opts.out).size,
      sha256: await fileSha256(opts.out),
      through_seq: through,
      elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
}
