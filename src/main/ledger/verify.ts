import type { Finding, FindingKind, VerifyReport } from '../../shared/contract/channels/ledger';
import type { Db } from '../db/database';
import type { Anchor } from './anchor';
import { changedFields } from './corrections';
import { allEntities } from './registry';
import type { EntityDef } from './entities';
import * as nodeCrypto from 'node:crypto';
import { GENESIS_HEX, canonical, checkpointMessage, entryPreimage, type EntryFields } from './hashing';
import { verifySignature } from './keys';
import { migrations } from '../db/migrations';
import { verifySignatures, type SignatureDefs, type SignaturePassResult } from './verify-signatures';

/**
 * Verification of the signed store (docs/ledger.md §5). Pure functions over a read-only
 * connection, so they run the same in a worker thread, the CLI and tests:
 *  1. the chain: every entry's hash recomputed, prev links, gapless sequence, clock;
 *  2. checkpoints: each names an entry and hash that exist, is signed by a registered key
 *     valid at that time, and the newest entry is covered by a checkpoint;
 *  3. rows: every ledgered table replayed against the latest audit entry of each record;
 *  4. the anchor: the database does not end before a head signed outside it.
 */
export const MAX_FINDINGS_PER_KIND = 200;

export interface RegisteredKey {
  id: string;
  publicKey: string;
  validFrom: number;
  validTo: number | null;
  /** Sequence of the entry that registered (or last changed) it. */
  seq: number;
}

export class FindingSink {
  readonly findings: Finding[] = [];
  private counts = new Map<FindingKind, number>();
  add(
    kind: FindingKind,
    seq: number | null,
    detail: string,
    entity: string | null = null,
    id: string | null = null,
  ): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= MAX_FINDINGS_PER_KIND) this.findings.push({ kind, seq, entity, id, detail });
    else if (n === MAX_FINDINGS_PER_KIND + 1)
      this.findings.push({ kind, seq, entity, id, detail: `more ${kind} findings not listed` });
  }
}

export function loadKeyRegistry(db: Db, throughSeq: number): Map<string, RegisteredKey[]> {
  const rows = db
    .prepare("SELECT seq, entity_id, content FROM audit_entry WHERE entity = 'signing_key' AND seq <= ? ORDER BY seq")
    .all(throughSeq) as Array<{ seq: number; entity_id: string; content: string }>;
  const keys = new Map<string, RegisteredKey[]>();
  for (const r of rows) {
    try {
      const c = JSON.parse(r.content) as {
        public_key: string;
        valid_from: number;
        valid_to: number | null;
        retired: number;
      };
      const list = keys.get(r.entity_id) ?? [];
      list.push({
        id: r.entity_id,
        publicKey: c.public_key,
        validFrom: c.valid_from,
        validTo: c.retired ? r.seq : c.valid_to,
        seq: r.seq,
      });
      keys.set(r.entity_id, list);
    } catch {
      // A damaged registry entry is reported by the chain check (its hash no longer matches).
    }
  }
  return keys;
}

export interface ChainRangeResult {
  entries: number;
  checkpoints: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  lastAt: number | null;
  /** Highest entry time seen so far (including the prevMaxAt seed). */
  maxAt: number | null;
  /** Lowest entry time in this range: lets the runner spot a clock regression across a range border. */
  minAt: number | null;
  /** Highest checkpointed seq in this range. */
  lastCheckpointSeq: number | null;
  findings: Finding[];
}

// Rows per query: small enough that a chunk dies young (a 20,000-row chunk was promoted to
// the old generation and GC took a third of the time), large enough to amortise the query.
const CHUNK = 1_000;

/**
 * The entry hash preimage of docs/ledger.md §2, assembled by SQLite: byte for byte what
 * entryPreimage() builds, because json_quote writes a TEXT value exactly as JSON.stringify
 * does for every well-formed string (tests/unit/ledger-properties.test.ts checks the two
 * agree on arbitrary Unicode). No type guards here (they doubled the cost): a BLOB an
 * attacker put into a text column makes json_quote throw, and that chunk is then read by
 * the JavaScript fallback (preimageRows), which refuses any value of the wrong type.
 */
