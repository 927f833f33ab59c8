/**
 * Corrections as data (D-073, migration 0016): the ledger writes one `correction` record per
 * record corrected in a transaction, in that transaction; a database made before migration 0016
 * gets its corrections recorded from the trail when it is opened (the migration's backfill), and
 * verifies clean afterwards.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/main/db/database';
import type { Migration } from '../../src/main/db/migrations';
import { E } from '../../src/main/ledger/entities';
import { T } from '../../src/main/ledger/records/testing';
import { correctionReads } from '../../src/main/ledger/corrections';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { quickTailCheck } from '../../src/main/ledger/verify-runner';
import { SKEW_MS, makeEnv, newLedger, openLedger } from '../fixtures/ledger-helpers';
import { VERIFIER, runPythonAsync, type PyReport } from '../helpers/python';

// The migrations the store applies: all of them, or (for an "old" database) those before 0016.
const shipped = vi.hoisted(() => ({ upTo: null as string | null }));
vi.mock('../../src/main/db/migrations', async (importOriginal) => {
  const real = await importOriginal<{ migrations: readonly Migration[] }>();
  const list: Migration[] = [];
  const view = new Proxy(list, {
    get(_t, p) {
      const now = shipped.upTo ? real.migrations.filter((m) => m.id <= shipped.upTo!) : [...real.migrations];
      const v = Reflect.get(now, p) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(now) : v;
    },
  });
  return { ...real, migrations: view };
});

const env = makeEnv('lotseal-corrections-');

type Locus = [string, number | null, string | null, string | null];
const loci = (fs: Array<{ kind: string; seq: number | null; entity: string | null; id: string | null }>): Locus[] =>
  fs.map((f) => [f.kind, f.seq, f.entity, f.id]);

/** Both verifiers on the file: LotSeal's own, and the standalone Python one; their findings must agree. */
async function bothVerifiers(l: { db: Db }, file: string): Promise<Locus[]> {
  const ts = await verifyDatabase(l.db, { skewMs: SKEW_MS, anchor: null });
  const r = await runPythonAsync(['-I', '-S', VERIFIER, '--db', file, '--no-anchor', '--no-manifest', '--json']);
  const py = JSON.parse(r.stdout) as PyReport;
  expect(loci(py.findings)).toEqual(loci(ts.findings));
  return loci(ts.findings);
}
afterAll(() => env.cleanup());
const alice = { id: 'alice', name: 'Alice Analyst' };

interface CorrectionRecord {
  entity: string;
  entity_id: string;
  fields: string;
  original_seq: number;
  correction_seq: number;
  reason: string;
  corrected_by: string;
  corrected_at: number;
}

function seqOf(db: Db, entity: string, id: string): number[] {
  return db
    .prepare<[string, string], { seq: number }>(
      'SELECT seq FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq',
    )
    .all(entity, id)
    .map((r) => r.seq);
}

