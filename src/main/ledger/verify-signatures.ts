import type { Finding } from '../../shared/contract/channels/ledger';
import {
  RULE_SETTINGS_ID,
  matchRules,
  ruleEntities,
  ruleSettingValue,
  signedChangeRules,
} from '../../shared/domain/signed-changes';
import type { Db } from '../db/database';
import type { EntityDef } from './entities';
import { esigFieldsOf, recordHash, verifyEnrolmentProof, verifyEsig } from './esig';
import { GENESIS_HEX, sha256Hex } from './hashing';
import { evaluateTransaction, rulesByMeaning, type TxChange, type TxSignature } from './signed-check';

/**
 * The signature pass of verification (docs/ledger.md §3, §5 step 5): one walk through the
 * audit trail in sequence order, rebuilding from it — never from the tables — the users
 * (roles and status at every moment), the personal key registry and the administrators'
 * enrolments, and checking
 *  - every e-signature after migration 0011: its personal key (registered, enrolled, the
 *    signer's, valid at its time), its time (= its entry's), the head it witnesses (= the
 *    head before its transaction, with the hash the chain has there), the record hash (= the
 *    signed record's content as it stood), the Ed25519 signature → `signature_invalid`;
 *  - every personal key registration: its enrolment (§3.1) → `key_not_enrolled`;
 *  - every transaction against the signed-change rule table → `signature_missing`,
 *    `signer_not_entitled` (src/main/ledger/signed-check.ts, shared with the write path).
 * Runs the same in a worker thread and on the main thread (it needs only the file and the
 * entity definitions' `signed` / `added` columns).
 */
export type SignatureDefs = Record<string, Pick<EntityDef, 'signed' | 'added'>>;

export interface SignaturePassResult {
  findings: Finding[];
  /** Personal signatures checked. */
  signatures: number;
  /** Signatures from before migration 0011 (no personal signature; not a finding). */
  legacy: number;
  /** Keys registered by `upgrade`: listed in the report. */
  upgrades: Array<{ seq: number; user: string; key: string }>;
}

interface KeyState {
  userId: string;
  publicKey: string;
  fingerprint: string;
  validFrom: number;
  validTo: number | null;
  regSeq: number;
  enrolled: boolean;
  created: Record<string, unknown>;
}

interface EnrolmentState {
  user: string;
  seq: number;
  ok: boolean;
  enrolmentKey: string | null;
  used: boolean;
}

const ruleIndex = rulesByMeaning(signedChangeRules);
const IDENTITY = ['user', 'personal_key', 'signature', 'signing_key'];
/** Entries the settings rules compare with come from (`ruleSettingValue`): the settings record, the database record. */
const SETTINGS_SQL = `(entity = 'setting' AND entity_id = '${RULE_SETTINGS_ID}') OR entity = 'database'`;
const KEY_IMMUTABLE = ['user_id', 'public_key', 'fingerprint', 'valid_from', 'enrolment', 'enrolment_proof'];

/** The last entry of the transaction that applied migration 0011 (Infinity: never applied). */
export function legacyBoundary(db: Db, throughSeq: number): number {
  const r = db
    .prepare(
      "SELECT a.seq AS s, (SELECT min(c.seq) FROM checkpoint c WHERE c.seq >= a.seq) AS b FROM audit_entry a WHERE a.entity = 'schema_migration' AND a.entity_id = '0011' AND a.seq <= ? ORDER BY a.seq LIMIT 1",
    )
    .get(throughSeq) as { s: number; b: number | null } | undefined;
  if (!r) return Number.POSITIVE_INFINITY;
  return r.b ?? r.s;
}

/**
 * SQL that keeps the entries the pass needs: identity records, and records of the types the
 * rules name. A type whose every rule applies to creation with a required value (e.g. an
 * override needs `origin: app`) is pre-filtered on the canonical content's text (`"origin":"app"`
 * can only appear there as that field), so ERP-imported rows are not parsed one by one.
 */
