/**
 * Parity of the standalone Python verifier with `lotseal verify` on a database with personal
 * keys, enrolments and e-signatures (issue 18 §9) — the signature pass, the signed-change rules
 * and key enrolment, which the settings-only tamper matrix does not reach:
 *  - named cases: the untouched database; an insider with the host key appending a decision
 *    without a personal signature; a forged signature value; an earlier entry rewritten with
 *    the whole chain re-hashed and every checkpoint re-signed with the host key;
 *  - fast-check: a random change to a random entry or row (a field of its content, its row,
 *    the entry deleted), by an outsider (hashes left as they are) or an insider (everything
 *    after it re-hashed and re-signed with the host key).
 * Both verifiers must report the same findings (kind, seq, entity, id) and the same counts.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/shared/contract/channels/ledger';
import { openSqlite } from '../../src/main/db/database';
import { canonical, checkpointMessage, entryHash, GENESIS_HEX } from '../../src/main/ledger/hashing';
import { loadHostKey, type HostKey } from '../../src/main/ledger/keys';
import { entityDef } from '../../src/main/ledger/registry';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { USER_PASSWORD, createTestApp, testKeyProtector } from '../helpers/core';
import { VERIFIER, python, runPythonAsync, type PyReport } from '../helpers/python';

const SKEW_MS = 5 * 60_000;
let root: string;
let fixture: string;
let key: HostKey;
let n = 0;

beforeAll(async () => {
  python();
  root = mkdtempSync(join(tmpdir(), 'lotseal-parity-signed-'));
  const app = await createTestApp();
  const qa = await app.userWith(['qa_manager'], 'qa.li');
  await app.userWith(['technician'], 'tech.wang');
  await app.userWith(['inspector'], 'insp.zhao');
  await app.ok(app.admin, 'settings.update', {
    settings: { ...app.core.need().settings.get(), clockSkewMinutes: 5 },
    reason: 'parity fixture',
  });
  for (let i = 0; i < 2; i++) {
    await app.ok(qa, 'audit.review', {
      throughSeq: app.core.need().ledger.head().seq,
      filter: {},
      comment: `审计追踪审核 review ${i + 1}`,
      signature: { password: USER_PASSWORD, meaning: 'audit_reviewed' },
    });
  }
  key = loadHostKey(app.core.dataDir, 'harness', testKeyProtector());
  app.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
  fixture = join(root, 'fixture.db');
  copyFileSync(app.core.dbFile, fixture);
  app.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copy(): string {
  const f = join(root, `case-${++n}.db`);
  copyFileSync(fixture, f);
  return f;
}

function attacker(file: string): Database.Database {
  const db = new Database(file);
  const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>;
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  return db;
}

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
}

/** The insider's move: every entry from `from` on re-hashed, every checkpoint re-signed with the host key. */
function rehash(db: Database.Database, from: number): void {
  const prevRow = db
    .prepare('SELECT lower(hex(hash)) AS h FROM audit_entry WHERE seq < ? ORDER BY seq DESC LIMIT 1')
    .get(from) as { h: string } | undefined;
  let prev = prevRow?.h ?? GENESIS_HEX;
  const rows = db
    .prepare(
      'SELECT seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content FROM audit_entry WHERE seq >= ? ORDER BY seq',
    )
    .all(from) as EntryRow[];
  const upd = db.prepare('UPDATE audit_entry SET prev = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const h = entryHash(r, prev);
    upd.run(Buffer.from(prev, 'hex'), h, r.seq);
    prev = h.toString('hex');
  }
  const cps = db
    .prepare(
      'SELECT c.seq, c.at, c.key_id, lower(hex(a.hash)) AS h FROM checkpoint c JOIN audit_entry a ON a.seq = c.seq WHERE c.seq >= ?',
    )
    .all(from) as Array<{ seq: number; at: number; key_id: string; h: string }>;
  const cpUpd = db.prepare('UPDATE checkpoint SET head = ?, sig = ? WHERE seq = ?');
  for (const c of cps)
    cpUpd.run(Buffer.from(c.h, 'hex'), key.sign(checkpointMessage(c.seq, c.h, c.at, c.key_id)), c.seq);
}

function loci(findings: Array<{ kind: string } & Pick<Finding, 'seq' | 'entity' | 'id'>>): string[] {
  return findings.map((f) => JSON.stringify([f.kind, f.seq, f.entity, f.id])).sort();
}

