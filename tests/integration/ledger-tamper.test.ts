/**
 * The tamper matrix (issue 3, "Tests"): each case makes one change with a separate raw
 * SQLite connection, after dropping the append-only triggers as an attacker with DB Browser
 * would, and asserts the exact set of findings verification reports: kind, sequence,
 * entity and id. Every case runs through the worker path (verifyFile, small ranges so the
 * chain is split) and the single-threaded verifier, which must agree.
 *
 * The database of every case (`build`):
 *   #1–#3   database creation (signing key, database, migration), checkpoint #3
 *   then one transaction per entry: create s0…s3, update s0, s1 (checkpoint at each)
 *   then one transaction creating m1, m2, m3 (checkpoint only at its last entry)
 *   then create t1, t2 in two transactions (checkpoints)
 */
import { copyFileSync, rmSync } from 'node:fs';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/contract/channels/ledger';
import { openSqlite } from '../../src/main/db/database';
import { E } from '../../src/main/ledger/entities';
import { canonical, checkpointMessage, entryHash, sha256Hex } from '../../src/main/ledger/hashing';
import type { Ledger } from '../../src/main/ledger/ledger';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { lastFallbackReason, verifyFile } from '../../src/main/ledger/verify-runner';
import { SKEW_MS, attacker, makeEnv, newLedger, openLedger, writeSetting, type TestEnv } from '../fixtures/ledger-helpers';

interface Built {
  env: TestEnv;
  ledger: Ledger;
  seq: Record<string, number>;
  dbId: string;
}

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

function build(): Built {
  const env = makeEnv();
  envs.push(env);
  // The database (and the host key's validity) starts three hours ago, so a later write
  // with a clock one hour behind is after the key's valid_from.
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
  return { env, ledger, seq, dbId: ledger.getDatabaseId()! };
}

type Expected = Pick<Finding, 'kind' | 'seq'> & Partial<Pick<Finding, 'entity' | 'id'>>;

/** Verifies on both paths, checks they agree, and returns the findings. */
async function verifyBoth(b: Built, opts: { anchor?: boolean; rangeSize?: number } = {}): Promise<Finding[]> {
  b.ledger.db.close();
  const anchor = opts.anchor ? b.env.anchors.read(b.dbId) : null;
  const viaWorkers = await verifyFile(b.env.file, { skewMs: SKEW_MS, anchor, rangeSize: opts.rangeSize ?? 4 });
  expect(lastFallbackReason).toBeNull();
  const db = openSqlite(b.env.file, { readonly: true });
  const inProcess = await verifyDatabase(db, { skewMs: SKEW_MS, anchor });
  db.close();
  expect(viaWorkers.findings).toEqual(inProcess.findings);
  expect(viaWorkers.ok).toBe(viaWorkers.findings.length === 0);
  expect({ ...viaWorkers, elapsed_ms: 0 }).toEqual({ ...inProcess, elapsed_ms: 0 });
  return viaWorkers.findings;
}

function expectFindings(findings: Finding[], expected: Expected[]): void {
  const key = (f: Expected): string => JSON.stringify([f.kind, f.seq, f.entity ?? null, f.id ?? null]);
  const got = [...new Set(findings.map((f) => key({ kind: f.kind, seq: f.seq, ...(expected.some((e) => e.kind === f.kind && e.entity !== undefined) ? { entity: f.entity, id: f.id } : {}) })))].sort();
  expect(got).toEqual([...new Set(expected.map(key))].sort());
}