function entrySql(): { sql: string; params: string[] } {
  const byEntity = new Map<string, typeof signedChangeRules>();
  for (const r of signedChangeRules) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r]);
  const parts: string[] = [`entity IN (${IDENTITY.map(() => '?').join(', ')})`, SETTINGS_SQL];
  const params: string[] = [...IDENTITY];
  for (const [entity, rules] of byEntity) {
    if (IDENTITY.includes(entity)) continue;
    const prefilter =
      rules.every((r) => r.on === 'create' && r.where?.some((w) => w.in?.length)) &&
      rules
        .map((r) => r.where!.find((w) => w.in?.length)!)
        .map((w) => w.in!.map((v) => `${JSON.stringify(w.field)}:${JSON.stringify(v)}`));
    if (prefilter) {
      const needles = prefilter.flat();
      parts.push(`(entity = ? AND action = 'create' AND (${needles.map(() => 'instr(content, ?) > 0').join(' OR ')}))`);
      params.push(entity, ...needles);
    } else {
      parts.push('entity = ?');
      params.push(entity);
    }
  }
  return {
    sql: `SELECT seq, at, actor, action, entity, entity_id, content, tz FROM audit_entry WHERE seq <= ? AND (${parts.join(' OR ')}) ORDER BY seq`,
    params,
  };
}