export const PREIMAGE_SQL = [
  `'{"action":' || json_quote(action)`,
  `',"actor":' || json_quote(actor)`,
  `',"actor_name":' || json_quote(actor_name)`,
  `',"at":' || at`,
  `',"content":' || content`,
  `',"entity":' || json_quote(entity)`,
  `',"entity_id":' || json_quote(entity_id)`,
  `',"prev":"' || lower(hex(prev))`,
  `'","reason":' || json_quote(reason)`,
  `',"seq":' || seq`,
  `',"tz":' || json_quote(tz)`,
  `',"ws":' || json_quote(ws) || '}'`,
].join(' || ');

/**
 * The slow, strict path for a chunk SQLite could not assemble: the same rows as the fast
 * query ([seq, at, preimage, prev hex, hash hex]), with preimage null when a column does
 * not hold the type the ledger wrote.
 */
function preimageRows(db: Db, lo: number, hi: number, limit: number): unknown[][] {
  const rows = db
    .prepare(
      'SELECT seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
    )
    .raw(true)
    .all(lo, hi, limit) as unknown[][];
  const hex = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('hex') : '');
  return rows.map((r) => {
    const texts = [r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[10]];
    const typed =
      texts.every((t) => typeof t === 'string') &&
      Number.isSafeInteger(r[1]) &&
      (r[9] === null || typeof r[9] === 'string');
    const fields: EntryFields = {
      seq: r[0] as number,
      at: r[1] as number,
      tz: r[2] as string,
      actor: r[3] as string,
      actor_name: r[4] as string,
      ws: r[5] as string,
      action: r[6] as string,
      entity: r[7] as string,
      entity_id: r[8] as string,
      reason: r[9] as string | null,
      content: r[10] as string,
    };
    return [r[0], r[1], typed ? entryPreimage(fields, hex(r[11])) : null, hex(r[11]), hex(r[12])];
  });
}

/**
 * SHA-256 hex of a UTF-8 string. crypto.hash (Node ≥ 20.12; Electron 45 ships Node 22) is
 * the one-shot form, about 3× faster than createHash for an entry-sized input; the same bytes
 * as entryHash() in hashing.ts.
 */
const sha256HexOf: (s: string) => string =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? (s) => nodeCrypto.hash('sha256', s, 'hex')
    : (s) => nodeCrypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** A column an attacker may have rewritten with another type: compare it as bytes anyway. */
function asBuffer(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v === null || v === undefined ? '' : String(v), 'utf8');
}

function clockDetail(seq: number, at: number, maxAt: number): string {
  return `entry #${seq} is dated ${new Date(at).toISOString()}, ${Math.round((maxAt - at) / 1000)} s before an earlier entry`;
}

/**
 * Verifies entries with lo <= seq <= hi and the checkpoints in that range. `prevHash` is the
 * stored hash of entry lo-1 (GENESIS for lo = 1), `prevAt` its time; the caller joins ranges.
 *
 * This loop is the verifier's hot path (≥ 250,000 entries/s per the issue, docs/performance.md):
 * SQLite builds the preimage and the hex, JS only hashes and compares strings; checkpoints
 * are fetched per chunk and looked up by seq; entity and id are read only for a finding.
 */