describe('the write path records a correction with the corrected change', () => {
  it('one correction record per corrected record and transaction: fields, the original and the corrected entry, reason, who', async () => {
    shipped.upTo = null;
    const l = newLedger(env, { file: `${env.dir}/live.db` });
    l.write(alice, (w) => w.create(E.setting, { value: '{"v":1}' }, { id: 's1' }));
    l.write(alice, (w) => w.create(E.setting, { value: '{"v":10}' }, { id: 's2' }));
    const rows = l.write(alice, (w) => {
      w.update(E.setting, 's1', { value: '{"v":2}' }, { correction: 'typed 1 for 2' });
      w.update(E.setting, 's1', { value: '{"v":3}' }, { correction: 'typed 1 for 2' });
      // An ordinary change is not a correction.
      w.update(E.setting, 's2', { value: '{"v":11}' }, { reason: 'changed before submission' });
      return null;
    });
    expect(rows).toBeNull();
    const s1 = seqOf(l.db, 'setting', 's1');
    const audit = l.db
      .prepare("SELECT reason FROM audit_entry WHERE entity = 'setting' AND entity_id = 's1' ORDER BY seq")
      .all() as Array<{ reason: string | null }>;
    // The trail reads as it always did.
    expect(audit.map((a) => a.reason)).toEqual([null, 'correction: typed 1 for 2', 'correction: typed 1 for 2']);
    const c = l.db.prepare('SELECT * FROM correction').all() as CorrectionRecord[];
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({
      entity: 'setting',
      entity_id: 's1',
      fields: '["value"]',
      original_seq: s1[0],
      correction_seq: s1[2],
      reason: 'typed 1 for 2',
      corrected_by: 'alice',
    });
    // Written in the same transaction, after the change: the same checkpoint covers both.
    const cSeq = seqOf(l.db, 'correction', (l.db.prepare('SELECT id FROM correction').get() as { id: string }).id)[0]!;
    expect(cSeq).toBeGreaterThan(s1[2]!);
    const cp = l.db.prepare('SELECT min(seq) AS s FROM checkpoint WHERE seq >= ?');
    expect((cp.get(cSeq) as { s: number }).s).toBe((cp.get(s1[2]) as { s: number }).s);
    const reads = correctionReads(l.db);
    expect(reads.wasCorrected('setting', 's1')).toBe(true);
    expect(reads.wasCorrected('setting', 's2')).toBe(false);
    expect([...reads.correctedAmong('setting', ['s1', 's2', 'nope'])]).toEqual(['s1']);
    expect(reads.correctionsOf('setting', 's1')[0]?.fields).toEqual(['value']);
    expect(await bothVerifiers(l, `${env.dir}/live.db`)).toEqual([]);
    l.db.close();
  });

  it('a correction that fails with its transaction leaves no correction record', () => {
    shipped.upTo = null;
    const l = newLedger(env, { file: `${env.dir}/rollback.db` });
    l.write(alice, (w) => w.create(E.setting, { value: '"a"' }, { id: 's1' }));
    expect(() =>
      l.write(alice, (w) => {
        w.update(E.setting, 's1', { value: '"b"' }, { correction: 'wrong' });
        throw new Error('refused later in the transaction');
      }),
    ).toThrow('refused later');
    expect(l.db.prepare('SELECT count(*) AS n FROM correction').get()).toEqual({ n: 0 });
    l.db.close();
  });
});

describe('migration 0016 records the corrections of an older database from its trail', () => {
  it('backfills one record per record and transaction, and the database verifies clean', async () => {
    const file = `${env.dir}/old.db`;
    shipped.upTo = '0015';
    const old = newLedger(env, { file });
    expect(old.db.prepare("SELECT name FROM sqlite_master WHERE name = 'correction'").get()).toBeUndefined();
    // Two results as testing stores them (only the columns that matter here).
    const result = (id: string) => ({
      sample_id: 'S1',
      sample_code: 'S-1',
      item_code: id === 'a' ? 'fat' : 'energy',
      item_group: 'composition',
      position: id === 'a' ? 1 : 2,
      item: '{}',
      calculated: id === 'a' ? 0 : 1,
      plan_reason: 'spec',
      status: 'submitted',
      attempt: 1,
      value: '1',
    });
    old.write(alice, (w) => {
      w.create(T.result, result('a'), { id: 'a' });
      w.create(T.result, result('b'), { id: 'b' });
      w.create(E.setting, { value: '{"v":1}' }, { id: 'erp' });
    });
    // How corrections were written before migration 0016: only the audit reason said so.
    old.write(alice, (w) => {
      w.update(T.result, 'a', { status: 'entered' }, { reason: 'correction: wrong dish weighed' });
      w.update(T.result, 'a', { value: '2', status: 'entered' }, { reason: 'correction: wrong dish weighed' });
      w.update(T.result, 'b', { value: '2' }, { reason: 'changed before submission' });
      // Another record whose reason a user happened to begin with the same words: not a result's correction.
      w.update(E.setting, 'erp', { value: '{"v":2}' }, { reason: 'correction: weighed again' });
    });
    old.write({ id: 'bob', name: 'Bob' }, (w) =>
      w.update(
        T.result,
        'b',
        { value: '5', status: 'entered' },
        { reason: 'correction: recalculated (fat corrected)' },
      ),
    );
    const a = seqOf(old.db, 'test_result', 'a');
    const b = seqOf(old.db, 'test_result', 'b');
    old.db.close();

    shipped.upTo = null;
    const l = openLedger(env, { file });
    const c = l.db.prepare('SELECT * FROM correction ORDER BY correction_seq').all() as CorrectionRecord[];
    expect(c.map(({ corrected_at: _t, ...r }) => r)).toEqual(
      [
        {
          entity: 'test_result',
          entity_id: 'a',
          fields: '["status","value"]',
          original_seq: a[0],
          correction_seq: a[2],
          reason: 'wrong dish weighed',
          corrected_by: 'alice',
        },
        {
          entity: 'test_result',
          entity_id: 'b',
          fields: '["status","value"]',
          original_seq: b[1],
          correction_seq: b[2],
          reason: 'recalculated (fat corrected)',
          corrected_by: 'bob',
        },
      ].map((r) => ({ ...r, id: expect.any(String), rev: 1, retired: 0 })),
    );
    // Recorded in the migration's own transaction, by the system, with the migration record.
    const by = l.db.prepare("SELECT DISTINCT actor FROM audit_entry WHERE entity = 'correction'").all() as Array<{
      actor: string;
    }>;
    expect(by).toEqual([{ actor: 'system' }]);
    expect(correctionReads(l.db).wasCorrected('test_result', 'b')).toBe(true);
    expect(correctionReads(l.db).wasCorrected('setting', 'erp')).toBe(false);
    expect(await bothVerifiers(l, file)).toEqual([]);
    l.db.close();
  });
});