async function compare(file: string, label: string): Promise<Finding[]> {
  const db = openSqlite(file, { readonly: true });
  const ts = await verifyDatabase(db, { skewMs: SKEW_MS, anchor: null });
  db.close();
  const r = await runPythonAsync(['-I', '-S', VERIFIER, '--db', file, '--no-anchor', '--no-manifest', '--json']);
  let py: PyReport;
  try {
    py = JSON.parse(r.stdout) as PyReport;
  } catch {
    throw new Error(`${label}: the Python verifier did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  expect(loci(py.findings), label).toEqual(loci(ts.findings));
  expect([py.entries, py.checkpoints, py['signatures'], py['legacy_signatures']], label).toEqual([
    ts.entries,
    ts.checkpoints,
    ts.signatures ?? 0,
    ts.legacy_signatures ?? 0,
  ]);
  expect(r.status, label).toBe(ts.ok ? 0 : 1);
  return ts.findings;
}

function entries(file: string): EntryRow[] {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      'SELECT seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content FROM audit_entry ORDER BY seq',
    )
    .all() as EntryRow[];
  db.close();
  return rows;
}

describe('the Python verifier agrees with lotseal verify on a signed database', () => {
  it('untouched: both clean, the same signatures checked', async () => {
    const f = copy();
    expect(await compare(f, 'untouched')).toEqual([]);
    const db = new Database(f, { readonly: true });
    expect(
      (db.prepare('SELECT count(*) AS n FROM signature WHERE sig IS NOT NULL').get() as { n: number }).n,
    ).toBeGreaterThanOrEqual(5);
    db.close();
  });

  it('an insider with the host key appends a decision without a personal signature → signature_missing', async () => {
    const f = copy();
    const db = attacker(f);
    const head = db
      .prepare('SELECT seq, lower(hex(hash)) AS h, at FROM audit_entry ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; h: string; at: number };
    const row = { id: 'forged-review', rev: 1, retired: 0, through_seq: head.seq, filter: '{}', comment: 'looks fine' };
    const e: EntryRow = {
      seq: head.seq + 1,
      at: head.at + 1000,
      tz: 'Asia/Shanghai',
      actor: 'qa.li',
      actor_name: 'User qa.li',
      ws: 'harness@test-host',
      action: 'create',
      entity: 'audit_review',
      entity_id: row.id,
      reason: null,
      content: canonical(row),
    };
    const h = entryHash(e, head.h);
    db.prepare(
      'INSERT INTO audit_entry (seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
    ).run(
      e.seq,
      e.at,
      e.tz,
      e.actor,
      e.actor_name,
      e.ws,
      e.action,
      e.entity,
      e.entity_id,
      e.reason,
      e.content,
      Buffer.from(head.h, 'hex'),
      h,
    );
    db.prepare('INSERT INTO audit_review (id, rev, retired, through_seq, filter, comment) VALUES (?,?,?,?,?,?)').run(
      row.id,
      1,
      0,
      row.through_seq,
      row.filter,
      row.comment,
    );
    db.prepare('INSERT INTO checkpoint (seq, head, at, key_id, sig) VALUES (?,?,?,?,?)').run(
      e.seq,
      h,
      e.at,
      key.id,
      key.sign(checkpointMessage(e.seq, h.toString('hex'), e.at, key.id)),
    );
    db.close();
    const findings = await compare(f, 'appended decision');
    expect(findings.map((x) => x.kind)).toContain('signature_missing');
  });

  it('an insider rewrites an earlier entry and re-signs every checkpoint with the host key → the later personal signatures fail', async () => {
    const f = copy();
    const all = entries(f);
    const target = all.find((e) => e.entity === 'setting')!;
    const db = attacker(f);
    const c = JSON.parse(target.content) as Record<string, unknown>;
    c['value'] = JSON.stringify({ ...(JSON.parse(String(c['value'])) as object), clockSkewMinutes: 60 });
    db.prepare('UPDATE audit_entry SET content = ? WHERE seq = ?').run(canonical(c), target.seq);
    rehash(db, target.seq);
    db.close();
    const findings = await compare(f, 'rewritten history');
    expect(findings.some((x) => x.kind === 'signature_invalid')).toBe(true);
    expect(findings.some((x) => x.kind === 'entry_hash_mismatch' || x.kind === 'checkpoint_signature_invalid')).toBe(
      false,
    );
  });

  it('random changes by an outsider or an insider: both verifiers always agree', async () => {
    const all = entries(fixture);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          at: fc.nat(all.length - 1),
          mutation: fc.constantFrom('field', 'field+row', 'delete', 'row', 'sig'),
          insider: fc.boolean(),
          pick: fc.nat(1_000),
        }),
        async ({ at, mutation, insider, pick }) => {
          const target = all[at]!;
          const f = copy();
          const db = attacker(f);
          const c = JSON.parse(target.content) as Record<string, unknown>;
          const fields = Object.keys(c).filter((k) => k !== 'id');
          const field = fields[pick % fields.length]!;
          const v = c[field];
          const changed =
            typeof v === 'number' ? v + 1 : typeof v === 'string' ? (v.length ? `${v.slice(0, -1)}x` : 'x') : 'x';
          const table = entityDef(target.entity)?.table ?? null;
          if (mutation === 'field' || mutation === 'field+row') {
            c[field] = changed;
            db.prepare('UPDATE audit_entry SET content = ? WHERE seq = ?').run(canonical(c), target.seq);
            if (mutation === 'field+row' && table)
              db.prepare(`UPDATE ${table} SET ${field} = ? WHERE id = ?`).run(changed, target.entity_id);
          } else if (mutation === 'delete') {
            db.prepare('DELETE FROM audit_entry WHERE seq = ?').run(target.seq);
          } else if (mutation === 'row' && table) {
            db.prepare(`UPDATE ${table} SET ${field} = ? WHERE id = ?`).run(changed, target.entity_id);
          } else if (mutation === 'sig') {
            const sigs = all.filter((e) => e.entity === 'signature');
            const s = sigs[pick % sigs.length]!;
            const sc = JSON.parse(s.content) as Record<string, unknown>;
            const other = JSON.parse(sigs[(pick + 1) % sigs.length]!.content) as Record<string, unknown>;
            sc['sig'] = other['sig'];
            db.prepare('UPDATE audit_entry SET content = ? WHERE seq = ?').run(canonical(sc), s.seq);
            db.prepare('UPDATE signature SET sig = ? WHERE id = ?').run(other['sig'] ?? null, s.entity_id);
          }
          if (insider) rehash(db, mutation === 'sig' ? 1 : target.seq);
          db.close();
          await compare(
            f,
            `${mutation} of #${target.seq} (${target.entity}.${field})${insider ? ' by an insider' : ''}`,
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});
