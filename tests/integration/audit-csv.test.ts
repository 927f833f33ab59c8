/**
 * The audit-trail CSV export (issue 18 §9): complete (no cap: more entries than one read chunk),
 * streamed by a worker with progress, carrying what each entry's hash covers, and checkable on
 * its own by the standalone verifier (`lotseal_verify.py --csv`): clean as exported; a changed
 * cell, a deleted row, a forged checkpoint signature each found at its entry. Secrets are
 * redacted. Also from the app, recorded in the audit trail.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/contract';
import { AUDIT_CSV_HEADER, REDACTED } from '../../src/main/evidence/audit-csv';
import { runExportJob } from '../../src/main/evidence/evidence-runner';
import { E } from '../../src/main/ledger/entities';
import { createTestApp, tempDir } from '../helpers/core';
import { makeEnv, newLedger, type TestEnv } from '../fixtures/ledger-helpers';
import { runVerifier } from '../helpers/python';

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

/** Values a spreadsheet or a CSV parser could mangle, in reasons and record contents. */
const AWKWARD = [
  '=SUM(A1:A9)',
  '-5 kg correction',
  '+1',
  '@user',
  "'quoted",
  '"double" quotes, commas',
  'line\nbreak\r\nCRLF',
  '乳粉 批次 ✓',
  'tab\tinside',
  "'=both",
  '',
];

function seed(entries: number): { env: TestEnv; head: number; secrets: number } {
  const env = makeEnv('lotseal-csv-');
  envs.push(env);
  const ledger = newLedger(env);
  let i = 0;
  // Transactions of 1 to 17 entries, so checkpoints fall irregularly.
  while (ledger.head().seq < entries) {
    const n = 1 + (i % 17);
    ledger.write(
      { id: i % 5 === 0 ? '-dash.user' : 'alice', name: i % 7 === 0 ? '=Formula Name' : 'Alice 王' },
      (w) => {
        for (let k = 0; k < n; k++, i++) {
          const id = `s${i % 700}`;
          const value = JSON.stringify({ v: AWKWARD[i % AWKWARD.length], n: i });
          if (w.get(E.setting, id))
            w.update(E.setting, id, { value }, { reason: AWKWARD[(i + 3) % AWKWARD.length] || 'r' });
          else w.create(E.setting, { value }, { id });
        }
      },
    );
  }
  // Two recovery codes: their hashes (a secret column) must not reach the spreadsheet.
  ledger.write({ id: 'admin', name: 'Admin' }, (w) => {
    for (const id of ['r1', 'r2'])
      w.create(E.recoveryCode, { code_hash: `scrypt$secret-of-${id}`, created_at: 1, used_at: null }, { id });
  });
  const head = ledger.head().seq;
  ledger.db.close();
  return { env, head, secrets: 2 };
}

type Rec = Record<(typeof AUDIT_CSV_HEADER)[number], string>;

function readCsv(file: string): Rec[] {
  return parse(readFileSync(file, 'utf8'), { bom: true, columns: true, relax_quotes: false }) as Rec[];
}

function writeCsv(file: string, rows: Rec[]): void {
  const cell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  writeFileSync(
    file,
    `\uFEFF${AUDIT_CSV_HEADER.join(',')}\r\n${rows.map((r) => AUDIT_CSV_HEADER.map((h) => cell(r[h])).join(',')).join('\r\n')}\r\n`,
  );
}

