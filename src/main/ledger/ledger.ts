import { randomUUID } from 'node:crypto';
import { AppErrorException, appError, type AppError } from '../../shared/contract/errors';
import {
  RULE_SETTINGS_ID,
  matchRules,
  ruleSettingValue,
  signedChangeRules,
  type SignedChangeRule,
} from '../../shared/domain/signed-changes';
import type { Db, Stmt } from '../db/database';
import type { Anchor, AnchorStore } from './anchor';
import { E, entityDef, type EntityDef, type Row, type Value } from './entities';
import { changedFields, correctionReason, type PendingCorrection } from './corrections';
import { esigFieldsOf, recordHash, verifyEsig } from './esig';
import { GENESIS_HEX, checkpointMessage, entryHash, type EntryFields } from './hashing';
import type { HostKey } from './keys';
import { mustBeRevision } from './revision';
import { registeredHostKey } from './host-keys';
import { currentOrigin } from './origin';
import { recordRequest } from './requests';
import { evaluateTransaction, rulesByMeaning, type TxChange, type TxSignature } from './signed-check';

export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** The actor of what no person does: database creation, migrations, scheduled jobs. */
export const systemActor: Actor = { id: 'system', name: 'System' };

export type Action = 'create' | 'update' | 'retire';

export interface LedgerOptions {
  db: Db;
  key: HostKey | null;
  /** e.g. "desktop@LAB-PC-01": recorded in every entry. */
  workstation: string;
  timeZone: string;
  clock?: () => number;
  anchors?: AnchorStore | null;
}

export interface CommitInfo {
  seq: number;
  hash: string;
  at: number;
  entities: string[];
}

/**
 * Options of one change. `automatic`: the change is made by a rule of the system, not by the
 * transaction's actor (an automatic hold when a result fails, auth events carried in from the
 * sidecar): its entry's actor is `system` (docs/ledger.md §3.4: the `system` actor may hold a
 * lot without a signature).
 */
export interface ChangeOptions {
  reason?: string;
  automatic?: boolean;
  /**
   * The change corrects a record after it was submitted, for this reason (D-073): the entry's
   * reason is `correction: <why>` (unless `reason` is given) and the ledger writes a `correction`
   * record in the same transaction (docs/ledger.md §1.1). Updates only.
   */
  correction?: string;
}

/** What a service may do inside a ledger transaction. */
export interface LedgerWriter {
  /** The transaction's time (ms since epoch, UTC): one instant for all its entries. */
  readonly at: number;
  readonly actor: Actor;
  /** The head before this transaction began: what a personal signature witnesses (docs/ledger.md §3.2). */
  readonly head: { readonly seq: number; readonly hash: string };
  get(def: EntityDef, id: string): Row | undefined;
  create(def: EntityDef, fields: Record<string, Value>, opts?: ChangeOptions & { id?: string }): Row;
  update(
    def: EntityDef,
    id: string,
    patch: Record<string, Value>,
    opts?: ChangeOptions & { expectedRev?: number },
  ): Row;
  retire(def: EntityDef, id: string, reason: string): Row;
  /** Runs after the transaction ends, committed or not (e.g. to drop an unsealed key). */
  afterTransaction(fn: () => void): void;
}

export interface WriteOptions {
  /**
   * This host's key is added to the key registry in this transaction: at database creation,
   * or by an administrator's enrolment (which must sign it `enrolled` in the same
   * transaction, docs/ledger.md §3.4). `host` overrides the name recorded for the host.
   */
  registerHostKey?: boolean | { host: string };
  /**
   * The transaction is the way out of an anchor conflict (a restore, or an administrator's
   * signed acknowledgement): it is allowed while this host's anchor is ahead of, or differs
   * from, the database (docs/ledger.md §4).
   */
  resolvesAnchor?: boolean;
}

/** This host's anchor is ahead of the database, or names an entry the database does not have. */
export interface AnchorConflict {
  finding: 'anchor_behind' | 'anchor_differs';
  anchor: Anchor;
  dbSeq: number;
  dbHash: string;
}

const ruleIndex = rulesByMeaning(signedChangeRules);

/**
 * A lone UTF-16 surrogate cannot be stored in SQLite's UTF-8 text: it comes back as U+FFFD,
 * while the entry's hash and canonical content were computed over its JSON escape, so the
 * record would be reported as tampered forever after. Such text is refused at the door.
 */
