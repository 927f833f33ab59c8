import { afterAll, expect, it } from 'vitest';
import { openSqlite } from '../../src/main/db/database';
import { E } from '../../src/main/ledger/entities';
import { FindingSink, verifyRows } from '../../src/main/ledger/verify';
import { makeEnv, newLedger } from '../fixtures/ledger-helpers';

const env = makeEnv('lotseal-verify-live-');
afterAll(() => env.cleanup());

/**
 * A full verification of a live database reads its head first, then checks the tables in a
 * worker on another connection while people keep writing. Rows written after that head are
 * not tampering: the row check reads the table and the trail in one snapshot, bounded by that
 * snapshot's head (a run once reported every record written during it as `row_modified` /
 * `row_unrecorded`, and the ledger then blocked every signed action).
 */
it('rows written after the run read its head are checked against their own entries, not reported', () => {
  const l = newLedger(env);
  const actor = { id: 'a', name: 'A' };
  l.write(actor, (w) => w.create(E.setting, { value: '"one"' }, { id: 's1' }));
  const head = l.head().seq;
  // The app keeps writing after the run read its head: an update and a new record.
  l.write(actor, (w) => {
    w.update(E.setting, 's1', { value: '"two"' }, { reason: 'changed during the run' });
    w.create(E.setting, { value: '"three"' }, { id: 's2' });
  });
  const db = openSqlite(env.file, { readonly: true });
  try {
    const sink = new FindingSink();
    verifyRows(db, E.setting, head, sink);
    expect(sink.findings).toEqual([]);
    // A real change of the table is still found, whatever the bound.
    const rw = openSqlite(env.file);
    rw.exec('DROP TRIGGER IF EXISTS setting_no_update');
    rw.prepare("UPDATE setting SET value = '\"forged\"' WHERE id = 's2'").run();
    rw.close();
    const again = new FindingSink();
    verifyRows(db, E.setting, head, again);
    expect(again.findings.map((f) => [f.kind, f.id])).toEqual([['row_modified', 's2']]);
  } finally {
    db.close();
    l.db.close();
  }
});

/**
 * The whole run, in worker threads, while the app writes: every write commits a new signed
 * checkpoint beyond the head the run read. A run once took such a checkpoint for a truncated
 * trail (`tail_truncated`), and the ledger then blocked every signed action until a QA
 * manager reviewed a finding that was not one.
 */
it('a full verification in workers during writes reports nothing for what was written meanwhile', async () => {
  const { verifyFile } = await import('../../src/main/ledger/verify-runner');
  const l = newLedger(env, { file: `${env.dir}/live-run.db` });
  const actor = { id: 'a', name: 'A' };
  for (let i = 0; i < 20; i++) l.write(actor, (w) => w.create(E.setting, { value: `"v${i}"` }, { id: `r${i}` }));
  const before = l.head().seq;
  let wrote = 0;
  try {
    const report = await verifyFile(`${env.dir}/live-run.db`, {
      skewMs: 5 * 60_000,
      anchor: null,
      workers: 2,
      // The first progress event comes after the run read its head and before any job ran:
      // the app writes now, from the same thread, so the order is certain.
      onProgress: () => {
        if (wrote) return;
        for (let i = 0; i < 5; i++) {
          l.write(actor, (w) =>
            w.update(E.setting, `r${i}`, { value: `"changed ${i}"` }, { reason: 'during the run' }),
          );
          wrote += 1;
        }
      },
    });
    expect(wrote).toBe(5);
    expect(l.head().seq).toBeGreaterThan(before);
    expect(report.verified_through).toBe(before);
    expect(report.findings).toEqual([]);
  } finally {
    l.db.close();
  }
});