describe('the audit-trail CSV export', () => {
  it('is complete, streamed in chunks with progress, and checks clean with the Python verifier; every change to it is found', async () => {
    const { env, head, secrets } = seed(4_500);
    const file = join(env.dir, 'trail.csv');
    const progress: number[] = [];
    const r = await runExportJob({ type: 'csv', opts: { dbFile: env.file, out: file, filter: {} } }, (phase, done) => {
      if (phase === 'csv') progress.push(done);
    });
    expect(r).toMatchObject({ ok: true, rows: head, through_seq: head });
    expect(r.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    // More than one chunk of 2,000, reported as it went.
    expect(progress.filter((d) => d > 0 && d < head).length).toBeGreaterThanOrEqual(2);

    const rows = readCsv(file);
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_HEADER]);
    expect(rows.map((x) => Number(x.seq))).toEqual(Array.from({ length: head }, (_, k) => k + 1));
    const secretRows = rows.filter((x) => x.entity === 'recovery_code');
    expect(secretRows).toHaveLength(secrets);
    for (const u of secretRows) {
      expect(u.content).not.toContain('secret-of');
      expect(u.content).toContain(REDACTED);
      expect(u.content_redacted).toBe('code_hash');
      expect(u.changes).not.toContain('secret-of');
    }
    // A formula-looking reason is protected for spreadsheets (and restored by the checker).
    expect(rows.some((x) => x.reason.startsWith("'=SUM"))).toBe(true);

    const clean = await runVerifier(['--csv', file]);
    expect(clean.report.findings).toEqual([]);
    expect(clean.status).toBe(0);
    const cps = rows.filter((x) => x.checkpoint_sig).length;
    expect(clean.report).toMatchObject({ ok: true, entries: head, checkpoints: cps, verified_through: head });
    expect((clean.report['csv'] as { redacted_entries: number }).redacted_entries).toBe(secrets);
    const last = rows[rows.length - 1]!;
    expect((await runVerifier(['--csv', file, '--witness', `${head}:${last.entry_hash}`])).status).toBe(0);

    // One character of one content cell.
    const target = rows.find((x) => Number(x.seq) === 1234)!;
    const edited = rows.map((x) => (x === target ? { ...x, content: x.content.replace('"rev":', '"rev": ') } : x));
    writeCsv(join(env.dir, 'edited.csv'), edited);
    const e1 = await runVerifier(['--csv', join(env.dir, 'edited.csv')]);
    expect(e1.status).toBe(1);
    expect(e1.report.findings.map((f) => [f.kind, f.seq, f.entity, f.id])).toEqual([
      ['entry_hash_mismatch', 1234, 'setting', target.record_id],
    ]);

    // A row removed.
    writeCsv(
      join(env.dir, 'cut.csv'),
      rows.filter((x) => Number(x.seq) !== 2001),
    );
    const e2 = await runVerifier(['--csv', join(env.dir, 'cut.csv')]);
    expect(e2.report.findings.map((f) => [f.kind, f.seq])).toEqual([
      ['sequence_gap', 2002],
      ['chain_break', 2002],
    ]);

    // A checkpoint signature forged.
    const cp = rows.find((x) => x.checkpoint_sig && Number(x.seq) > 100)!;
    const sig = Buffer.from(cp.checkpoint_sig, 'base64');
    sig[5] = sig[5]! ^ 1;
    writeCsv(
      join(env.dir, 'sig.csv'),
      rows.map((x) => (x === cp ? { ...x, checkpoint_sig: sig.toString('base64') } : x)),
    );
    const e3 = await runVerifier(['--csv', join(env.dir, 'sig.csv')]);
    expect(e3.report.findings.map((f) => [f.kind, f.seq])).toEqual([['checkpoint_signature_invalid', Number(cp.seq)]]);

    // The last entries cut off with their checkpoint: the head no longer matches a witness.
    const cut = rows.slice(0, rows.length - 2);
    writeCsv(join(env.dir, 'tail.csv'), cut);
    const e4 = await runVerifier(['--csv', join(env.dir, 'tail.csv'), '--witness', `${head}:${last.entry_hash}`]);
    expect(e4.report.findings.map((f) => f.kind)).toContain('witness_mismatch');
  });

  it('a filtered export holds only the selected entries, each still checkable', async () => {
    const { env, head } = seed(300);
    const file = join(env.dir, 'alice.csv');
    const r = await runExportJob({ type: 'csv', opts: { dbFile: env.file, out: file, filter: { actorId: 'alice' } } });
    const rows = readCsv(file);
    expect(rows.length).toBe(r.rows);
    expect(rows.length).toBeLessThan(head);
    expect(rows.every((x) => x.user_id === 'alice')).toBe(true);
    const v = await runVerifier(['--csv', file]);
    // Gaps are expected in a filtered export; no entry's own hash is wrong.
    expect(v.report.findings.filter((f) => f.kind === 'entry_hash_mismatch')).toEqual([]);
    expect(v.report.findings.some((f) => f.kind === 'sequence_gap')).toBe(true);
    // Never overwrites a file.
    await expect(
      runExportJob({ type: 'csv', opts: { dbFile: env.file, out: file, filter: {} } }),
    ).rejects.toMatchObject({
      error: { code: 'conflict' },
    });
  });

  it('from the app: a QA manager exports the whole trail into a folder; the export is recorded', async () => {
    const app = await createTestApp();
    const out = tempDir('lotseal-csv-app-');
    try {
      const qa = await app.userWith(['qa_manager'], 'qa.chen');
      const { jobId, file } = await app.ok(qa, 'audit.exportCsv', { filter: {}, folder: out.dir });
      const done = await new Promise<JobProgress>((resolve) => {
        const off = app.core.dispatcher.onEvent((_t, name, payload) => {
          const p = payload as JobProgress;
          if (name === 'job.progress' && p.jobId === jobId && p.finished) {
            off();
            resolve(p);
          }
        });
      });
      expect(done.error).toBeNull();
      const result = await app.ok(qa, 'exports.result', { jobId });
      const rows = readCsv(file);
      expect(result).toMatchObject({ kind: 'audit_csv', path: file, entries: rows.length, verification: null });
      const ev = app.core
        .need()
        .ledger.db.prepare("SELECT sha256, head_seq FROM backup_event WHERE kind = 'audit_csv'")
        .get() as { sha256: string; head_seq: number };
      expect(ev).toEqual({ sha256: result!.sha256, head_seq: rows.length });
      const v = await runVerifier(['--csv', file]);
      expect(v.report.findings).toEqual([]);
      expect(v.status).toBe(0);
    } finally {
      app.close();
      out.cleanup();
    }
  });
});