export function verifyChainRange(
  db: Db,
  lo: number,
  hi: number,
  ctx: {
    prevHash: string;
    prevSeq: number;
    prevMaxAt: number | null;
    skewMs: number;
    keys: Map<string, RegisteredKey[]>;
  },
  progress?: (done: number) => void,
): ChainRangeResult {
  const sink = new FindingSink();
  // SQLite assembles each entry's hash preimage (PREIMAGE_SQL, byte-identical to
  // entryPreimage in hashing.ts) and returns the hashes as lower-case hex: per entry, JS sees
  // two numbers and three strings instead of thirteen values and two Buffers, and only
  // hashes and compares (see docs/performance.md for what this bought).
  const entriesStmt = db
    .prepare(
      `SELECT seq, at, ${PREIMAGE_SQL}, lower(hex(prev)), lower(hex(hash)) FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
    )
    .raw(true);
  const whoStmt = db.prepare('SELECT entity, entity_id FROM audit_entry WHERE seq = ?');
  const who = (seq: number): { entity: string | null; id: string | null } => {
    const w = whoStmt.get(seq) as { entity: unknown; entity_id: unknown } | undefined;
    return { entity: w ? String(w.entity) : null, id: w ? String(w.entity_id) : null };
  };
  const cpStmt = db
    .prepare('SELECT seq, lower(hex(head)), at, key_id, sig FROM checkpoint WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .raw(true);
  let expected = ctx.prevSeq + 1;
  let prevHex = ctx.prevHash;
  let maxAt = ctx.prevMaxAt;
  let minAt: number | null = null;
  let lastAt: number | null = null;
  let entries = 0;
  let checkpoints = 0;
  let firstSeq: number | null = null;
  let lastCheckpointSeq: number | null = null;
  let cursor = lo;
  let reported = 0;
  const skew = ctx.skewMs;
  while (cursor <= hi) {
    let rows: unknown[][];
    try {
      rows = entriesStmt.all(cursor, hi, CHUNK) as unknown[][];
    } catch {
      rows = preimageRows(db, cursor, hi, CHUNK);
    }
    if (rows.length === 0) break;
    const chunkHi = rows[rows.length - 1]![0] as number;
    // The chunk's checkpoints, looked up by seq as the entries go by.
    const cps = cpStmt.all(cursor, chunkHi) as unknown[][];
    const cpHashes = cps.length > 0 ? new Map<number, string | null>() : null;
    if (cpHashes) for (const c of cps) cpHashes.set(c[0] as number, null);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const seq = r[0] as number;
      const at = r[1] as number;
      const preimage = r[2] as string | null;
      const storedPrev = r[3] as string;
      const stored = r[4] as string;
      if (firstSeq === null) firstSeq = seq;
      if (seq !== expected) {
        sink.add(
          'sequence_gap',
          seq,
          seq > expected ? `entries #${expected}–#${seq - 1} are missing` : `entry #${seq} is out of order`,
        );
      }
      // A NULL preimage: a column no longer has the type the ledger wrote (tampered).
      if (preimage === null || sha256HexOf(preimage) !== stored) {
        const w = who(seq);
        sink.add(
          'entry_hash_mismatch',
          seq,
          `entry #${seq} (${w.entity} ${w.id}) does not match its hash`,
          w.entity,
          w.id,
        );
      }
      if (storedPrev !== prevHex) {
        const w = who(seq);
        sink.add('chain_break', seq, `entry #${seq} does not link to the entry before it`, w.entity, w.id);
      }
      if (maxAt !== null && at < maxAt - skew) {
        const w = who(seq);
        sink.add('clock_regression', seq, clockDetail(seq, at, maxAt), w.entity, w.id);
      }
      if (maxAt === null || at > maxAt) maxAt = at;
      if (minAt === null || at < minAt) minAt = at;
      lastAt = at;
      prevHex = stored;
      expected = seq + 1;
      entries += 1;
      if (cpHashes !== null && cpHashes.has(seq)) cpHashes.set(seq, stored);
    }
    for (const c of cps) {
      checkpoints += 1;
      checkCheckpoint(c, cpHashes!.get(c[0] as number) ?? null, ctx.keys, sink);
      lastCheckpointSeq = c[0] as number;
    }
    cursor = chunkHi + 1;
    if (progress && entries - reported >= 20_000) {
      reported = entries;
      progress(entries);
    }
  }
  if (progress && reported !== entries) progress(entries);
  // Checkpoints between the last entry and hi (entries missing from the end of this range).
  const tail = cursor <= hi ? (cpStmt.all(cursor, hi) as unknown[][]) : [];
  for (const c of tail) {
    checkpoints += 1;
    checkCheckpoint(c, null, ctx.keys, sink);
    lastCheckpointSeq = c[0] as number;
  }
  return {
    entries,
    checkpoints,
    firstSeq,
    lastSeq: entries > 0 ? expected - 1 : null,
    lastHash: entries > 0 ? prevHex : null,
    lastAt,
    maxAt,
    minAt,
    lastCheckpointSeq,
    findings: sink.findings,
  };
}