describe('verification checks each correction record against the entries it names', () => {
  it('a correction record that does not match the trail is correction_mismatch, in both verifiers', async () => {
    shipped.upTo = null;
    const file = `${env.dir}/forged.db`;
    const l = newLedger(env, { file });
    l.write(alice, (w) => w.create(E.setting, { value: '"a"' }, { id: 's1' }));
    l.write(alice, (w) => w.update(E.setting, 's1', { value: '"b"' }, { reason: 'changed' }));
    const [created, changed] = seqOf(l.db, 'setting', 's1') as [number, number];
    const forge = (id: string, fields: Record<string, string | number>) =>
      l.write(alice, (w) =>
        w.create(
          E.correction,
          {
            entity: 'setting',
            entity_id: 's1',
            fields: '["value"]',
            original_seq: created,
            correction_seq: changed,
            reason: 'claimed later',
            corrected_by: 'alice',
            corrected_at: w.at,
            ...fields,
          },
          { id },
        ),
      );
    // Written in a later transaction than the change it claims to record.
    forge('late', {});
    // Naming fields the change did not touch, in the change's own transaction.
    l.write(alice, (w) => {
      w.update(E.setting, 's1', { value: '"c"' }, { reason: 'changed again' });
      w.create(
        E.correction,
        {
          entity: 'setting',
          entity_id: 's1',
          fields: '["rev","value"]',
          original_seq: changed,
          // The update just made is the transaction's first entry.
          correction_seq: w.head.seq + 1,
          reason: 'wrong fields',
          corrected_by: 'alice',
          corrected_at: w.at,
        },
        { id: 'fields' },
      );
    });
    // Naming an entry of another record.
    forge('other', {
      correction_seq: (
        l.db.prepare("SELECT max(seq) AS s FROM audit_entry WHERE entity = 'correction'").get() as { s: number }
      ).s,
    });
    const correctionSeq = (id: string) => seqOf(l.db, 'correction', id)[0]!;
    const found = await bothVerifiers(l, file);
    expect(found).toEqual([
      ['correction_mismatch', correctionSeq('late'), 'correction', 'late'],
      ['correction_mismatch', correctionSeq('fields'), 'correction', 'fields'],
      ['correction_mismatch', correctionSeq('other'), 'correction', 'other'],
    ]);
    // The start-up check sees those its tail wrote.
    const tail = quickTailCheck(l.db, { fromSeq: correctionSeq('fields') - 1, anchor: null, skewMs: SKEW_MS });
    expect(loci(tail)).toEqual(found.slice(1));
    l.db.close();
  });
});