export function verifySignatures(
  db: Db,
  throughSeq: number,
  defs: SignatureDefs,
  progress?: (done: number) => void,
): SignaturePassResult {
  const findings: Finding[] = [];
  const add = (kind: Finding['kind'], seq: number, entity: string, id: string, detail: string): void => {
    findings.push({ kind, seq, entity, id, detail });
  };
  const boundary = legacyBoundary(db, throughSeq);
  const cps = (
    db.prepare('SELECT seq FROM checkpoint WHERE seq <= ? ORDER BY seq').raw(true).all(throughSeq) as unknown[][]
  ).map((r) => r[0] as number);
  const fields = ruleEntities();
  const headHash = db.prepare('SELECT lower(hex(hash)) AS h FROM audit_entry WHERE seq = ?').pluck();
  const headCache = new Map<number, string | null>();
  const storedHash = (seq: number): string | null => {
    if (seq === 0) return GENESIS_HEX;
    if (!headCache.has(seq)) headCache.set(seq, (headHash.get(seq) as string | undefined) ?? null);
    return headCache.get(seq)!;
  };
  const contentBefore = db
    .prepare('SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1')
    .pluck();

  const users = new Map<string, { content: Record<string, unknown>; createdSeq: number }>();
  const keys = new Map<string, KeyState>();
  const keysByUser = new Map<string, number>();
  const enrolments = new Map<string, EnrolmentState>();
  const lastEnrolment = new Map<string, number>();
  /** Rule fields of each record of a rule type, as of the latest entry seen. */
  const records = new Map<string, Map<string, Record<string, unknown>>>();
  /** For `ref` lookups: (type, key column) → value → record id. */
  const refIndex = new Map<string, Map<unknown, string>>();
  for (const r of signedChangeRules) if (r.ref) refIndex.set(`${r.ref.entity}\u0000${r.ref.by}`, new Map());
  /** The settings record's `value` and the database records' `created_at`, as of the latest entry seen. */
  let settingJson: unknown = null;
  const databaseCreated = new Map<string, unknown>();

  const result: SignaturePassResult = { findings, signatures: 0, legacy: 0, upgrades: [] };
  let cpIdx = 0;
  let txEnd = cps[0] ?? Number.POSITIVE_INFINITY;
  let txHead = 0;
  let changes: TxChange[] = [];
  let sigs: TxSignature[] = [];
  const flush = (): void => {
    if (changes.length || sigs.length) {
      for (const p of evaluateTransaction(changes, sigs, ruleIndex)) add(p.kind, p.seq, p.entity, p.id, p.detail);
    }
    changes = [];
    sigs = [];
  };

  const checkSignature = (seq: number, at: number, c: Record<string, unknown>): string | null => {
    const f = esigFieldsOf(c);
    const k = keys.get(f.key);
    if (!k) return `its key ${f.key} is not registered`;
    if (k.userId !== f.signer) return `its key ${f.key} belongs to ${k.userId}`;
    if (!k.enrolled) return `its key ${f.key} was not enrolled`;
    if (f.signed_at < k.validFrom || (k.validTo !== null && f.signed_at >= k.validTo))
      return `its key ${f.key} was not valid at ${new Date(f.signed_at).toISOString()}`;
    if (f.signed_at !== at) return `its time differs from its entry's`;
    if (f.head_seq !== txHead) return `it names head #${f.head_seq}, but its transaction began after #${txHead}`;
    if (storedHash(f.head_seq) !== f.head_hash)
      return `the witnessed head differs: the chain's entry #${f.head_seq} is not the one it signed (history rewritten)`;
    const target = contentBefore.get(f.entity, f.entity_id, seq) as string | undefined;
    if (target === undefined) return `the signed record ${f.entity} ${f.entity_id} is not in the audit trail before it`;
    let hash: string;
    try {
      hash = recordHash(defs[f.entity] ?? {}, JSON.parse(target) as Record<string, unknown>);
    } catch {
      return 'the signed record cannot be read';
    }
    if (hash !== f.record_hash) return `the record hash differs from ${f.entity} ${f.entity_id} as it stood`;
    if (typeof c['sig'] !== 'string' || !verifyEsig(k.publicKey, f, c['sig']))
      return 'the Ed25519 signature does not verify';
    return null;
  };

  const checkEnrolment = (seq: number, actor: string, id: string, c: Record<string, unknown>): string | null => {
    const userId = c['user_id'] as string;
    const enrolment = c['enrolment'] as string;
    const pub = typeof c['public_key'] === 'string' ? Buffer.from(c['public_key'], 'base64') : Buffer.alloc(0);
    const fp = sha256Hex(pub);
    if (pub.length !== 32 || fp !== c['fingerprint'] || id !== fp.slice(0, 16))
      return 'its id, fingerprint and public key do not agree';
    const u = users.get(userId);
    if (!u) return `user ${userId} does not exist`;
    if (enrolment === 'init') return 'an `init` key is registered only in the database-creation transaction';
    if (enrolment === 'upgrade') {
      if (u.createdSeq > boundary) return `${userId} was created after migration 0011`;
      if (keysByUser.has(userId)) return `${userId} already had a personal key`;
      if (lastEnrolment.has(userId)) return `an administrator enrolled ${userId} since the upgrade`;
      if (actor !== userId) return `registered by ${actor}, not by ${userId}`;
      return null;
    }
    const en = enrolments.get(enrolment);
    if (!en) return `no enrolled signature ${enrolment}`;
    if (en.user !== userId) return `enrolment ${enrolment} is for ${en.user}`;
    if (!en.ok) return `enrolment ${enrolment} is not a valid signature of an active administrator`;
    if (en.used) return `enrolment ${enrolment} was used already`;
    if ((keysByUser.get(userId) ?? -1) > en.seq)
      return `a key was registered for ${userId} after enrolment ${enrolment} already`;
    if ((lastEnrolment.get(userId) ?? en.seq) > en.seq) return `a later enrolment of ${userId} replaced ${enrolment}`;
    if (
      !verifyEnrolmentProof(
        en.enrolmentKey,
        { enrolment, fingerprint: fp, user: userId },
        (c['enrolment_proof'] as string | null) ?? null,
      )
    ) {
      return 'its enrolment proof does not verify with the enrolment key the administrator signed';
    }
    return null;
  };

  const { sql, params } = entrySql();
  const stmt = db.prepare(sql).raw(true);
  let n = 0;
  for (const row of stmt.iterate(throughSeq, ...params) as Iterable<unknown[]>) {
    const seq = row[0] as number;
    const at = row[1] as number;
    const actor = String(row[2]);
    const action = String(row[3]);
    const entity = String(row[4]);
    const id = String(row[5]);
    if (seq > txEnd) {
      flush();
      while (cpIdx < cps.length && cps[cpIdx]! < seq) cpIdx++;
      txHead = cpIdx > 0 ? cps[cpIdx - 1]! : 0;
      txEnd = cps[cpIdx] ?? Number.POSITIVE_INFINITY;
    }
    let c: Record<string, unknown>;
    try {
      c = JSON.parse(String(row[6])) as Record<string, unknown>;
    } catch {
      continue; // a damaged entry: entry_hash_mismatch says so
    }
    if (++n % 20_000 === 0) progress?.(n);
    const checked = seq > boundary;

    // 1. signatures
    if (entity === 'signature' && action === 'create') {
      if (!checked) {
        if (!c['sig']) result.legacy++;
      } else {
        result.signatures++;
        const why = c['sig'] ? checkSignature(seq, at, c) : 'it has no personal signature';
        if (why)
          add(
            'signature_invalid',
            seq,
            'signature',
            id,
            `signature ${id} (${String(c['meaning'])} on ${String(c['entity'])} ${String(c['entity_id'])} by ${String(c['user_id'])}): ${why}`,
          );
        const signer = users.get(String(c['user_id']));
        const roles = signer ? safeRoles(signer.content['roles']) : [];
        const s: TxSignature = {
          seq,
          id,
          entity: String(c['entity']),
          entityId: String(c['entity_id']),
          meaning: String(c['meaning']),
          signer: String(c['user_id']),
          valid: why === null,
          signerActive: signer?.content['status'] === 'active',
          signerRoles: roles,
        };
        sigs.push(s);
        if (s.meaning === 'enrolled' && s.entity === 'user') {
          enrolments.set(id, {
            user: s.entityId,
            seq,
            ok: s.valid && s.signerActive && roles.includes('administrator'),
            enrolmentKey: (users.get(s.entityId)?.content['enrolment_key'] as string | null | undefined) ?? null,
            used: false,
          });
          lastEnrolment.set(s.entityId, seq);
        }
      }
    }

    // 2. personal keys
    if (entity === 'personal_key') {
      if (action === 'create') {
        const why = checked ? checkEnrolment(seq, actor, id, c) : null;
        if (why)
          add(
            'key_not_enrolled',
            seq,
            'personal_key',
            id,
            `personal key ${id} of ${String(c['user_id'])} (enrolment ${String(c['enrolment'])}): ${why}`,
          );
        if (!why && checked) {
          const en = enrolments.get(String(c['enrolment']));
          if (en) en.used = true;
          if (c['enrolment'] === 'upgrade') result.upgrades.push({ seq, user: String(c['user_id']), key: id });
        }
        if (!keys.has(id)) {
          keys.set(id, {
            userId: String(c['user_id']),
            publicKey: String(c['public_key']),
            fingerprint: String(c['fingerprint']),
            validFrom: c['valid_from'] as number,
            validTo: (c['valid_to'] as number | null) ?? null,
            regSeq: seq,
            enrolled: why === null,
            created: c,
          });
          keysByUser.set(String(c['user_id']), seq);
        } else {
          add('key_not_enrolled', seq, 'personal_key', id, `personal key ${id} registered a second time`);
        }
      } else {
        const k = keys.get(id);
        if (k) {
          const changed = KEY_IMMUTABLE.filter(
            (f) => JSON.stringify(c[f] ?? null) !== JSON.stringify(k.created[f] ?? null),
          );
          const vt = (c['valid_to'] as number | null) ?? null;
          const badEnd = k.validTo !== null ? vt !== k.validTo : vt !== null && vt > at;
          if (checked && (changed.length || badEnd)) {
            add(
              'key_not_enrolled',
              seq,
              'personal_key',
              id,
              `personal key ${id} was changed at #${seq} (${[...changed, ...(badEnd ? ['valid_to'] : [])].join(', ')})`,
            );
            k.enrolled = false;
          }
          if (k.validTo === null) k.validTo = vt;
        }
      }
    }

    // 3. the rule table (state is read before this entry is applied)
    const ruleFields = fields.get(entity);
    if (ruleFields) {
      let byId = records.get(entity);
      if (!byId) records.set(entity, (byId = new Map()));
      const before =
        action === 'create' ? null : entity === 'user' ? (users.get(id)?.content ?? null) : (byId.get(id) ?? null);
      if (checked && action !== 'retire') {
        const matched = matchRules(
          signedChangeRules,
          { entity, action, before, after: c },
          (e, by, value) => {
            const rid = refIndex.get(`${e}\u0000${by}`)?.get(value);
            return rid === undefined ? null : (records.get(e)?.get(rid) ?? null);
          },
          (name) =>
            ruleSettingValue(name, settingJson, {
              entryAt: at,
              timeZone: String(row[7]),
              databaseCreatedAt: earliest(databaseCreated.values()),
            }),
        );
        if (matched.length) changes.push({ seq, entity, id, actor, rules: matched });
      }
      if (entity !== 'user') {
        const keep: Record<string, unknown> = {};
        for (const f of ruleFields) keep[f] = c[f] ?? null;
        byId.set(id, keep);
        for (const f of ruleFields) refIndex.get(`${entity}\u0000${f}`)?.set(c[f] ?? null, id);
      }
    }
    if (entity === 'user') {
      const u = users.get(id);
      users.set(id, { content: c, createdSeq: u?.createdSeq ?? seq });
    }
    // 4. the settings rules compare with (applied after the entry, like every state here)
    if (entity === 'setting' && id === RULE_SETTINGS_ID) settingJson = c['value'] ?? null;
    if (entity === 'database') databaseCreated.set(id, c['created_at'] ?? null);
  }
  flush();
  if (n % 20_000 !== 0) progress?.(n);
  findings.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return result;
}

/** `min(created_at)` over the database records, as SQLite computes it over numbers (null: none). */
function earliest(values: Iterable<unknown>): number | null {
  let m: number | null = null;
  for (const v of values) if (typeof v === 'number' && (m === null || v < m)) m = v;
  return m;
}

function safeRoles(v: unknown): string[] {
  try {
    const r = JSON.parse(String(v)) as unknown;
    return Array.isArray(r) ? r.map(String) : [];
  } catch {
    return [];
  }
}