/**
 * Clock check only, for a range whose predecessor ranges reached a later time than the
 * entry before it (a regression across a range border, found when joining parallel ranges).
 */
export function clockFindings(db: Db, lo: number, hi: number, seedMaxAt: number, skewMs: number): Finding[] {
  const sink = new FindingSink();
  let maxAt = seedMaxAt;
  const stmt = db
    .prepare('SELECT seq, at, entity, entity_id FROM audit_entry WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .raw(true);
  for (const r of stmt.iterate(lo, hi) as Iterable<unknown[]>) {
    const seq = r[0] as number;
    const at = r[1] as number;
    if (at < maxAt - skewMs)
      sink.add('clock_regression', seq, clockDetail(seq, at, maxAt), r[2] as string, r[3] as string);
    if (at > maxAt) maxAt = at;
  }
  return sink.findings;
}

function checkCheckpoint(
  c: unknown[],
  entryHashHex: string | null,
  keys: Map<string, RegisteredKey[]>,
  sink: FindingSink,
): void {
  const seq = c[0] as number;
  const head = c[1] as string;
  const at = c[2] as number;
  const keyId = c[3] as string;
  const sig = asBuffer(c[4]);
  if (entryHashHex === null) {
    // Reported as tail_truncated or checkpoint_mismatch by the caller, who knows the head.
    sink.add('checkpoint_mismatch', seq, `checkpoint #${seq} names entry #${seq}, which is not in the audit trail`);
  } else if (entryHashHex !== head) {
    sink.add('checkpoint_mismatch', seq, `checkpoint #${seq} signed a different hash than entry #${seq} has`);
  }
  const versions = keys.get(keyId);
  const valid = versions?.some((k) => k.seq <= seq && at >= k.validFrom && (k.validTo === null || at <= k.validTo));
  const candidate = versions?.[versions.length - 1];
  if (!valid || !candidate) {
    sink.add(
      'unknown_key',
      seq,
      `checkpoint #${seq} is signed by key ${keyId}, which is not registered or not valid at that time`,
    );
    if (!candidate) return;
  }
  if (!verifySignature(candidate.publicKey, checkpointMessage(seq, head, at, keyId), sig)) {
    sink.add(
      'checkpoint_signature_invalid',
      seq,
      `the signature of checkpoint #${seq} does not verify with key ${keyId}`,
    );
  }
}

/**
 * Does a stored row say what its latest audit entry says? The canonical JSON of the row
 * must equal the entry's content byte for byte, except that a column the entity declares
 * as `added` by a later migration may be absent from content written before that migration
 * when the row holds NULL there (docs/ledger.md §5.1).
 */
export function rowMatchesContent(
  row: Record<string, unknown>,
  content: string,
  def: Pick<EntityDef, 'added'>,
): boolean {
  try {
    if (canonical(row) === content) return true;
    if (!def.added?.length) return false;
    let stripped: Record<string, unknown> | null = null;
    for (const c of def.added) {
      if (row[c] === null && !content.includes(`${JSON.stringify(c)}:`)) {
        stripped ??= { ...row };
        delete stripped[c];
      }
    }
    return stripped !== null && canonical(stripped) === content;
  } catch {
    return false;
  }
}

/** Replays one ledgered table against the latest audit entry of each of its records. */
export function verifyRows(db: Db, def: EntityDef, throughSeq: number, sink: FindingSink): number {
  // The table and the audit trail are read in ONE read transaction, bounded by the head of
  // that snapshot when writes committed after `throughSeq` (a live database: the run read its
  // head earlier, and the app keeps writing). Bounding by the older head while reading newer
  // rows would report every row written since as modified or unrecorded.
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    const snapshotHead = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null }).s ?? 0;
    return rowsAgainstTrail(db, def, Math.max(throughSeq, snapshotHead), sink);
  } finally {
    if (own) db.exec('COMMIT');
  }
}

