/**
 * The tamper matrix as data (issue 3 "Tests", issue 18 "Tests"): every case names a fixture
 * database, a function that tampers a COPY of it (a closed SQLite file, its data folder with
 * the host key and the anchor), and the exact findings a verifier must report — kind,
 * sequence number and, where given, entity and id. `tests/integration/ledger-tamper.test.ts`
 * runs every case through `lotseal`'s verifier (worker path and single-threaded path);
 * any other verifier (the standalone one of the evidence pack) can run the same cases:
 *
 *   const fx = await buildFixture(kind, dir);        // once per fixture kind
 *   const copy = copyFixture(fx, otherDir);          // per case
 *   await c.tamper(copy);                             // the attacker's change
 *   for (const v of c.verify) compare(verifier(copy.file, v.anchor ? anchorOf(copy) : null), v.expected(copy));
 *
 * A case's `expected` compares entity and id only for the kinds where it gives them.
 */
import type Database from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Finding } from '../../src/shared/contract/channels/ledger';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src/shared/contract';
import { AppCore } from '../../src/main/app/core';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { AnchorStore } from '../../src/main/ledger/anchor';
import { E } from '../../src/main/ledger/entities';
import { entityDef } from '../../src/main/ledger/registry';
import { esigFieldsOf, recordHash, signEsig } from '../../src/main/ledger/esig';
import { canonical, checkpointMessage, entryHash, sha256Hex } from '../../src/main/ledger/hashing';
import { localDateIn } from '../../src/shared/domain/signed-changes';
import { loadHostKey, passphraseProtector, type HostKey } from '../../src/main/ledger/keys';
import type { Ledger } from '../../src/main/ledger/ledger';
import { PASSPHRASE, attacker, makeEnv, newLedger, openLedger, writeSetting } from '../fixtures/ledger-helpers';
import { appendAsInsider, type InsiderBuild } from '../fixtures/insider';

export type Expected = Pick<Finding, 'kind' | 'seq'> & Partial<Pick<Finding, 'entity' | 'id'>>;

/** A database file with its data folder (host key, anchors) and the landmarks of its trail. */
export interface FixtureCopy {
  kind: FixtureKind;
  dir: string;
  dataDir: string;
  file: string;
  dbId: string;
  /** Named sequence numbers of the fixture's trail (e.g. `create s2`, `head`). */
  seq: Record<string, number>;
  /** Named record ids (users, lots, signatures…) of the fixture. */
  ids: Record<string, string>;
  key(): HostKey;
  anchors(): AnchorStore;
}

export type FixtureKind = 'settings' | 'signed';

export interface TamperCase {
  name: string;
  fixture: FixtureKind;
  /** Changes the copy as the attacker would; the copy's database is closed before and after. */
  tamper(copy: FixtureCopy): void | Promise<void>;
  /** One or more verifications of the tampered copy, with or without this host's anchor. */
  verify: Array<{ anchor: boolean; expected: (copy: FixtureCopy) => Expected[] }>;
  /**
   * For a verifier that splits the chain into ranges (lotseal's worker pool): the range size
   * that makes the case interesting. Other verifiers ignore it.
   */
  rangeSize?: (copy: FixtureCopy) => number;
}

// --------------------------------------------------------------------------- fixtures

/**
 * The `settings` fixture: setting records written through the one write path.
 *   #1–#3   database creation (signing key, database, migrations), one checkpoint
 *   then one transaction per entry: create s0…s3, update s0, s1 (checkpoint at each)
 *   then one transaction creating m1, m2, m3 (checkpoint only at its last entry)
 *   then create t1, t2 in two transactions (checkpoints)
 * The database (and the host key's validity) starts three hours ago, so a later write with
 * a clock one hour behind is after the key's valid_from.
 */
function buildSettings(dir: string): FixtureCopy {
  const env = makeEnv('lotseal-fixture-');
  let offset = 3 * 60 * 60 * 1000;
  const ledger = newLedger(env, { clock: () => Date.now() - offset });
  offset = 0;
  const seq: Record<string, number> = {};
  for (const id of ['s0', 's1', 's2', 's3']) seq[`create ${id}`] = writeSetting(ledger, id, { v: id });
  seq['update s0'] = writeSetting(ledger, 's0', { v: 's0 changed' });
  seq['update s1'] = writeSetting(ledger, 's1', { v: 's1 changed' });
  const before = ledger.head().seq;
  ledger.write({ id: 'bob', name: 'Bob Reviewer' }, (w) => {
    ['m1', 'm2', 'm3'].forEach((id, i) => {
      w.create(E.setting, { value: JSON.stringify({ v: id }) }, { id });
      seq[`create ${id}`] = before + i + 1;
    });
  });
  seq['create t1'] = writeSetting(ledger, 't1', { v: 't1' });
  seq['create t2'] = writeSetting(ledger, 't2', { v: 't2' });
  seq['head'] = ledger.head().seq;
  const dbId = ledger.getDatabaseId()!;
  closeLedger(ledger);
  const fx = { kind: 'settings' as const, dir: env.dir, dataDir: env.dataDir, file: env.file, dbId, seq, ids: {} };
  const out = copyFixture(withAccessors(fx), dir);
  env.cleanup();
  return out;
}