function tamper(b: Built, sql: string, ...params: unknown[]): void {
  const db = attacker(b.env.file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('tamper matrix: verify names each change', () => {
  it('an untouched database reports nothing (and the anchor matches)', async () => {
    const b = build();
    const r = await verifyFile(b.env.file, { skewMs: SKEW_MS, anchor: b.env.anchors.read(b.dbId), rangeSize: 3 });
    expect(r).toMatchObject({ ok: true, findings: [], entries: b.seq['head'], verified_through: b.seq['head'] });
    expect(await verifyBoth(b, { anchor: true })).toEqual([]);
  });

  it("editing an entry's content → entry_hash_mismatch at that entry", async () => {
    const b = build();
    // s0 was updated later, so its table row still matches its latest entry.
    tamper(b, 'UPDATE audit_entry SET content = ? WHERE seq = ?', canonical({ id: 's0', retired: 0, rev: 1, value: '{"v":"forged"}' }), b.seq['create s0']);
    expectFindings(await verifyBoth(b), [{ kind: 'entry_hash_mismatch', seq: b.seq['create s0']!, entity: 'setting', id: 's0' }]);
  });

  it("editing a record's latest entry → entry_hash_mismatch + row_modified", async () => {
    const b = build();
    tamper(b, 'UPDATE audit_entry SET content = ? WHERE seq = ?', canonical({ id: 's2', retired: 0, rev: 1, value: '{"v":"forged"}' }), b.seq['create s2']);
    expectFindings(await verifyBoth(b), [
      { kind: 'entry_hash_mismatch', seq: b.seq['create s2']!, entity: 'setting', id: 's2' },
      { kind: 'row_modified', seq: b.seq['create s2']!, entity: 'setting', id: 's2' },
    ]);
  });

  it("editing an entry's actor → entry_hash_mismatch", async () => {
    const b = build();
    tamper(b, "UPDATE audit_entry SET actor = 'mallory', actor_name = 'Mallory' WHERE seq = ?", b.seq['update s1']);
    expectFindings(await verifyBoth(b), [{ kind: 'entry_hash_mismatch', seq: b.seq['update s1']!, entity: 'setting', id: 's1' }]);
  });

  it('deleting a middle entry (and the record it created) → sequence_gap + chain_break at the next entry', async () => {
    const b = build();
    const m2 = b.seq['create m2']!;
    tamper(b, 'DELETE FROM audit_entry WHERE seq = ?', m2);
    tamper(b, "DELETE FROM setting WHERE id = 'm2'");
    expectFindings(await verifyBoth(b), [
      { kind: 'sequence_gap', seq: m2 + 1 },
      { kind: 'chain_break', seq: m2 + 1, entity: 'setting', id: 'm3' },
    ]);
  });

  it('deleting a middle entry but not its record → also row_unrecorded', async () => {
    const b = build();
    const m2 = b.seq['create m2']!;
    tamper(b, 'DELETE FROM audit_entry WHERE seq = ?', m2);
    expectFindings(await verifyBoth(b), [
      { kind: 'sequence_gap', seq: m2 + 1 },
      { kind: 'chain_break', seq: m2 + 1, entity: 'setting', id: 'm3' },
      { kind: 'row_unrecorded', seq: null, entity: 'setting', id: 'm2' },
    ]);
  });

  it('deleting a checkpointed middle entry → also checkpoint_mismatch for its orphaned checkpoint', async () => {
    const b = build();
    const s3 = b.seq['create s3']!;
    tamper(b, 'DELETE FROM audit_entry WHERE seq = ?', s3);
    tamper(b, "DELETE FROM setting WHERE id = 's3'");
    expectFindings(await verifyBoth(b), [
      { kind: 'sequence_gap', seq: s3 + 1 },
      { kind: 'chain_break', seq: s3 + 1, entity: 'setting', id: 's0' },
      { kind: 'checkpoint_mismatch', seq: s3 },
    ]);
  });

  it('deleting the last entries but keeping a checkpoint → tail_truncated (and anchor_behind with the anchor)', async () => {
    const b = build();
    const t1 = b.seq['create t1']!;
    tamper(b, 'DELETE FROM audit_entry WHERE seq >= ?', t1);
    tamper(b, "DELETE FROM setting WHERE id IN ('t1', 't2')");
    tamper(b, 'DELETE FROM checkpoint WHERE seq = ?', t1);
    expectFindings(await verifyBoth(b), [{ kind: 'tail_truncated', seq: t1 - 1 }]);
    expectFindings(await verifyBoth(b, { anchor: true }), [
      { kind: 'tail_truncated', seq: t1 - 1 },
      { kind: 'anchor_behind', seq: t1 - 1 },
    ]);
  });

  it('deleting the last entries with their checkpoints → only the anchor can tell (anchor_behind)', async () => {
    const b = build();
    const t1 = b.seq['create t1']!;
    tamper(b, 'DELETE FROM audit_entry WHERE seq >= ?', t1);
    tamper(b, 'DELETE FROM checkpoint WHERE seq >= ?', t1);
    tamper(b, "DELETE FROM setting WHERE id IN ('t1', 't2')");
    // Without an outside reference a clean cut at a commit boundary looks like an older
    // database: this is why the workstation keeps its anchor (docs/ledger.md §6).
    expect(await verifyBoth(b)).toEqual([]);
    expectFindings(await verifyBoth(b, { anchor: true }), [{ kind: 'anchor_behind', seq: t1 - 1 }]);
  });

  it('a forged entry appended with a correct hash but no checkpoint → checkpoint_mismatch (head not covered)', async () => {
    const b = build();
    const head = b.ledger.head();
    const row = { id: 'forged', rev: 1, retired: 0, value: '{"v":"forged"}' };
    const f = {
      seq: head.seq + 1,
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
    const db = attacker(b.env.file);
    db.prepare(
      'INSERT INTO audit_entry (seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
    ).run(f.seq, f.at, f.tz, f.actor, f.actor_name, f.ws, f.action, f.entity, f.entity_id, f.reason, f.content, Buffer.from(head.hash, 'hex'), entryHash(f, head.hash));
    db.prepare("INSERT INTO setting (id, rev, retired, value) VALUES ('forged', 1, 0, ?)").run(row.value);
    db.close();
    expectFindings(await verifyBoth(b), [{ kind: 'checkpoint_mismatch', seq: head.seq + 1 }]);
  });

  it("a checkpoint's signature bytes flipped → checkpoint_signature_invalid", async () => {
    const b = build();
    const s1 = b.seq['update s1']!;
    const db = attacker(b.env.file);
    const sig = (db.prepare('SELECT sig FROM checkpoint WHERE seq = ?').get(s1) as { sig: Buffer }).sig;
    sig[10] = sig[10]! ^ 0xff;
    db.prepare('UPDATE checkpoint SET sig = ? WHERE seq = ?').run(sig, s1);
    db.close();
    expectFindings(await verifyBoth(b), [{ kind: 'checkpoint_signature_invalid', seq: s1 }]);
  });

  it('a checkpoint pointing at a wrong hash → checkpoint_mismatch + checkpoint_signature_invalid', async () => {
    const b = build();
    const s2 = b.seq['create s2']!;
    tamper(b, 'UPDATE checkpoint SET head = ? WHERE seq = ?', randomBytes(32), s2);
    expectFindings(await verifyBoth(b), [
      { kind: 'checkpoint_mismatch', seq: s2 },
      { kind: 'checkpoint_signature_invalid', seq: s2 },
    ]);
  });

  it('a checkpoint validly signed (by the host key) over a wrong hash → checkpoint_mismatch', async () => {
    const b = build();
    const s2 = b.seq['create s2']!;
    const db = attacker(b.env.file);
    const cp = db.prepare('SELECT at, key_id FROM checkpoint WHERE seq = ?').get(s2) as { at: number; key_id: string };
    const wrong = sha256Hex('not the head');
    db.prepare('UPDATE checkpoint SET head = ?, sig = ? WHERE seq = ?').run(
      Buffer.from(wrong, 'hex'),
      b.env.key.sign(checkpointMessage(s2, wrong, cp.at, cp.key_id)),
      s2,
    );
    db.close();
    expectFindings(await verifyBoth(b), [{ kind: 'checkpoint_mismatch', seq: s2 }]);
  });

  it('a checkpoint properly signed by an unregistered key → unknown_key', async () => {
    const b = build();
    const t2 = b.seq['create t2']!;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const keyId = sha256Hex(raw).slice(0, 16);
    const db = attacker(b.env.file);
    const cp = db.prepare('SELECT head, at FROM checkpoint WHERE seq = ?').get(t2) as { head: Buffer; at: number };
    const sig = sign(null, checkpointMessage(t2, cp.head.toString('hex'), cp.at, keyId), privateKey);
    db.prepare('UPDATE checkpoint SET key_id = ?, sig = ? WHERE seq = ?').run(keyId, sig, t2);
    db.close();
    expectFindings(await verifyBoth(b), [{ kind: 'unknown_key', seq: t2 }]);
  });

  it('a row edited in a ledgered table → row_modified at its latest entry', async () => {
    const b = build();
    tamper(b, "UPDATE setting SET value = '{\"v\":\"edited\"}' WHERE id = 's1'");
    expectFindings(await verifyBoth(b), [{ kind: 'row_modified', seq: b.seq['update s1']!, entity: 'setting', id: 's1' }]);
  });

  it('a row deleted → row_missing', async () => {
    const b = build();
    tamper(b, "DELETE FROM setting WHERE id = 'm1'");
    expectFindings(await verifyBoth(b), [{ kind: 'row_missing', seq: b.seq['create m1']!, entity: 'setting', id: 'm1' }]);
  });

  it('a row inserted without the ledger → row_unrecorded', async () => {
    const b = build();
    tamper(b, "INSERT INTO setting (id, rev, retired, value) VALUES ('sneaky', 1, 0, '{}')");
    expectFindings(await verifyBoth(b), [{ kind: 'row_unrecorded', seq: null, entity: 'setting', id: 'sneaky' }]);
  });

  it('an entry dated far before its predecessor (the ledger clock went back) → clock_regression', async () => {
    const b = build();
    b.ledger.db.close();
    const back = openLedger(b.env, { clock: () => Date.now() - 60 * 60 * 1000 });
    const seq = writeSetting(back, 'late', { v: 'late' });
    b.ledger = back;
    expectFindings(await verifyBoth(b), [{ kind: 'clock_regression', seq, entity: 'setting', id: 'late' }]);
  });

  it('a clock set back to before the host key was registered → clock_regression + unknown_key', async () => {
    const b = build();
    b.ledger.db.close();
    const back = openLedger(b.env, { clock: () => Date.now() - 5 * 60 * 60 * 1000 });
    const seq = writeSetting(back, 'late', { v: 'late' });
    b.ledger = back;
    // The checkpoint claims a time at which its key was not yet valid.
    expectFindings(await verifyBoth(b), [
      { kind: 'clock_regression', seq, entity: 'setting', id: 'late' },
      { kind: 'unknown_key', seq },
    ]);
  });

  it('a clock regression across a parallel range border is still found', async () => {
    const b = build();
    b.ledger.db.close();
    const back = openLedger(b.env, { clock: () => Date.now() - 60 * 60 * 1000 });
    const first = writeSetting(back, 'late1', { v: 1 });
    const second = writeSetting(back, 'late2', { v: 2 });
    const third = writeSetting(back, 'late3', { v: 3 });
    b.ledger = back;
    // Ranges [#1, late2] and [late3]: the second range is seeded with the (also late) time
    // of late2, so late3 is found only because the runner re-checks it against the latest
    // time of all earlier ranges.
    expect(third).toBe(second + 1);
    expectFindings(await verifyBoth(b, { rangeSize: third - 1 }), [
      { kind: 'clock_regression', seq: first, entity: 'setting', id: 'late1' },
      { kind: 'clock_regression', seq: second, entity: 'setting', id: 'late2' },
      { kind: 'clock_regression', seq: third, entity: 'setting', id: 'late3' },
    ]);
  });

  it('a database replaced by an older copy of itself → anchor_behind (from the AnchorStore)', async () => {
    const b = build();
    b.ledger.db.close();
    const old = `${b.env.file}.old`;
    copyFileSync(b.env.file, old);
    const l = openLedger(b.env);
    writeSetting(l, 'after-copy', { v: 1 });
    writeSetting(l, 'after-copy-2', { v: 2 });
    l.db.close();
    for (const f of [`${b.env.file}-wal`, `${b.env.file}-shm`]) rmSync(f, { force: true });
    copyFileSync(old, b.env.file);
    b.ledger = openLedger(b.env);
    expectFindings(await verifyBoth(b, { anchor: true }), [{ kind: 'anchor_behind', seq: b.seq['head']! }]);
    expect(await verifyBoth(b)).toEqual([]);
  });
});
