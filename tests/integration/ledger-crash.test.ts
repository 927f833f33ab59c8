/**
 * Crash safety (issue 3 §8): a committed write survives kill -9 at any moment. A child
 * process writes in a loop and acknowledges each commit on stdout; it is SIGKILLed at random
 * moments, ≥ 30 times. After each kill the database must verify clean, every acknowledged
 * sequence must be present, and the anchor (written after commit) may lag the database by
 * one commit but never lead it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSqlite } from '../../src/main/db/database';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { PASSPHRASE, SKEW_MS, makeEnv, newLedger } from '../fixtures/ledger-helpers';
import { bundleForNode } from '../helpers/node-bundle';

const ROUNDS = 30;
const root = join(__dirname, '..', '..');
const env = makeEnv('lotseal-crash-');
afterAll(() => env.cleanup());
/** The writer, bundled once: 30 starts from the bundle instead of 30 under tsx (tests/helpers/node-bundle.ts). */
let writer: { file: string; env: NodeJS.ProcessEnv };
beforeAll(async () => {
  writer = await bundleForNode(join(root, 'tests/fixtures/ledger-writer.ts'), join(env.dir, 'writer'));
});

/** Runs the writer, kills it after a random delay; returns the acknowledged sequence numbers. */
function round(killAfterMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer.file, env.dataDir, env.file], {
      cwd: root,
      env: { ...writer.env, LOTSEAL_KEY_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      // Kill at a random moment once it has acknowledged its first commit (so every round
      // is a kill during a stream of writes, however slow the machine is).
      if (!armed && /^\d+$/m.test(out)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer exited with ${code}: ${err}`));
        return;
      }
      // Only complete lines are acknowledgements; a torn last line was not acknowledged.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => /^\d+$/.test(l)).map(Number));
    });
  });
}

it(`every acknowledged write survives ${ROUNDS} kill -9s and the chain stays intact`, async () => {
  const l = newLedger(env);
  const dbId = l.getDatabaseId()!;
  l.db.close();
  const acked: number[] = [];
  let killedMidWrite = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const got = await round(Math.floor(Math.random() * 120));
    acked.push(...got);
    const db = openSqlite(env.file, { readonly: true });
    const head = (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
    if (got.length > 0 && head > got[got.length - 1]!) killedMidWrite += 1;
    for (const s of got)
      expect(db.prepare('SELECT 1 AS x FROM audit_entry WHERE seq = ?').get(s), `acknowledged #${s}`).toEqual({ x: 1 });
    const anchor = env.anchors.read(dbId)!;
    // The anchor never leads the database, and matches the entry it names.
    expect(anchor.seq).toBeLessThanOrEqual(head);
    expect(
      (db.prepare('SELECT hash FROM audit_entry WHERE seq = ?').get(anchor.seq) as { hash: Buffer }).hash.toString(
        'hex',
      ),
    ).toBe(anchor.hash);
    // …and lags by at most one commit (a transaction writes at most 2 entries here).
    expect(head - anchor.seq).toBeLessThanOrEqual(2);
    const report = await verifyDatabase(db, { skewMs: SKEW_MS, anchor });
    db.close();
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  }
  expect(acked.length).toBeGreaterThanOrEqual(ROUNDS);
  // Acknowledgements are strictly increasing across rounds: nothing acknowledged was lost and re-used.
  for (let i = 1; i < acked.length; i++) expect(acked[i]!).toBeGreaterThan(acked[i - 1]!);
  const final = await verifyFile(env.file, { skewMs: SKEW_MS, anchor: env.anchors.read(dbId) });
  expect(final).toMatchObject({ ok: true, findings: [] });
  console.log(
    `crash test: ${ROUNDS} rounds, ${acked.length} acknowledged commits, ${killedMidWrite} kills after an unacknowledged commit`,
  );
});