function checkText(what: string, v: string): string {
  // A lone UTF-16 surrogate would be stored by SQLite as U+FFFD while the hash covers its
  // escape: the record would look tampered forever. Refuse it at the door.
  if (!(v as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new AppErrorException(appError('invalid_input', { field: what, reason: 'lone_surrogate' }));
  }
  return v;
}

function checkValue(entity: string, col: string, v: unknown): Value {
  if (v === null) return v;
  if (typeof v === 'string') return checkText(`${entity}.${col}`, v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  // Lab values are decimal strings; a binary float must never reach a record.
  throw new Error(`ledger: ${entity}.${col} must be a string, a safe integer or null (got ${typeof v} ${String(v)})`);
}

interface EntityStatements {
  insert: Stmt;
  update: Stmt;
  columns: readonly string[];
  columnSet: ReadonlySet<string>;
  /** The row's keys in RFC 8785 order (UTF-16 code units), for the flat canonical form. */
  sortedKeys: readonly string[];
}

/**
 * RFC 8785 canonical JSON of a flat record whose values are strings, safe integers or null
 * (what every ledgered row is): keys in code-unit order, values as JSON.stringify writes
 * them. Equal to canonicalize(row) for such rows (tests/unit/ledger-properties.test.ts), at
 * a fraction of the cost on the import path.
 */
export function flatCanonical(row: Row, sortedKeys: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < sortedKeys.length; i++) {
    const k = sortedKeys[i]!;
    const v = row[k];
    out +=
      (i ? ',' : '') +
      JSON.stringify(k) +
      ':' +
      (v === null || v === undefined ? 'null' : typeof v === 'number' ? String(v) : JSON.stringify(v));
  }
  return out + '}';
}

/**
 * The one write path (docs/ledger.md). Services describe record changes; the ledger applies
 * them, appends their audit entries, and signs a checkpoint of the new head, all in one
 * SQLite transaction (BEGIN IMMEDIATE, synchronous=FULL). Nothing else writes these tables.
 */
export class Ledger {
  readonly db: Db;
  private key: HostKey | null;
  private readonly ownWorkstation: string;
  private readonly ownTimeZone: string;
  private readonly clock: () => number;
  private readonly anchors: AnchorStore | null;
  private keyRegistered = false;
  private databaseId: string | null = null;
  private listeners = new Set<(c: CommitInfo) => void>();
  private inTx = false;
  private gate: (() => AppError | null) | null = null;
  private stmts = new Map<string, Stmt>();
  private entityStmts = new Map<EntityDef, EntityStatements>();
  /** Migration 0011 is applied: the signed-change rules apply to every new transaction. */
  private rulesActive = false;

  private statementsFor(def: EntityDef): EntityStatements {
    let e = this.entityStmts.get(def);
    if (!e) {
      const cols = ['id', 'rev', 'retired', ...def.columns];
      e = {
        insert: this.db.prepare<unknown[], unknown>(
          `INSERT INTO ${def.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
        ),
        update: this.db.prepare<unknown[], unknown>(
          `UPDATE ${def.table} SET ${cols
            .slice(1)
            .map((c) => `${c} = ?`)
            .join(', ')} WHERE id = ?`,
        ),
        columns: cols,
        columnSet: new Set(def.columns),
        sortedKeys: [...cols].sort(),
      };
      this.entityStmts.set(def, e);
    }
    return e;
  }

  /** Prepared statements are cached: the append path must stay well under a millisecond. */
  private stmt(sql: string): Stmt {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  constructor(opts: LedgerOptions) {
    this.db = opts.db;
    this.key = opts.key;
    this.ownWorkstation = opts.workstation;
    this.ownTimeZone = opts.timeZone;
    this.clock = opts.clock ?? Date.now;
    this.anchors = opts.anchors ?? null;
  }

  /**
   * The workstation a write is made for: this host's, or on a site server the remote
   * workstation of the call being served (its authenticated host key, ledger/origin.ts, D-091).
   */
  get workstation(): string {
    return currentOrigin()?.workstation ?? this.ownWorkstation;
  }

  /** The time zone of that workstation (recorded in every entry; local dates of its rules). */
  get timeZone(): string {
    return currentOrigin()?.timeZone ?? this.ownTimeZone;
  }

  get hostKey(): HostKey | null {
    return this.key;
  }

  now(): number {
    return this.clock();
  }

  /**
   * A check run before every write: while another connection holds the write lock for a
   * long time (an ERP import in a worker), writes here are refused with a clear error
   * instead of blocking the main thread on SQLite's busy timeout.
   */
  setWriteGate(gate: (() => AppError | null) | null): void {
    this.gate = gate;
  }

  onCommit(listener: (c: CommitInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  head(): { seq: number; hash: string; at: number | null } {
    const r = this.stmt('SELECT seq, hash, at FROM audit_entry ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: Buffer; at: number }
      | undefined;
    return r ? { seq: r.seq, hash: r.hash.toString('hex'), at: r.at } : { seq: 0, hash: GENESIS_HEX, at: null };
  }

  getDatabaseId(): string | null {
    if (this.databaseId) return this.databaseId;
    try {
      const r = this.db.prepare('SELECT id FROM database_info LIMIT 1').get() as { id: string } | undefined;
      this.databaseId = r?.id ?? null;
    } catch {
      this.databaseId = null;
    }
    return this.databaseId;
  }

  /** Is this host's key in the registry (valid now)? */
  isKeyRegistered(): boolean {
    if (!this.key) return false;
    if (this.keyRegistered) return true;
    try {
      const r = this.db.prepare('SELECT valid_to, retired FROM signing_key WHERE id = ?').get(this.key.id) as
        | { valid_to: number | null; retired: number }
        | undefined;
      this.keyRegistered = !!r && r.retired === 0 && (r.valid_to === null || r.valid_to > this.clock());
    } catch {
      this.keyRegistered = false;
    }
    return this.keyRegistered;
  }

  /**
   * No quiet rollback (docs/ledger.md §4): the anchor this host wrote after its last commit
   * must still be in the database. A database that ends before it, or holds another entry at
   * its sequence number, was replaced by an older copy; nothing is written on it until a
   * restore or an administrator's signed acknowledgement (`resolvesAnchor`).
   */
  anchorConflict(): AnchorConflict | null {
    if (!this.anchors) return null;
    const dbId = this.getDatabaseId();
    if (!dbId) return null;
    const anchor = this.anchors.read(dbId);
    if (!anchor) return null;
    const head = this.head();
    if (anchor.seq > head.seq) return { finding: 'anchor_behind', anchor, dbSeq: head.seq, dbHash: head.hash };
    const r = this.stmt('SELECT hash FROM audit_entry WHERE seq = ?').get(anchor.seq) as { hash: Buffer } | undefined;
    if (!r || r.hash.toString('hex') !== anchor.hash)
      return { finding: 'anchor_differs', anchor, dbSeq: head.seq, dbHash: head.hash };
    return null;
  }

  /** Why this host may not write now (anchor conflict), as the typed error a write would raise. */
  blocked(): AppError | null {
    const c = this.anchorConflict();
    return c ? anchorError(c) : null;
  }

  private areRulesActive(): boolean {
    if (this.rulesActive) return true;
    try {
      this.rulesActive = !!this.stmt("SELECT 1 FROM schema_migration WHERE id = '0011'").get();
    } catch {
      this.rulesActive = false;
    }
    return this.rulesActive;
  }

  get<R extends Row = Row>(def: EntityDef, id: string): R | undefined {
    return this.stmt(`SELECT * FROM ${def.table} WHERE id = ?`).get(id) as R | undefined;
  }

  /**
   * Runs `fn` in one write transaction as `actor`. With `registerHostKey`, this host's key is
   * first added to the registry in the same transaction (at database creation, or by an
   * administrator's enrolment). Before the checkpoint is signed, the transaction is checked
   * against the signed-change rule table: a decision without a valid personal signature of an
   * entitled user is refused (`signature_required`) and nothing is written.
   */
  write<T>(actor: Actor, fn: (w: LedgerWriter) => T, opts: WriteOptions = {}): T {
    if (this.inTx) throw new Error('ledger.write is not re-entrant: pass the writer down instead');
    const key = this.key;
    if (!key) throw new AppErrorException(appError('workstation_not_registered', { reason: 'no_key' }));
    const refused = this.gate?.();
    if (refused) throw new AppErrorException(refused);
    const at = this.clock();
    // One origin for the whole transaction: this host's, or the remote workstation's (D-091).
    const origin = currentOrigin();
    const workstation = origin?.workstation ?? this.ownWorkstation;
    const timeZone = origin?.timeZone ?? this.ownTimeZone;
    const request = origin?.request;
    checkText('actor', actor.id);
    checkText('actor_name', actor.name);
    let commit: CommitInfo | null = null;
    const after: Array<() => void> = [];
    const run = this.db.transaction(() => {
      const head = this.head();
      if (!opts.resolvesAnchor) {
        const conflict = this.anchorConflict();
        if (conflict) throw new AppErrorException(anchorError(conflict));
      }
      // A site server's call: the workstation's key must still be in force when its write
      // commits (an administrator may have retired it during the call, D-120).
      if (origin?.hostKeyId !== undefined) {
        const k = registeredHostKey(this.db, origin.hostKeyId);
        if (!k || k.retired || (k.validTo !== null && k.validTo <= at))
          throw new AppErrorException(
            appError('key_error', { key: origin.hostKeyId, host: workstation }, 'errors.site_key_retired'),
          );
      }
      const checkRules = this.areRulesActive();
      let seq = head.seq;
      let prev = head.hash;
      const touched = new Set<string>();
      const corrections = new Map<string, PendingCorrection>();
      const changes: TxChange[] = [];
      const signatures: TxSignature[] = [];
      const append = (def: EntityDef, action: Action, row: Row, reason: string | null, automatic = false): void => {
        if (reason !== null) checkText('reason', reason);
        seq += 1;
        const fields: EntryFields = {
          seq,
          at,
          tz: timeZone,
          actor: automatic ? systemActor.id : actor.id,
          actor_name: automatic ? systemActor.name : actor.name,
          ws: workstation,
          action,
          entity: def.name,
          entity_id: row.id,
          reason,
          content: flatCanonical(row, this.statementsFor(def).sortedKeys),
        };
        const hash = entryHash(fields, prev);
        this.stmt(
          'INSERT INTO audit_entry (seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
        ).run(
          seq,
          at,
          fields.tz,
          fields.actor,
          fields.actor_name,
          fields.ws,
          action,
          def.name,
          row.id,
          reason,
          fields.content,
          Buffer.from(prev, 'hex'),
          hash,
        );
        prev = hash.toString('hex');
        touched.add(def.name);
      };
      /** Rules are matched as the change is made: a referenced record as it stands now. */
      const matchChange = (
        def: EntityDef,
        action: Action,
        before: Row | null,
        after: Row,
        automatic: boolean,
      ): void => {
        if (!checkRules || action === 'retire') return;
        const rules = matchRules(
          signedChangeRules,
          { entity: def.name, action, before, after },
          (entity, by, value) => {
            const d = entityDef(entity);
            if (!d || (by !== 'id' && !d.columns.includes(by))) return null;
            return (
              (this.stmt(`SELECT * FROM ${d.table} WHERE ${by} = ? LIMIT 1`).get(value) as Row | undefined) ?? null
            );
          },
          // A setting as it stands now (earlier changes of this transaction included), read only
          // when a rule compares with it; its default from the database record, in this host's zone.
          (name) =>
            ruleSettingValue(
              name,
              (
                this.stmt('SELECT value FROM setting WHERE id = ?').get(RULE_SETTINGS_ID) as
                  | { value: string }
                  | undefined
              )?.value ?? null,
              {
                entryAt: at,
                timeZone,
                databaseCreatedAt: (
                  this.stmt('SELECT min(created_at) AS at FROM database_info').get() as { at: number | null }
                ).at,
              },
            ),
        );
        if (rules.length)
          changes.push({ seq, entity: def.name, id: after.id, actor: automatic ? systemActor.id : actor.id, rules });
      };
      /**
       * A signature record is checked when it is appended, against the state it witnesses:
       * the head before the transaction, the record as it stands now, the signer's key.
       */
      const checkSignature = (row: Row): void => {
        const f = esigFieldsOf(row);
        const bad = (why: string): never => {
          throw new AppErrorException(
            appError(
              'signature_required',
              { entity: f.entity, id: f.entity_id, meaning: f.meaning, reason: why },
              'errors.signature_not_valid',
            ),
          );
        };
        if (!row['sig']) {
          if (checkRules) bad('no personal signature');
          return;
        }
        const k = this.stmt('SELECT * FROM personal_key WHERE id = ?').get(f.key) as Row | undefined;
        if (!k || k['user_id'] !== f.signer) bad('unknown key');
        if ((k!['valid_from'] as number) > at || (k!['valid_to'] !== null && (k!['valid_to'] as number) <= at))
          bad('key not valid now');
        if (f.signed_at !== at) bad('time');
        if (f.head_seq !== head.seq || f.head_hash !== head.hash) bad('head');
        const tdef = entityDef(f.entity);
        const target = tdef ? this.get(tdef, f.entity_id) : undefined;
        if (!tdef || !target || recordHash(tdef, target) !== f.record_hash) bad('record hash');
        if (!verifyEsig(k!['public_key'] as string, f, row['sig'] as string)) bad('signature');
        const u = this.stmt('SELECT roles, status FROM user_account WHERE id = ?').get(f.signer) as
          | { roles: string; status: string }
          | undefined;
        signatures.push({
          seq,
          id: row.id,
          entity: f.entity,
          entityId: f.entity_id,
          meaning: f.meaning,
          signer: f.signer,
          valid: true,
          signerActive: u?.status === 'active',
          signerRoles: u ? (JSON.parse(u.roles) as string[]) : [],
        });
      };
      const writeRow = (def: EntityDef, row: Row, insert: boolean): void => {
        const st = this.statementsFor(def);
        const values = st.columns.map((c) => row[c] ?? null);
        if (insert) {
          try {
            st.insert.run(...values);
          } catch (e) {
            // The primary key answers "does it exist" without a SELECT before every insert.
            if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
              throw new AppErrorException(
                appError('conflict', { entity: def.name, id: row.id }, 'errors.record_exists'),
              );
            }
            throw e;
          }
        } else {
          st.update.run(...values.slice(1), row.id);
        }
      };

      const writer: LedgerWriter = {
        at,
        actor,
        head: { seq: head.seq, hash: head.hash },
        get: (def, id) => this.get(def, id),
        afterTransaction: (f) => {
          after.push(f);
        },
        create: (def, fields, o = {}) => {
          const id = o.id ?? randomUUID();
          const st = this.statementsFor(def);
          const row: Row = { id, rev: 1, retired: 0 };
          for (const c of def.columns) row[c] = checkValue(def.name, c, fields[c] ?? null);
          for (const k in fields) if (!st.columnSet.has(k)) throw new Error(`ledger: ${def.name} has no column ${k}`);
          writeRow(def, row, true);
          append(def, 'create', row, o.reason ?? null, o.automatic);
          if (def === E.signature) checkSignature(row);
          matchChange(def, 'create', null, row, !!o.automatic);
          return row;
        },
        update: (def, id, patch, o = {}) => {
          if (def.appendOnly) throw new Error(`ledger: ${def.name} records are append-only`);
          const before = this.get(def, id);
          if (!before) throw new AppErrorException(appError('not_found', { entity: def.name, id }));
          if (before.retired)
            throw new AppErrorException(appError('record_locked', { entity: def.name, id }, 'errors.record_retired'));
          // A stale screen (D-097): who changed the record and when, nothing written.
          mustBeRevision(this, def.name, before as { id: string; rev: number }, o.expectedRev);
          const reason = o.reason ?? (o.correction !== undefined ? correctionReason(o.correction) : undefined);
          if (def.reasonRequired?.(before) && !reason) {
            throw new AppErrorException(appError('invalid_input', { field: 'reason' }, 'errors.reason_required'));
          }
          const row: Row = { ...before, rev: before.rev + 1 };
          for (const [k, v] of Object.entries(patch)) {
            if (!def.columns.includes(k)) throw new Error(`ledger: ${def.name} has no column ${k}`);
            row[k] = checkValue(def.name, k, v);
          }
          writeRow(def, row, false);
          const key = `${def.name}\u0000${id}`;
          const pending = o.correction !== undefined ? corrections.get(key) : undefined;
          const originalSeq =
            o.correction !== undefined && !pending
              ? ((
                  this.stmt('SELECT max(seq) AS s FROM audit_entry WHERE entity = ? AND entity_id = ?').get(
                    def.name,
                    id,
                  ) as { s: number | null }
                ).s ?? 0)
              : 0;
          append(def, 'update', row, reason ?? null, o.automatic);
          if (o.correction !== undefined) {
            if (pending) {
              pending.after = row;
              pending.correctionSeq = seq;
            } else
              corrections.set(key, {
                entity: def.name,
                entityId: id,
                originalSeq,
                before,
                after: row,
                correctionSeq: seq,
                reason: o.correction,
              });
          }
          matchChange(def, 'update', before, row, !!o.automatic);
          return row;
        },
        retire: (def, id, reason) => {
          const before = this.get(def, id);
          if (!before) throw new AppErrorException(appError('not_found', { entity: def.name, id }));
          if (before.retired) return before;
          const row: Row = { ...before, rev: before.rev + 1, retired: 1 };
          writeRow(def, row, false);
          append(def, 'retire', row, reason);
          return row;
        },
      };

      if (opts.registerHostKey && !this.isKeyRegistered()) {
        writer.create(
          E.signingKey,
          {
            public_key: key.publicKey,
            fingerprint: key.fingerprint,
            host: typeof opts.registerHostKey === 'object' ? opts.registerHostKey.host : key.host,
            host_kind: key.hostKind,
            valid_from: at,
            valid_to: null,
          },
          {
            id: key.id,
            reason:
              typeof opts.registerHostKey === 'object'
                ? 'host enrolled by an administrator'
                : 'database created on this host',
          },
        );
        this.keyRegistered = true;
      } else if (!this.isKeyRegistered()) {
        throw new AppErrorException(appError('workstation_not_registered', { fingerprint: key.fingerprint }));
      }

      const result = fn(writer);
      // Corrections as data (D-073): one record per corrected record, after its changes.
      for (const c of corrections.values()) {
        writer.create(E.correction, {
          entity: c.entity,
          entity_id: c.entityId,
          fields: JSON.stringify(changedFields(c.before, c.after)),
          original_seq: c.originalSeq,
          correction_seq: c.correctionSeq,
          reason: c.reason,
          corrected_by: actor.id,
          corrected_at: at,
        });
      }
      if (changes.length) {
        const problems = evaluateTransaction(changes, signatures, ruleIndex);
        const p = problems[0];
        if (p) {
          const change = changes.find((c) => c.seq === p.seq);
          throw new AppErrorException(
            appError(
              'signature_required',
              {
                entity: change?.entity ?? p.entity,
                id: change?.id ?? p.id,
                rule: p.rules.join(', '),
                meanings: [...new Set((change?.rules ?? []).flatMap((r: SignedChangeRule) => r.meanings))].join(' / '),
                reason: p.kind,
              },
              p.kind === 'signer_not_entitled' ? 'errors.signer_not_entitled' : 'errors.signature_required',
            ),
          );
        }
      }
      if (seq > head.seq) {
        // Sign the new head: every commit is covered by a checkpoint (docs/ledger.md §4).
        const sig = key.sign(checkpointMessage(seq, prev, at, key.id));
        this.stmt('INSERT INTO checkpoint (seq, head, at, key_id, sig) VALUES (?,?,?,?,?)').run(
          seq,
          Buffer.from(prev, 'hex'),
          at,
          key.id,
          sig,
        );
        commit = { seq, hash: prev, at, entities: [...touched] };
        // Exactly once (D-092): the call's request id is recorded in this same transaction.
        if (request) recordRequest(this.db, request, { at, seq });
      }
      return result;
    });
    this.inTx = true;
    let result: T;
    try {
      result = run.immediate();
    } catch (e) {
      if (opts.registerHostKey) this.keyRegistered = false;
      throw e;
    } finally {
      this.inTx = false;
      for (const f of after) f();
    }
    const c = commit as CommitInfo | null;
    if (c && request && request.recordedSeq === null) request.recordedSeq = c.seq;
    if (c) {
      const dbId = this.getDatabaseId();
      if (dbId && this.anchors) this.anchors.write({ database_id: dbId, seq: c.seq, hash: c.hash, at: c.at });
      for (const l of this.listeners) l(c);
    }
    return result;
  }
}

function anchorError(c: AnchorConflict): AppError {
  return appError(
    'ledger_blocked',
    {
      finding: c.finding,
      anchorSeq: c.anchor.seq,
      anchorHash: c.anchor.hash.slice(0, 16),
      anchorAt: new Date(c.anchor.at).toISOString(),
      dbSeq: c.dbSeq,
    },
    c.finding === 'anchor_behind' ? 'errors.anchor_ahead_of_database' : 'errors.anchor_differs_from_database',
  );
}