function rowsAgainstTrail(db: Db, def: EntityDef, throughSeq: number, sink: FindingSink): number {
  const cols = ['id', 'rev', 'retired', ...def.columns];
  const select = cols.map((c) => `t.${c} AS c_${c}`).join(', ');
  const stmt = db.prepare(
    `WITH latest AS (SELECT entity_id, max(seq) AS seq FROM audit_entry WHERE entity = ? AND seq <= ? GROUP BY entity_id)
     SELECT l.entity_id AS e_id, l.seq AS e_seq, a.content AS e_content, ${select}
     FROM latest l JOIN audit_entry a ON a.seq = l.seq
     FULL OUTER JOIN ${def.table} t ON t.id = l.entity_id`,
  );
  let n = 0;
  for (const r of stmt.iterate(def.name, throughSeq) as Iterable<Record<string, unknown>>) {
    n += 1;
    const id = r['c_id'] as string | null;
    const eid = r['e_id'] as string | null;
    if (id === null) {
      sink.add(
        'row_missing',
        r['e_seq'] as number,
        `${def.name} ${eid} is in the audit trail but not in table ${def.table}`,
        def.name,
        eid,
      );
      continue;
    }
    if (eid === null) {
      sink.add(
        'row_unrecorded',
        null,
        `${def.name} ${id} is in table ${def.table} without any audit entry`,
        def.name,
        id,
      );
      continue;
    }
    const row: Record<string, unknown> = {};
    for (const c of cols) row[c] = r[`c_${c}`];
    if (!rowMatchesContent(row, r['e_content'] as string, def)) {
      const diff = diffFields(row, r['e_content'] as string, def);
      sink.add(
        'row_modified',
        r['e_seq'] as number,
        `${def.name} ${id} differs from audit entry #${r['e_seq']}${diff}`,
        def.name,
        id,
      );
    }
  }
  return n;
}

function diffFields(row: Record<string, unknown>, content: string, def: EntityDef): string {
  try {
    const c = JSON.parse(content) as Record<string, unknown>;
    const fields = Object.keys({ ...c, ...row }).filter((k) => JSON.stringify(c[k]) !== JSON.stringify(row[k]));
    const shown = fields.map((f) => (def.secret?.includes(f) ? `${f} (secret)` : f));
    return fields.length ? ` in field(s) ${shown.join(', ')}` : '';
  } catch {
    return '';
  }
}

export function checkAnchor(db: Db, anchor: Anchor | null, sink: FindingSink): void {
  if (!anchor) return;
  const r = db.prepare('SELECT hash FROM audit_entry WHERE seq = ?').get(anchor.seq) as { hash: Buffer } | undefined;
  const head = db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null };
  if ((head.s ?? 0) < anchor.seq) {
    sink.add(
      'anchor_behind',
      head.s ?? 0,
      `the database ends at #${head.s ?? 0}, but this workstation signed up to #${anchor.seq}: it was replaced by an older copy`,
    );
  } else if (!r || r.hash.toString('hex') !== anchor.hash) {
    sink.add(
      'anchor_behind',
      anchor.seq,
      `entry #${anchor.seq} is not the one this workstation signed: the database was replaced`,
    );
  }
}

/** A head printed on paper (a COA's QR code, an evidence pack): `--witness SEQ:HASH`. */
export interface Witness {
  seq: number;
  hash: string;
}