/** Folds the WAL into the file, so a copy of the file alone is the whole database. */
export function closeLedger(ledger: Ledger): void {
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  ledger.db.close();
}

function withAccessors(fx: Omit<FixtureCopy, 'key' | 'anchors'>): FixtureCopy {
  return {
    ...fx,
    key: () => loadHostKey(fx.dataDir, 'cli', passphraseProtector(PASSPHRASE)),
    anchors: () => AnchorStore.forDataDir(fx.dataDir),
  };
}

/**
 * The `signed` fixture: a plant's records made through the app's services (contract calls),
 * with personal signatures:
 *   database creation (first administrator `admin` with its `init` key)
 *   `qa.wang` (QA manager) and `prod.wu` (production) created, signed `enrolled` by admin;
 *   each sets a password of their own (a personal key, enrolled)
 *   catalogue (material, product, supplier), then a WPC lot received (`receipt`) and
 *   accepted by qa.wang (`accept sig`); batch 1 makes FG1, released by qa.wang (`release sig`);
 *   batch 2 makes FG2, left on hold (`fg2`).
 */
const QA_PASSWORD = 'qa-manager-password-1';
const ADMIN_PASSWORD = 'admin-password-fixture';

async function buildSigned(dir: string): Promise<FixtureCopy> {
  const dataDir = join(dir, 'data');
  const file = join(dir, 'lotseal.db');
  const quiet = {
    refused: () => undefined,
    error: (i: { channel: string; error: unknown }) => console.error(i.channel, i.error),
    info: () => undefined,
  };
  const core = new AppCore({
    dataDir,
    dbFile: file,
    hostKind: 'cli',
    protector: passphraseProtector(PASSPHRASE),
    host: 'test-host',
    log: quiet,
    timeZone: 'Asia/Shanghai',
  });
  const call = async <K extends ChannelName>(
    c: Connection,
    name: K,
    input: ChannelInput<K>,
  ): Promise<ChannelOutput<K>> => {
    const r = await core.dispatcher.call(c, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.data as ChannelOutput<K>;
  };
  const conn = (id: string): Connection => ({ id, locale: 'en' });
  const admin = conn('admin');
  await call(admin, 'app.setup', { userId: 'admin', printedName: 'Admin', password: ADMIN_PASSWORD });
  await call(admin, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
  const enrolled = { password: ADMIN_PASSWORD, meaning: 'enrolled' } as const;
  const user = async (
    userId: string,
    roles: Array<'qa_manager' | 'production'>,
    password: string,
  ): Promise<Connection> => {
    await call(admin, 'users.create', {
      userId,
      printedName: `User ${userId}`,
      roles,
      password: 'initial-password-1',
      signature: enrolled,
    });
    const c = conn(userId);
    await call(c, 'auth.signIn', { userId, password: 'initial-password-1' });
    await call(c, 'auth.changePassword', { currentPassword: 'initial-password-1', newPassword: password });
    return c;
  };
  const qa = await user('qa.wang', ['qa_manager'], QA_PASSWORD);
  const prod = await user('prod.wu', ['production'], 'production-password-1');
  await call(qa, 'catalog.materials.save', {
    fields: {
      code: 'WPC80',
      nameZh: '浓缩乳清蛋白',
      nameEn: 'Whey protein concentrate 80',
      kind: 'ingredient',
      defaultUnit: 'kg',
    },
  });
  await call(qa, 'catalog.products.save', {
    fields: {
      code: 'MP-1',
      nameZh: '全脂乳粉',
      nameEn: 'Whole milk powder',
      stage: 'other_dairy',
      proteinBase: 'cow',
      registrationNo: null,
      shelfLifeDays: 720,
      packSizes: ['25 kg'],
    },
  });
  await call(qa, 'catalog.suppliers.save', {
    fields: {
      code: 'SUP-W',
      name: 'SUP-W Ltd',
      kind: 'ingredient',
      approvalStatus: 'approved',
      approvedOn: null,
      lastAuditOn: null,
      nextAuditDue: null,
      contact: null,
      phone: null,
    },
  });
  const wpc = (await call(prod, 'lots.receive', {
    kind: 'ingredient',
    materialCode: 'WPC80',
    supplierCode: 'SUP-W',
    supplierLot: 'W-2611-07',
    quantity: '1000',
    unit: 'kg',
    containers: 40,
    condition: 'intact',
    temperature: '18.5',
    expiryDate: '2099-12-31',
  } as never)) as { code: string };
  const sig = (meaning: 'accepted' | 'released') => ({ password: QA_PASSWORD, meaning });
  await call(qa, 'lots.decide', {
    code: wpc.code,
    decision: 'accept',
    reason: 'COA checked',
    signature: sig('accepted'),
  });
  const ledger = core.need().ledger;
  const lastSig = (): { seq: number; id: string } => {
    const r = ledger.db
      .prepare("SELECT seq, entity_id FROM audit_entry WHERE entity = 'signature' ORDER BY seq DESC LIMIT 1")
      .get() as { seq: number; entity_id: string };
    return { seq: r.seq, id: r.entity_id };
  };
  const seq: Record<string, number> = {};
  const ids: Record<string, string> = {};
  seq['accept sig'] = lastSig().seq;
  ids['accept sig'] = lastSig().id;
  const batch = async (qty: string): Promise<string> => {
    const b = await call(prod, 'batches.start', {
      line: 'Line 2',
      outputKind: 'finished',
      itemCode: 'MP-1',
      unit: 'kg',
    });
    await call(prod, 'batches.consume', { batchId: b.id, inputLot: wpc.code, quantity: qty, unit: 'kg' });
    const done = await call(prod, 'batches.finish', { batchId: b.id, quantity: '3200', location: 'WH-A-01' });
    return done.output.code;
  };
  const fg1 = await batch('300');
  await call(qa, 'lots.decide', {
    code: fg1,
    decision: 'release',
    reason: 'all results reviewed',
    signature: sig('released'),
  });
  seq['release sig'] = lastSig().seq;
  ids['release sig'] = lastSig().id;
  const fg2 = await batch('200');
  const one = <T>(sql: string, ...p: unknown[]): T => ledger.db.prepare(sql).get(...p) as T;
  seq['receipt'] = one<{ seq: number }>(
    "SELECT seq FROM audit_entry WHERE entity = 'receipt' ORDER BY seq LIMIT 1",
  ).seq;
  ids['fg2'] = one<{ id: string }>('SELECT id FROM lot WHERE code = ?', fg2).id;
  ids['fg2 code'] = fg2;
  ids['qa key'] = one<{ id: string }>("SELECT id FROM personal_key WHERE user_id = 'qa.wang'").id;
  ids['qa enrolment'] = one<{ entity_id: string }>(
    'SELECT entity_id FROM audit_entry WHERE entity = \'signature\' AND content LIKE \'%"entity_id":"qa.wang"%\' ORDER BY seq LIMIT 1',
  ).entity_id;
  seq['head'] = ledger.head().seq;
  const dbId = ledger.getDatabaseId()!;
  ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  return withAccessors({ kind: 'signed', dir, dataDir, file, dbId, seq, ids });
}

/** Builds a fixture in `dir` (which must be empty or absent). */
export async function buildFixture(kind: FixtureKind, dir: string): Promise<FixtureCopy> {
  mkdirSync(dir, { recursive: true });
  switch (kind) {
    case 'settings':
      return buildSettings(dir);
    case 'signed':
      return buildSigned(dir);
  }
}

/** A copy of a fixture (database file, data folder) in `dir`, independent of the original. */
export function copyFixture(fx: FixtureCopy, dir: string): FixtureCopy {
  mkdirSync(dir, { recursive: true });
  const dataDir = join(dir, 'data');
  const file = join(dir, 'lotseal.db');
  cpSync(fx.dataDir, dataDir, { recursive: true });
  cpSync(fx.file, file);
  for (const s of ['-wal', '-shm']) if (existsSync(fx.file + s)) cpSync(fx.file + s, file + s);
  return withAccessors({ kind: fx.kind, dir, dataDir, file, dbId: fx.dbId, seq: { ...fx.seq }, ids: { ...fx.ids } });
}

// --------------------------------------------------------------------------- helpers for cases

function tamperSql(copy: FixtureCopy, sql: string, ...params: unknown[]): void {
  const db = attacker(copy.file);
  db.prepare(sql).run(...params);
  db.close();
}

function ledgerEnv(copy: FixtureCopy) {
  return {
    dir: copy.dir,
    dataDir: copy.dataDir,
    file: copy.file,
    key: copy.key(),
    anchors: copy.anchors(),
    cleanup: () => rmSync(copy.dir, { recursive: true, force: true }),
  };
}

/** Writes through this host's own ledger with its clock moved back by `backMs`. */
function writeWithClock(copy: FixtureCopy, backMs: number, ids: string[]): void {
  const l = openLedger(ledgerEnv(copy), { clock: () => Date.now() - backMs });
  ids.forEach((id, i) => (copy.seq[id] = writeSetting(l, id, { v: i })));
  closeLedger(l);
}

/** The insider's transaction on a fixture copy (tests/fixtures/insider.ts). */
function insiderAppend(copy: FixtureCopy, actor: { id: string; name: string }, build: InsiderBuild): number[] {
  return appendAsInsider({ file: copy.file, key: copy.key(), anchors: copy.anchors(), dbId: copy.dbId }, actor, build);
}

/** FG2 (on hold) released, as the insider writes it: status and revision. */
function releasedFg2(
  tx: { row: (entity: string, id: string) => Record<string, unknown> },
  id: string,
): Record<string, unknown> {
  const lot = tx.row('lot', id);
  return { ...lot, status: 'released', rev: (lot['rev'] as number) + 1 };
}

/** A signature record for FG2's release by qa.wang, signed with `privateKey` under `keyId`. */
function fg2ReleaseSignature(
  tx: { at: number; headSeq: number; headHash: string },
  lot: Record<string, unknown>,
  keyId: string,
  sign: ((fields: ReturnType<typeof esigFieldsOf>) => string) | null,
): Record<string, unknown> {
  const r: Record<string, unknown> = {
    id: 'forged-signature',
    rev: 1,
    retired: 0,
    entity: 'lot',
    entity_id: lot['id'],
    meaning: 'released',
    user_id: 'qa.wang',
    printed_name: 'User qa.wang',
    signed_at: tx.at,
    tz: 'Asia/Shanghai',
    comment: 'released',
    record_hash: recordHash(entityDef('lot')!, lot),
    key_id: keyId,
    head_seq: tx.headSeq,
    head_hash: tx.headHash,
    sig: null,
  };
  r['sig'] = sign ? sign(esigFieldsOf(r)) : randomBytes(64).toString('base64');
  return r;
}

function newKeyRecord(
  userId: string,
  enrolment: string,
  at: number,
): { row: Record<string, unknown>; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const fp = sha256Hex(raw);
  return {
    privateKey,
    row: {
      id: fp.slice(0, 16),
      rev: 1,
      retired: 0,
      user_id: userId,
      public_key: raw.toString('base64'),
      fingerprint: fp,
      valid_from: at,
      valid_to: null,
      sealed: null,
      enrolment,
      enrolment_proof: null,
      retired_reason: null,
    },
  };
}

/**
 * A finished lot as the ERP import writes it (`origin: import`), created `released` and dated
 * `lotDate` — what an insider appends to pass a lot off as imported history.
 */
function importedReleasedLot(code: string, lotDate: string): Record<string, unknown> {
  return {
    id: `forged-${code}`,
    rev: 1,
    retired: 0,
    code,
    kind: 'finished',
    item_code: 'MP-1',
    item_name: 'Whole milk powder',
    quantity: '3200',
    unit: 'kg',
    lot_date: lotDate,
    supplier_code: null,
    supplier_lot: null,
    expiry_date: '2099-12-31',
    location: 'WH-A-01',
    status: 'released',
    origin: 'import',
    receipt_id: null,
    batch_id: null,
  };
}

/** An insider appends a personal key for qa.wang with `enrolment`, and FG2's release signed with it. */
function insiderKeyAndRelease(c: FixtureCopy, enrolment: string): void {
  const [keySeq, , sigSeq] = insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, (tx) => {
    const k = newKeyRecord('qa.wang', enrolment, tx.at);
    c.ids['forged key'] = String(k.row['id']);
    const lot = releasedFg2(tx, c.ids['fg2']!);
    return [
      { entity: 'personal_key', action: 'create', row: k.row },
      { entity: 'lot', action: 'update', row: lot },
      {
        entity: 'signature',
        action: 'create',
        row: fg2ReleaseSignature(tx, lot, String(k.row['id']), (f) => signEsig(k.privateKey, f)),
      },
    ];
  });
  c.seq['forged key'] = keySeq!;
  c.seq['forged sig'] = sigSeq!;
}

// --------------------------------------------------------------------------- the cases

export const tamperCases: TamperCase[] = [
  {
    name: 'an untouched database reports nothing (and the anchor matches)',
    fixture: 'settings',
    tamper: () => undefined,
    verify: [
      { anchor: true, expected: () => [] },
      { anchor: false, expected: () => [] },
    ],
  },
  {
    name: "editing an entry's content → entry_hash_mismatch at that entry",
    fixture: 'settings',
    // s0 was updated later, so its table row still matches its latest entry.
    tamper: (c) =>
      tamperSql(
        c,
        'UPDATE audit_entry SET content = ? WHERE seq = ?',
        canonical({ id: 's0', retired: 0, rev: 1, value: '{"v":"forged"}' }),
        c.seq['create s0'],
      ),
    verify: [
      {
        anchor: false,
        expected: (c) => [{ kind: 'entry_hash_mismatch', seq: c.seq['create s0']!, entity: 'setting', id: 's0' }],
      },
    ],
  },
  {
    name: "editing a record's latest entry → entry_hash_mismatch + row_modified",
    fixture: 'settings',
    tamper: (c) =>
      tamperSql(
        c,
        'UPDATE audit_entry SET content = ? WHERE seq = ?',
        canonical({ id: 's2', retired: 0, rev: 1, value: '{"v":"forged"}' }),
        c.seq['create s2'],
      ),
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'entry_hash_mismatch', seq: c.seq['create s2']!, entity: 'setting', id: 's2' },
          { kind: 'row_modified', seq: c.seq['create s2']!, entity: 'setting', id: 's2' },
        ],
      },
    ],
  },
  {
    name: "editing an entry's actor → entry_hash_mismatch",
    fixture: 'settings',
    tamper: (c) =>
      tamperSql(
        c,
        "UPDATE audit_entry SET actor = 'mallory', actor_name = 'Mallory' WHERE seq = ?",
        c.seq['update s1'],
      ),
    verify: [
      {
        anchor: false,
        expected: (c) => [{ kind: 'entry_hash_mismatch', seq: c.seq['update s1']!, entity: 'setting', id: 's1' }],
      },
    ],
  },
  {
    name: 'deleting a middle entry (and the record it created) → sequence_gap + chain_break at the next entry',
    fixture: 'settings',
    tamper: (c) => {
      tamperSql(c, 'DELETE FROM audit_entry WHERE seq = ?', c.seq['create m2']);
      tamperSql(c, "DELETE FROM setting WHERE id = 'm2'");
    },
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'sequence_gap', seq: c.seq['create m2']! + 1 },
          { kind: 'chain_break', seq: c.seq['create m2']! + 1, entity: 'setting', id: 'm3' },
        ],
      },
    ],
  },
  {
    name: 'deleting a middle entry but not its record → also row_unrecorded',
    fixture: 'settings',
    tamper: (c) => tamperSql(c, 'DELETE FROM audit_entry WHERE seq = ?', c.seq['create m2']),
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'sequence_gap', seq: c.seq['create m2']! + 1 },
          { kind: 'chain_break', seq: c.seq['create m2']! + 1, entity: 'setting', id: 'm3' },
          { kind: 'row_unrecorded', seq: null, entity: 'setting', id: 'm2' },
        ],
      },
    ],
  },
  {
    name: 'deleting a checkpointed middle entry → also checkpoint_mismatch for its orphaned checkpoint',
    fixture: 'settings',
    tamper: (c) => {
      tamperSql(c, 'DELETE FROM audit_entry WHERE seq = ?', c.seq['create s3']);
      tamperSql(c, "DELETE FROM setting WHERE id = 's3'");
    },
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'sequence_gap', seq: c.seq['create s3']! + 1 },
          { kind: 'chain_break', seq: c.seq['create s3']! + 1, entity: 'setting', id: 's0' },
          { kind: 'checkpoint_mismatch', seq: c.seq['create s3']! },
        ],
      },
    ],
  },
  {
    name: 'deleting the last entries but keeping a checkpoint → tail_truncated (and anchor_behind with the anchor)',
    fixture: 'settings',
    tamper: (c) => {
      const t1 = c.seq['create t1']!;
      tamperSql(c, 'DELETE FROM audit_entry WHERE seq >= ?', t1);
      tamperSql(c, "DELETE FROM setting WHERE id IN ('t1', 't2')");
      tamperSql(c, 'DELETE FROM checkpoint WHERE seq = ?', t1);
    },
    verify: [
      { anchor: false, expected: (c) => [{ kind: 'tail_truncated', seq: c.seq['create t1']! - 1 }] },
      {
        anchor: true,
        expected: (c) => [
          { kind: 'tail_truncated', seq: c.seq['create t1']! - 1 },
          { kind: 'anchor_behind', seq: c.seq['create t1']! - 1 },
        ],
      },
    ],
  },
  {
    name: 'deleting the last entries with their checkpoints → only the anchor can tell (anchor_behind)',
    fixture: 'settings',
    tamper: (c) => {
      const t1 = c.seq['create t1']!;
      tamperSql(c, 'DELETE FROM audit_entry WHERE seq >= ?', t1);
      tamperSql(c, 'DELETE FROM checkpoint WHERE seq >= ?', t1);
      tamperSql(c, "DELETE FROM setting WHERE id IN ('t1', 't2')");
    },
    // Without an outside reference a clean cut at a commit boundary looks like an older
    // database: this is why the workstation keeps its anchor (docs/ledger.md §4).
    verify: [
      { anchor: false, expected: () => [] },
      { anchor: true, expected: (c) => [{ kind: 'anchor_behind', seq: c.seq['create t1']! - 1 }] },
    ],
  },
  {
    name: 'a forged entry appended with a correct hash but no checkpoint → checkpoint_mismatch (head not covered)',
    fixture: 'settings',
    tamper: (c) => {
      const db = attacker(c.file);
      const h = db.prepare('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1').get() as {
        seq: number;
        hash: Buffer;
      };
      const row = { id: 'forged', rev: 1, retired: 0, value: '{"v":"forged"}' };
      const f = {
        seq: h.seq + 1,
        at: Date.now(),
        tz: 'Asia/Shanghai',
        actor: 'alice',
        actor_name: 'Alice Analyst',
        ws: 'cli@test-host',
        action: 'create',
        entity: 'setting',
        entity_id: 'forged',
        reason: null,
        content: canonical(row),
      };
      db.prepare(
        'INSERT INTO audit_entry (seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
      ).run(
        f.seq,
        f.at,
        f.tz,
        f.actor,
        f.actor_name,
        f.ws,
        f.action,
        f.entity,
        f.entity_id,
        f.reason,
        f.content,
        h.hash,
        entryHash(f, h.hash.toString('hex')),
      );
      db.prepare("INSERT INTO setting (id, rev, retired, value) VALUES ('forged', 1, 0, ?)").run(row.value);
      db.close();
    },
    verify: [{ anchor: false, expected: (c) => [{ kind: 'checkpoint_mismatch', seq: c.seq['head']! + 1 }] }],
  },
  {
    name: "a checkpoint's signature bytes flipped → checkpoint_signature_invalid",
    fixture: 'settings',
    tamper: (c) => {
      const db = attacker(c.file);
      const sig = (db.prepare('SELECT sig FROM checkpoint WHERE seq = ?').get(c.seq['update s1']) as { sig: Buffer })
        .sig;
      sig[10] = sig[10]! ^ 0xff;
      db.prepare('UPDATE checkpoint SET sig = ? WHERE seq = ?').run(sig, c.seq['update s1']);
      db.close();
    },
    verify: [{ anchor: false, expected: (c) => [{ kind: 'checkpoint_signature_invalid', seq: c.seq['update s1']! }] }],
  },
  {
    name: 'a checkpoint pointing at a wrong hash → checkpoint_mismatch + checkpoint_signature_invalid',
    fixture: 'settings',
    tamper: (c) => tamperSql(c, 'UPDATE checkpoint SET head = ? WHERE seq = ?', randomBytes(32), c.seq['create s2']),
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'checkpoint_mismatch', seq: c.seq['create s2']! },
          { kind: 'checkpoint_signature_invalid', seq: c.seq['create s2']! },
        ],
      },
    ],
  },
  {
    name: 'a checkpoint validly signed (by the host key) over a wrong hash → checkpoint_mismatch',
    fixture: 'settings',
    tamper: (c) => {
      const s2 = c.seq['create s2']!;
      const db = attacker(c.file);
      const cp = db.prepare('SELECT at, key_id FROM checkpoint WHERE seq = ?').get(s2) as {
        at: number;
        key_id: string;
      };
      const wrong = sha256Hex('not the head');
      db.prepare('UPDATE checkpoint SET head = ?, sig = ? WHERE seq = ?').run(
        Buffer.from(wrong, 'hex'),
        c.key().sign(checkpointMessage(s2, wrong, cp.at, cp.key_id)),
        s2,
      );
      db.close();
    },
    verify: [{ anchor: false, expected: (c) => [{ kind: 'checkpoint_mismatch', seq: c.seq['create s2']! }] }],
  },
  {
    name: 'a checkpoint properly signed by an unregistered key → unknown_key',
    fixture: 'settings',
    tamper: (c) => {
      const t2 = c.seq['create t2']!;
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
      const keyId = sha256Hex(raw).slice(0, 16);
      const db = attacker(c.file);
      const cp = db.prepare('SELECT head, at FROM checkpoint WHERE seq = ?').get(t2) as { head: Buffer; at: number };
      const sig = sign(null, checkpointMessage(t2, cp.head.toString('hex'), cp.at, keyId), privateKey);
      db.prepare('UPDATE checkpoint SET key_id = ?, sig = ? WHERE seq = ?').run(keyId, sig, t2);
      db.close();
    },
    verify: [{ anchor: false, expected: (c) => [{ kind: 'unknown_key', seq: c.seq['create t2']! }] }],
  },
  {
    name: 'a row edited in a ledgered table → row_modified at its latest entry',
    fixture: 'settings',
    tamper: (c) => tamperSql(c, 'UPDATE setting SET value = \'{"v":"edited"}\' WHERE id = \'s1\''),
    verify: [
      {
        anchor: false,
        expected: (c) => [{ kind: 'row_modified', seq: c.seq['update s1']!, entity: 'setting', id: 's1' }],
      },
    ],
  },
  {
    name: 'a row deleted → row_missing',
    fixture: 'settings',
    tamper: (c) => tamperSql(c, "DELETE FROM setting WHERE id = 'm1'"),
    verify: [
      {
        anchor: false,
        expected: (c) => [{ kind: 'row_missing', seq: c.seq['create m1']!, entity: 'setting', id: 'm1' }],
      },
    ],
  },
  {
    name: 'a row inserted without the ledger → row_unrecorded',
    fixture: 'settings',
    tamper: (c) => tamperSql(c, "INSERT INTO setting (id, rev, retired, value) VALUES ('sneaky', 1, 0, '{}')"),
    verify: [
      { anchor: false, expected: () => [{ kind: 'row_unrecorded', seq: null, entity: 'setting', id: 'sneaky' }] },
    ],
  },
  {
    name: 'an entry dated far before its predecessor (the ledger clock went back) → clock_regression',
    fixture: 'settings',
    tamper: (c) => {
      writeWithClock(c, 60 * 60 * 1000, ['late']);
    },
    verify: [
      {
        anchor: false,
        expected: (c) => [{ kind: 'clock_regression', seq: c.seq['late']!, entity: 'setting', id: 'late' }],
      },
    ],
  },
  {
    name: 'a clock set back to before the host key was registered → clock_regression + unknown_key',
    fixture: 'settings',
    tamper: (c) => {
      writeWithClock(c, 5 * 60 * 60 * 1000, ['late']);
    },
    // The checkpoint claims a time at which its key was not yet valid.
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'clock_regression', seq: c.seq['late']!, entity: 'setting', id: 'late' },
          { kind: 'unknown_key', seq: c.seq['late']! },
        ],
      },
    ],
  },
  {
    name: 'a clock regression across a parallel range border is still found',
    fixture: 'settings',
    tamper: (c) => {
      writeWithClock(c, 60 * 60 * 1000, ['late1', 'late2', 'late3']);
    },
    // Ranges [#1, late2] and [late3]: the second range is seeded with the (also late) time
    // of late2, so late3 is found only because the runner re-checks it against the latest
    // time of all earlier ranges.
    rangeSize: (c) => c.seq['late3']! - 1,
    verify: [
      {
        anchor: false,
        expected: (c) => [
          { kind: 'clock_regression', seq: c.seq['late1']!, entity: 'setting', id: 'late1' },
          { kind: 'clock_regression', seq: c.seq['late2']!, entity: 'setting', id: 'late2' },
          { kind: 'clock_regression', seq: c.seq['late3']!, entity: 'setting', id: 'late3' },
        ],
      },
    ],
  },
  {
    name: 'the append-only triggers dropped (and left dropped) → triggers_missing',
    fixture: 'settings',
    tamper: (c) => {
      attacker(c.file, { leaveTriggersDropped: true }).close();
    },
    verify: [
      {
        anchor: false,
        expected: () =>
          (
            [
              ['audit_entry', 'audit_entry_no_update'],
              ['audit_entry', 'audit_entry_no_delete'],
              ['checkpoint', 'checkpoint_no_update'],
              ['checkpoint', 'checkpoint_no_delete'],
              ['signature', 'signature_no_update'],
              ['signature', 'signature_no_delete'],
              ['personal_key', 'personal_key_no_delete'],
            ] as const
          ).map(([entity, id]) => ({ kind: 'triggers_missing' as const, seq: null, entity, id })),
      },
    ],
  },
  {
    name: 'a database replaced by an older copy of itself → anchor_behind (with the anchor), clean without',
    fixture: 'settings',
    tamper: (c) => {
      const old = `${c.file}.old`;
      cpSync(c.file, old);
      const l = openLedger(ledgerEnv(c));
      writeSetting(l, 'after-copy', { v: 1 });
      writeSetting(l, 'after-copy-2', { v: 2 });
      closeLedger(l);
      for (const f of [`${c.file}-wal`, `${c.file}-shm`]) rmSync(f, { force: true });
      cpSync(old, c.file);
      rmSync(old);
    },
    verify: [
      { anchor: true, expected: (c) => [{ kind: 'anchor_behind', seq: c.seq['head']! }] },
      { anchor: false, expected: () => [] },
    ],
  },
  // ------------------------------------------------------------------ the insider with the host key
  {
    name: 'signed records untouched: every personal signature verifies (with the anchor)',
    fixture: 'signed',
    tamper: () => undefined,
    verify: [{ anchor: true, expected: () => [] }],
  },
  {
    name: 'insider (a): appends a release without a personal signature, re-signing the checkpoint and the anchor → signature_missing',
    fixture: 'signed',
    tamper: (c) => {
      c.seq['forged release'] = insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, (tx) => [
        { entity: 'lot', action: 'update', row: releasedFg2(tx, c.ids['fg2']!) },
      ])[0]!;
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'signature_missing', seq: c.seq['forged release']!, entity: 'lot', id: c.ids['fg2']! },
        ],
      },
    ],
  },
  {
    name: "insider (b): appends a release with a forged signature row in the QA manager's name → signature_invalid",
    fixture: 'signed',
    tamper: (c) => {
      c.seq['forged sig'] = insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, (tx) => {
        const lot = releasedFg2(tx, c.ids['fg2']!);
        return [
          { entity: 'lot', action: 'update', row: lot },
          { entity: 'signature', action: 'create', row: fg2ReleaseSignature(tx, lot, c.ids['qa key']!, null) },
        ];
      })[1]!;
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'signature_invalid', seq: c.seq['forged sig']!, entity: 'signature', id: 'forged-signature' },
        ],
      },
    ],
  },
  {
    name: 'insider (c): rewrites an earlier entry and re-signs every checkpoint and the anchor → every later personal signature is signature_invalid (the witnessed head differs)',
    fixture: 'signed',
    tamper: (c) => {
      const k = c.seq['receipt']!;
      const db = attacker(c.file);
      const key = c.key();
      const entry = db.prepare('SELECT * FROM audit_entry WHERE seq = ?').get(k) as Record<string, unknown>;
      const content = JSON.parse(String(entry['content'])) as Record<string, unknown>;
      content['temperature'] = '8.5';
      db.prepare('UPDATE audit_entry SET content = ? WHERE seq = ?').run(canonical(content), k);
      db.prepare('UPDATE receipt SET temperature = ? WHERE id = ?').run('8.5', content['id']);
      // Re-chain everything from the rewritten entry and re-sign every checkpoint after it.
      const rows = db.prepare('SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq').all(k) as Array<
        Record<string, unknown>
      >;
      let prev = (db.prepare('SELECT lower(hex(hash)) AS h FROM audit_entry WHERE seq = ?').get(k - 1) as { h: string })
        .h;
      for (const r of rows) {
        const hash = entryHash(
          {
            seq: r['seq'] as number,
            at: r['at'] as number,
            tz: String(r['tz']),
            actor: String(r['actor']),
            actor_name: String(r['actor_name']),
            ws: String(r['ws']),
            action: String(r['action']),
            entity: String(r['entity']),
            entity_id: String(r['entity_id']),
            reason: (r['reason'] as string | null) ?? null,
            content: String(r['content']),
          },
          prev,
        );
        db.prepare('UPDATE audit_entry SET prev = ?, hash = ? WHERE seq = ?').run(
          Buffer.from(prev, 'hex'),
          hash,
          r['seq'],
        );
        prev = hash.toString('hex');
        const cp = db.prepare('SELECT at FROM checkpoint WHERE seq = ?').get(r['seq']) as { at: number } | undefined;
        if (cp)
          db.prepare('UPDATE checkpoint SET head = ?, key_id = ?, sig = ? WHERE seq = ?').run(
            hash,
            key.id,
            key.sign(checkpointMessage(r['seq'] as number, prev, cp.at, key.id)),
            r['seq'],
          );
      }
      db.close();
      const last = rows[rows.length - 1]!;
      c.anchors().write({ database_id: c.dbId, seq: last['seq'] as number, hash: prev, at: last['at'] as number });
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'signature_invalid', seq: c.seq['accept sig']!, entity: 'signature', id: c.ids['accept sig']! },
          { kind: 'signature_invalid', seq: c.seq['release sig']!, entity: 'signature', id: c.ids['release sig']! },
        ],
      },
    ],
  },
  {
    name: 'insider: appends a personal key for the QA manager (as if at the upgrade) and signs a release with it → key_not_enrolled + signature_invalid',
    fixture: 'signed',
    tamper: (c) => insiderKeyAndRelease(c, 'upgrade'),
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'key_not_enrolled', seq: c.seq['forged key']!, entity: 'personal_key', id: c.ids['forged key']! },
          { kind: 'signature_invalid', seq: c.seq['forged sig']!, entity: 'signature', id: 'forged-signature' },
        ],
      },
    ],
  },
  {
    name: "insider: appends a personal key for the QA manager reusing the administrator's enrolment of her → key_not_enrolled + signature_invalid",
    fixture: 'signed',
    tamper: (c) => insiderKeyAndRelease(c, c.ids['qa enrolment']!),
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'key_not_enrolled', seq: c.seq['forged key']!, entity: 'personal_key', id: c.ids['forged key']! },
          { kind: 'signature_invalid', seq: c.seq['forged sig']!, entity: 'signature', id: 'forged-signature' },
        ],
      },
    ],
  },
  {
    // D-065: the go-live date is not set in this fixture, so it is the database's creation date
    // (today, in the Shanghai zone the entries record); a lot dated today is live.
    name: 'insider: appends a lot "imported" released and dated after go-live, without a signature → signature_missing',
    fixture: 'signed',
    tamper: (c) => {
      c.seq['forged import'] = insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, (tx) => [
        {
          entity: 'lot',
          action: 'create',
          row: importedReleasedLot('FG-LIVE-1', `${localDateIn('Asia/Shanghai', tx.at)} 08:00`),
        },
      ])[0]!;
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'signature_missing', seq: c.seq['forged import']!, entity: 'lot', id: 'forged-FG-LIVE-1' },
        ],
      },
    ],
  },
  {
    // The go-live date in force just before the entry is the setting's (here moved earlier, as an
    // administrator may), not the creation date: a lot dated between the two is live.
    name: 'insider: appends a released "imported" lot dated after a go-live date set earlier → signature_missing',
    fixture: 'signed',
    tamper: (c) => {
      insiderAppend(c, { id: 'admin', name: 'Admin' }, (tx) => {
        const cur = tx.row('setting', 'global');
        const value = JSON.stringify({
          ...(cur['value'] ? JSON.parse(String(cur['value'])) : {}),
          goLiveDate: '2024-01-01',
        });
        const row = cur['id']
          ? { ...cur, value, rev: (cur['rev'] as number) + 1 }
          : { id: 'global', rev: 1, retired: 0, value };
        return [{ entity: 'setting', action: cur['id'] ? 'update' : 'create', row }];
      });
      c.seq['forged import'] = insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, () => [
        { entity: 'lot', action: 'create', row: importedReleasedLot('FG-2024-1', '2024-03-01') },
      ])[0]!;
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [
          { kind: 'signature_missing', seq: c.seq['forged import']!, entity: 'lot', id: 'forged-FG-2024-1' },
        ],
      },
    ],
  },
  {
    name: 'an imported released lot dated before go-live (history) needs no signature → nothing reported',
    fixture: 'signed',
    tamper: (c) => {
      insiderAppend(c, { id: 'qa.wang', name: 'User qa.wang' }, () => [
        { entity: 'lot', action: 'create', row: importedReleasedLot('FG-HIST-1', '2024-03-01') },
      ]);
    },
    verify: [{ anchor: true, expected: () => [] }],
  },
  {
    name: 'insider: gives the production user the QA manager role without an administrator’s signature → signature_missing',
    fixture: 'signed',
    tamper: (c) => {
      c.seq['roles'] = insiderAppend(c, { id: 'admin', name: 'Admin' }, (tx) => {
        const u = tx.row('user', 'prod.wu');
        return [
          {
            entity: 'user',
            action: 'update',
            row: { ...u, roles: '["production","qa_manager"]', rev: (u['rev'] as number) + 1 },
          },
        ];
      })[0]!;
    },
    verify: [
      {
        anchor: true,
        expected: (c) => [{ kind: 'signature_missing', seq: c.seq['roles']!, entity: 'user', id: 'prod.wu' }],
      },
    ],
  },
];

/** The raw attacker connection, for cases that need more than one statement. */
export function attackerDb(copy: FixtureCopy): Database.Database {
  return attacker(copy.file);
}
