/**
 * The evidence folder (issue 18 §9): `lotseal export --evidence` and the audit screen's export
 * on a seeded database; the folder copied to a fresh place and checked there by the standalone
 * verifier with Python alone (`python3 -I -S`: no site-packages, no environment, nothing of
 * ours installed); refusals; a changed file and a tampered snapshot found.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/contract';
import { findingKinds } from '../../src/shared/contract/channels/ledger';
import { resolveEvidenceWorker } from '../../src/main/evidence/evidence-runner';
import { lotseal } from '../helpers/cli';
import { USER_PASSWORD, createTestApp, tempDir, type TestApp } from '../helpers/core';
import { runPythonAsync, type PyReport } from '../helpers/python';

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

function waitJob(app: TestApp, jobId: string, seen: JobProgress[] = []): Promise<JobProgress> {
  return new Promise((resolve) => {
    const off = app.core.dispatcher.onEvent((_t, name, payload) => {
      const p = payload as JobProgress;
      if (name !== 'job.progress' || p.jobId !== jobId) return;
      seen.push(p);
      if (p.finished) {
        off();
        resolve(p);
      }
    });
  });
}

/** The standalone verifier run from inside a folder, by Python alone. */
async function verifyFolder(
  folder: string,
  args: string[] = [],
): Promise<{
  status: number | null;
  report: PyReport & { manifest?: { ok: boolean; checked: number; mismatched: string[] } };
}> {
  const r = await runPythonAsync(['-I', '-S', join('verifier', 'lotseal_verify.py'), '--json', ...args], {
    cwd: folder,
  });
  try {
    return { status: r.status, report: JSON.parse(r.stdout) as PyReport };
  } catch {
    throw new Error(`verifier output is not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

const EXPECTED_FILES = [
  'README.md',
  'SHA256SUMS',
  'anchor.json',
  'keys.json',
  'keys.txt',
  'lotseal-verify-report.json',
  'lotseal.db',
  'manifest.json',
  'verifier/LEDGER-FORMAT.md',
  'verifier/ed25519.py',
  'verifier/lotseal_records.py',
  'verifier/lotseal_verify.py',
];

function filesOf(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(dir, join(base, e.name)) : [join(base, e.name).split('\\').join('/')],
  );
}

describe('the evidence folder', () => {
  let app: TestApp;
  let out: { dir: string; cleanup: () => void };
  beforeEach(async () => {
    app = await createTestApp();
    out = tempDir('lotseal-evidence-');
    // A seeded database: accounts of several roles, sign-ins, a signed audit review, settings.
    const qa = await app.userWith(['qa_manager'], 'qa.li');
    await app.userWith(['technician'], 'tech.wang');
    const head = app.core.need().ledger.head().seq;
    await app.ok(qa, 'audit.review', {
      throughSeq: head,
      filter: {},
      comment: '月度审计追踪审核 monthly review',
      signature: { password: USER_PASSWORD, meaning: 'audit_reviewed' },
    });
  });
  afterEach(() => {
    app.close();
    out.cleanup();
  });

  it('lotseal export --evidence writes a folder that the Python verifier checks alone, copied to a fresh place', async () => {
    const folder = join(out.dir, 'evidence');
    const r = lotseal(['export', '--evidence', folder, '--db', app.core.dbFile, '--json'], {
      dataDir: app.core.dataDir,
    });
    expect(r.code, r.stderr).toBe(0);
    const res = r.json as {
      ok: boolean;
      out: string;
      head: { seq: number; hash: string };
      manifest_sha256: string;
      anchor: { seq: number } | null;
      verification: { ok: boolean };
    };
    const head = app.core.need().ledger.head();
    expect(res).toMatchObject({
      ok: true,
      out: folder,
      head: { seq: head.seq, hash: head.hash },
      verification: { ok: true },
    });
    expect(res.anchor?.seq).toBe(head.seq);
    expect(filesOf(folder).sort()).toEqual(EXPECTED_FILES);
    expect(sha(join(folder, 'manifest.json'))).toBe(res.manifest_sha256);

    // Every part is in the manifest with its SHA-256, and in SHA256SUMS.
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
      files: Array<{ path: string; sha256: string }>;
      head: { seq: number };
      database_id: string;
    };
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      EXPECTED_FILES.filter((f) => f !== 'manifest.json' && f !== 'SHA256SUMS'),
    );
    for (const f of manifest.files) expect(sha(join(folder, f.path)), f.path).toBe(f.sha256);
    const sums = readFileSync(join(folder, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toContain(`${res.manifest_sha256}  manifest.json`);
    expect(manifest.database_id).toBe(app.core.need().ledger.getDatabaseId());

    // The key registrations carry this workstation's key and its fingerprint.
    const keys = JSON.parse(readFileSync(join(folder, 'keys.json'), 'utf8')) as {
      host_keys: Array<{ fingerprint: string; fingerprint_matches_public_key: boolean }>;
    };
    expect(keys.host_keys.map((k) => k.fingerprint)).toContain(app.core.key.fingerprint);
    expect(keys.host_keys.every((k) => k.fingerprint_matches_public_key)).toBe(true);
    expect(readFileSync(join(folder, 'keys.txt'), 'utf8')).toContain(app.core.key.fingerprint.slice(0, 4));
    expect(readFileSync(join(folder, 'verifier', 'LEDGER-FORMAT.md'), 'utf8')).toBe(
      readFileSync(join(__dirname, '..', '..', 'docs', 'ledger.md'), 'utf8'),
    );

    // The README explains every finding kind, in both languages.
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    for (const k of findingKinds) expect(readme, k).toContain(`\`${k}\``);
    expect(readme).toContain('## 中文');
    expect(readme).toContain('## English');
    expect(readme).toContain(head.hash);

    // Copied elsewhere, checked by Python alone.
    const copy = join(out.dir, 'handed-over');
    cpSync(folder, copy, { recursive: true });
    const { status, report } = await verifyFolder(copy);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(report).toMatchObject({
      ok: true,
      entries: head.seq,
      verified_through: head.seq,
      head: { seq: head.seq, hash: head.hash },
    });
    expect(report.manifest).toMatchObject({ ok: true, checked: manifest.files.length, mismatched: [] });
    expect((report['anchor'] as { seq: number }).seq).toBe(head.seq);
    const ours = JSON.parse(readFileSync(join(copy, 'lotseal-verify-report.json'), 'utf8')) as {
      ok: boolean;
      entries: number;
      checkpoints: number;
    };
    expect(ours).toMatchObject({ ok: true, entries: report.entries, checkpoints: report.checkpoints });
    // The copy still verifies with a witness of the head, and not with a wrong one.
    expect((await verifyFolder(copy, ['--witness', `${head.seq}:${head.hash.slice(0, 16)}`])).status).toBe(0);
    const wrong = await verifyFolder(copy, ['--witness', `${head.seq}:${'0'.repeat(16)}`]);
    expect(wrong.status).toBe(1);
    expect(wrong.report.findings.map((f) => [f.kind, f.seq])).toEqual([['witness_mismatch', head.seq]]);
  });

  it('refuses a folder that is not empty, writing nothing (exit 2)', () => {
    const folder = join(out.dir, 'busy');
    cpSync(__filename, join(folder, 'something.txt'), { recursive: true });
    const r = lotseal(['export', '--evidence', folder, '--db', app.core.dbFile, '--json'], {
      dataDir: app.core.dataDir,
    });
    expect(r.code).toBe(2);
    expect((r.json as { error: string }).error).toBe('conflict');
    expect(readdirSync(folder)).toEqual(['something.txt']);
  });

  it('a file changed after the export fails the manifest; a tampered snapshot is found', async () => {
    const folder = join(out.dir, 'evidence');
    expect(lotseal(['export', '--evidence', folder, '--db', app.core.dbFile], { dataDir: app.core.dataDir }).code).toBe(
      0,
    );
    writeFileSync(join(folder, 'keys.txt'), 'nothing to see\n');
    const changed = await verifyFolder(folder);
    expect(changed.report.ok).toBe(true);
    expect(changed.report.manifest).toMatchObject({ ok: false, mismatched: ['keys.txt'] });
    expect(changed.status).toBe(1);

    const db = new Database(join(folder, 'lotseal.db'));
    db.exec('DROP TRIGGER audit_entry_no_update');
    db.prepare("UPDATE user_account SET printed_name = 'Mallory' WHERE id = 'tech.wang'").run();
    db.close();
    const tampered = await verifyFolder(folder, ['--no-manifest']);
    expect(tampered.status).toBe(1);
    const kinds = tampered.report.findings.map((f) => [f.kind, f.entity, f.id]);
    expect(kinds).toContainEqual(['row_modified', 'user', 'tech.wang']);
    expect(kinds).toContainEqual(['triggers_missing', 'audit_entry', 'audit_entry_no_update']);
  });

  it('an inspector exports it from the app: a job in a worker with progress, the folder shown, the export recorded', async () => {
    expect(resolveEvidenceWorker(), 'the export runs in a worker thread').not.toBeNull();
    const inspector = await app.userWith(['inspector'], 'insp.zhao');
    expect((await app.call(inspector, 'evidence.export', { folder: 'relative/folder' })).ok).toBe(false);
    const missing = await app.call(inspector, 'evidence.export', { folder: join(out.dir, 'no-such-folder') });
    expect(missing.ok ? null : missing.error.code).toBe('not_found');

    const headBefore = app.core.need().ledger.head();
    const { jobId, folder } = await app.ok(inspector, 'evidence.export', { folder: out.dir });
    expect(folder.startsWith(out.dir)).toBe(true);
    const seen: JobProgress[] = [];
    const done = await waitJob(app, jobId, seen);
    expect(done.error).toBeNull();
    // Progress is throttled (a few events a second): which phases show depends on speed, not their names.
    const phases = [
      'start',
      'anchor',
      'snapshot',
      'keys',
      'verify:chain',
      'verify:rows',
      'verify:done',
      'verifier',
      'manifest',
      'done',
    ];
    expect(
      seen
        .filter((p) => !p.finished)
        .map((p) => p.phase)
        .every((ph) => phases.includes(ph)),
    ).toBe(true);
    expect(seen.every((p) => p.kind === 'export')).toBe(true);

    const result = await app.ok(inspector, 'exports.result', { jobId });
    expect(result).toMatchObject({
      kind: 'evidence',
      path: folder,
      headSeq: headBefore.seq,
      verification: { ok: true, findings: 0 },
    });
    expect(sha(join(folder, 'manifest.json'))).toBe(result!.sha256);
    // On its own database the workstation already has it: "download" answers where it is (D-104).
    const here = await app.ok(inspector, 'exports.download', { jobId });
    expect(here).toMatchObject({ path: folder, bytes: result!.bytes });
    expect(here.files).toBeGreaterThan(5);
    // Nothing was offered for a download (a local call): nothing staged, no transfer.
    expect(await app.ok(inspector, 'transfer.open', { jobId })).toBeNull();

    // The export is on record: who, which copy (the manifest's SHA-256), through which entry.
    const ledger = app.core.need().ledger;
    const rec = ledger.db
      .prepare(
        "SELECT a.actor, b.file, b.sha256, b.head_seq FROM backup_event b JOIN audit_entry a ON a.entity = 'backup_event' AND a.entity_id = b.id WHERE b.kind = 'evidence'",
      )
      .get() as { actor: string; file: string; sha256: string; head_seq: number };
    expect(rec).toEqual({
      actor: 'insp.zhao',
      file: folder.split(/[\\/]/).pop(),
      sha256: result!.sha256,
      head_seq: headBefore.seq,
    });

    const { status, report } = await verifyFolder(folder);
    expect(report.findings).toEqual([]);
    expect(status).toBe(0);
    expect(existsSync(join(folder, 'anchor.json'))).toBe(true);
  });
});