/**
 * The chain holds exactly this head at this sequence number (docs/ledger.md §5): a finding
 * `witness_mismatch` otherwise. The stored hash is compared; the chain check proves the stored
 * hashes are the chain's.
 */
export function checkWitnesses(db: Db, witnesses: readonly Witness[], sink: FindingSink): void {
  const stmt = db.prepare('SELECT lower(hex(hash)) AS h, entity, entity_id FROM audit_entry WHERE seq = ?');
  const head = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null }).s ?? 0;
  for (const w of witnesses) {
    const r = stmt.get(w.seq) as { h: string; entity: string; entity_id: string } | undefined;
    if (!r)
      sink.add('witness_mismatch', w.seq, `the chain ends at #${head}: it does not hold the witnessed entry #${w.seq}`);
    else if (r.h !== w.hash.toLowerCase())
      sink.add(
        'witness_mismatch',
        w.seq,
        `entry #${w.seq} has hash ${r.h}, but the witness says ${w.hash.toLowerCase()}`,
        r.entity,
        r.entity_id,
      );
  }
}

/**
 * The append-only triggers every applied migration created are still there, unchanged
 * (docs/ledger.md §5): `triggers_missing` for each one dropped or rewritten. Triggers are not
 * what proves integrity (verification is), but removing them is how an attacker starts.
 */
export function expectedTriggers(appliedIds: ReadonlySet<string>): Map<string, { table: string; sql: string }> {
  const out = new Map<string, { table: string; sql: string }>();
  for (const m of migrations) {
    if (!appliedIds.has(m.id)) continue;
    for (const t of m.sql.matchAll(/CREATE TRIGGER (\w+) [^;]*? ON (\w+)[\s\S]*?END;/g))
      out.set(t[1]!, { table: t[2]!, sql: t[0].slice(0, -1) });
  }
  return out;
}

export function checkTriggers(db: Db, sink: FindingSink): void {
  let applied: Set<string>;
  try {
    applied = new Set((db.prepare('SELECT id FROM schema_migration').all() as Array<{ id: string }>).map((r) => r.id));
  } catch {
    return;
  }
  const actual = new Map(
    (
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{
        name: string;
        sql: string | null;
      }>
    ).map((r) => [r.name, r.sql]),
  );
  for (const [name, t] of expectedTriggers(applied)) {
    const sql = actual.get(name);
    if (sql === undefined)
      sink.add('triggers_missing', null, `the append-only trigger ${name} on ${t.table} was dropped`, t.table, name);
    else if (sql !== t.sql)
      sink.add(
        'triggers_missing',
        null,
        `the append-only trigger ${name} on ${t.table} was replaced by another`,
        t.table,
        name,
      );
  }
}

/**
 * Corrections (docs/ledger.md §1.1, D-073): every `correction` record, as its creating entry
 * wrote it, must name what the trail holds — its `correction_seq` an earlier update of that
 * record, its `original_seq` the record's entry before (0: none), no entry of the record
 * between the two outside the correction's transaction, `fields` the columns that differ
 * between the two contents — and be written in the transaction of that change (those recorded
 * by migration 0016's own transaction excepted: they record older corrections).
 * `correction_mismatch` at the correction's entry otherwise. The start-up check passes
 * `fromSeq`: only the corrections its tail wrote.
 */
export function checkCorrections(db: Db, throughSeq: number, sink: FindingSink, fromSeq = 1): void {
  type Entry = { seq: number; action: string; entity: string; entity_id: string; content: string };
  const corrections = db
    .prepare<[number, number], Entry>(
      "SELECT seq, action, entity, entity_id, content FROM audit_entry WHERE entity = 'correction' AND action = 'create' AND seq >= ? AND seq <= ? ORDER BY seq",
    )
    .all(fromSeq, throughSeq);
  if (!corrections.length) return;
  const entryAt = db.prepare<[number], Entry>('SELECT seq, action, entity, entity_id, content FROM audit_entry WHERE seq = ?');
  const txEnd = db.prepare<[number], { s: number | null }>('SELECT min(seq) AS s FROM checkpoint WHERE seq >= ?');
  const prevOf = db.prepare<[string, string, number], { s: number | null }>(
    'SELECT max(seq) AS s FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ?',
  );
  const nextOf = db.prepare<[string, string, number], { s: number | null }>(
    'SELECT min(seq) AS s FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq > ?',
  );
  const m16 = db
    .prepare<[], { seq: number }>("SELECT seq FROM audit_entry WHERE entity = 'schema_migration' AND entity_id = '0016' ORDER BY seq LIMIT 1")
    .get();
  const backfillTx = m16 ? (txEnd.get(m16.seq)?.s ?? null) : null;
  const contentOf = (e: Entry | undefined): Record<string, unknown> => (e ? (JSON.parse(e.content) as Record<string, unknown>) : {});
  for (const e of corrections) {
    const c = contentOf(e);
    const problem = ((): string | null => {
      const entity = c['entity'];
      const id = c['entity_id'];
      const cs = c['correction_seq'];
      const os = c['original_seq'];
      if (typeof entity !== 'string' || typeof id !== 'string' || !Number.isSafeInteger(cs) || !Number.isSafeInteger(os))
        return 'the correction does not name a record and two entries';
      const corrected = (cs as number) < e.seq ? entryAt.get(cs as number) : undefined;
      if (!corrected || corrected.action !== 'update' || corrected.entity !== entity || corrected.entity_id !== id)
        return `entry #${String(cs)} is not an earlier update of ${entity} ${id}`;
      const original = (os as number) > 0 ? entryAt.get(os as number) : undefined;
      if ((os as number) > 0 && (!original || original.entity !== entity || original.entity_id !== id || original.seq >= corrected.seq))
        return `entry #${String(os)} is not an earlier entry of ${entity} ${id}`;
      if ((os as number) === 0 && prevOf.get(entity, id, corrected.seq)?.s != null)
        return `${entity} ${id} has entries before #${corrected.seq}, the correction names none`;
      const tx = txEnd.get(corrected.seq)?.s ?? null;
      const next = nextOf.get(entity, id, os as number)?.s ?? corrected.seq;
      if (tx === null || (txEnd.get(next)?.s ?? null) !== tx)
        return `entries of ${entity} ${id} between #${String(os)} and #${corrected.seq} lie outside the correction's transaction`;
      const inBackfill = backfillTx !== null && e.seq <= backfillTx && (txEnd.get(e.seq)?.s ?? null) === backfillTx;
      if (!inBackfill && (txEnd.get(e.seq)?.s ?? null) !== tx)
        return `the correction is not in the transaction of entry #${corrected.seq}`;
      const fields = JSON.stringify(changedFields(contentOf(original), contentOf(corrected)));
      if (c['fields'] !== fields) return `the corrected fields are ${fields}, not ${String(c['fields'])}`;
      return null;
    })();
    if (problem) sink.add('correction_mismatch', e.seq, problem, 'correction', e.entity_id);
  }
}

/** Adds the signature pass's findings; returns its counts for the report. */
export function addSignaturePass(
  r: SignaturePassResult,
  sink: FindingSink,
): Pick<VerifyReport, 'signatures' | 'legacy_signatures' | 'upgrade_keys'> {
  for (const f of r.findings) sink.add(f.kind, f.seq, f.detail, f.entity, f.id);
  return { signatures: r.signatures, legacy_signatures: r.legacy, upgrade_keys: r.upgrades };
}

export function signatureDefs(defs: ReadonlyArray<Pick<EntityDef, 'name' | 'signed' | 'added'>>): SignatureDefs {
  const out: SignatureDefs = {};
  for (const d of defs)
    out[d.name] = { ...(d.signed ? { signed: d.signed } : {}), ...(d.added ? { added: d.added } : {}) };
  return out;
}

export interface VerifyOptions {
  skewMs: number;
  anchor: Anchor | null;
  witnesses?: readonly Witness[];
  /** Ranges verified in parallel by the caller (worker threads); default: one range here. */
  chain?: (
    lo: number,
    hi: number,
    keys: Map<string, RegisteredKey[]>,
  ) => Promise<ChainRangeResult[]> | ChainRangeResult[];
  progress?: (phase: string, done: number, total: number) => void;
}

/** Joins range results: links across range borders, tail coverage, truncation. */
export function combineChain(
  db: Db,
  results: ChainRangeResult[],
  headSeq: number,
  sink: FindingSink,
): { entries: number; checkpoints: number } {
  let entries = 0;
  let checkpoints = 0;
  let lastCp: number | null = null;
  // Findings in sequence order whatever the range split, so the worker path and the
  // single-threaded path give the same report (a stable sort keeps per-entry order).
  const all = results.flatMap((r) => r.findings);
  all.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  for (const f of all) sink.add(f.kind, f.seq, f.detail, f.entity, f.id);
  for (const r of results) {
    entries += r.entries;
    checkpoints += r.checkpoints;
    if (r.lastCheckpointSeq !== null) lastCp = r.lastCheckpointSeq;
  }
  // Both ends read in one statement (one snapshot): a verification of a database in use runs
  // while others write, so a checkpoint committed after `headSeq` was read is not a truncated
  // trail; only a checkpoint beyond the trail's end as it stands now is.
  const now = db
    .prepare('SELECT (SELECT max(seq) FROM checkpoint) AS cp, (SELECT max(seq) FROM audit_entry) AS head')
    .get() as { cp: number | null; head: number | null };
  const endNow = now.head ?? 0;
  const truncated = now.cp !== null && now.cp > endNow;
  if (truncated) {
    sink.add(
      'tail_truncated',
      endNow,
      `checkpoint #${now.cp} covers entries up to #${now.cp}, but the audit trail ends at #${endNow}`,
    );
  }
  if (headSeq > 0 && (lastCp === null || lastCp < headSeq) && !truncated) {
    sink.add(
      'checkpoint_mismatch',
      (lastCp ?? 0) + 1,
      `entries #${(lastCp ?? 0) + 1}–#${headSeq} are not covered by any signed checkpoint`,
    );
  }
  return { entries, checkpoints };
}

/** Full verification on one connection (the CLI and the worker host call this). */
export async function verifyDatabase(db: Db, opts: VerifyOptions): Promise<VerifyReport> {
  const t0 = performance.now();
  const sink = new FindingSink();
  // max(seq) is a rowid lookup; count(*) would scan the table just for a progress total.
  const headRow = db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number | null };
  const headSeq = headRow.s ?? 0;
  const keys = loadKeyRegistry(db, headSeq);
  const total = headSeq;
  opts.progress?.('chain', 0, total);
  const results = opts.chain
    ? await opts.chain(1, headSeq, keys)
    : [
        verifyChainRange(
          db,
          1,
          headSeq,
          { prevHash: GENESIS_HEX, prevSeq: 0, prevMaxAt: null, skewMs: opts.skewMs, keys },
          (d) => opts.progress?.('chain', d, total),
        ),
      ];
  const { entries, checkpoints } = combineChain(db, results, headSeq, sink);
  const defs = allEntities();
  let i = 0;
  for (const def of defs) {
    opts.progress?.('rows', i++, defs.length);
    verifyRows(db, def, headSeq, sink);
  }
  opts.progress?.('signatures', 0, total);
  const counts = addSignaturePass(
    verifySignatures(db, headSeq, signatureDefs(defs), (d) => opts.progress?.('signatures', d, total)),
    sink,
  );
  checkCorrections(db, headSeq, sink);
  checkTriggers(db, sink);
  checkWitnesses(db, opts.witnesses ?? [], sink);
  checkAnchor(db, opts.anchor, sink);
  opts.progress?.('done', total, total);
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
