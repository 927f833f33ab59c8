import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AppErrorException, appError } from '../../shared/contract/errors';
import type { VerifyReport } from '../../shared/contract/channels/ledger';
import { openSqlite } from '../db/database';
import { readAnchorFile, type Anchor } from '../ledger/anchor';
import { fileSha256 } from '../ledger/backup';
import { verifyFile } from '../ledger/verify-runner';
import { keyRegistrations, keysText } from './keys-report';
import { evidenceReadme } from './readme';
import { databaseIdOf, headEntry } from './queries';

/**
 * `lotseal export --evidence OUT` and the audit screen's evidence export (issue 18 §9): one
 * folder an inspector can check with Python alone —
 *
 *   README.md                   what is here and how to check it (zh-CN and en)
 *   lotseal.db                  consistent snapshot (SQLite online backup, journal_mode DELETE)
 *   anchor.json                 this host's anchor for the database, read before the snapshot
 *   keys.json, keys.txt         host and personal key registrations rebuilt from the audit trail
 *   lotseal-verify-report.json  LotSeal's own verification of the snapshot (with the anchor)
 *   verifier/                   the standalone verifier (lotseal_verify.py, ed25519.py,
 *                               lotseal_records.py) and LEDGER-FORMAT.md (docs/ledger.md)
 *   manifest.json, SHA256SUMS   SHA-256 of every part
 *
 * A database with findings is still exported (evidence of a problem is evidence); the
 * manifest and the result say what LotSeal's verification found. The output folder must not
 * exist or be empty; on any failure everything written is removed.
 */
export interface EvidenceOptions {
  dbFile: string;
  out: string;
  /** This host's anchor file for the database (anchors/<database id>.json), or null. */
  anchorFile: string | null;
  skewMs: number;
  exportedBy: string;
  workstation: string;
  appVersion: string;
  /** Verification worker threads for the snapshot (default 2; 0 = in-process). */
  workers?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
  /** Where the verifier and the format document are found (default: searched upwards). */
  verifierDir?: string;
  formatDoc?: string | null;
  now?: () => number;
}

export interface EvidenceResult {
  ok: true;
  out: string;
  database_id: string | null;
  head: { seq: number; hash: string };
  entries: number;
  files: number;
  bytes: number;
  manifest_sha256: string;
  anchor: { seq: number; hash: string } | null;
  verification: { ok: boolean; findings: number; kinds: string[] };
  elapsed_ms: number;
}

export const VERIFIER_FILES = ['lotseal_verify.py', 'ed25519.py', 'lotseal_records.py'] as const;

function findUp(start: string, rel: string[]): string | null {
  let dir = resolve(start);
  for (let i = 0; i < 10; i++) {
    for (const r of rel) {
      const f = join(dir, r);
      if (existsSync(f)) return f;
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** resources/verifier/: beside the app in a build, the repository's from source. */
export function findVerifierDir(start: string = __dirname): string | null {
  const f = findUp(start, [join('resources', 'verifier', 'lotseal_verify.py')]);
  return f ? dirname(f) : null;
}

/** docs/ledger.md (the repository's, or resources/docs/ledger.md in a package). */
export function findFormatDoc(start: string = __dirname): string | null {
  return findUp(start, [join('docs', 'ledger.md'), join('resources', 'docs', 'ledger.md')]);
}

/** Makes sure `out` is a new or empty folder; true when this call created it. */
function ensureEmptyFolder(out: string): boolean {
  if (existsSync(out)) {
    const st = statSync(out);
    if (!st.isDirectory() || readdirSync(out).length > 0) {
      throw new AppErrorException(appError('conflict', { folder: out }, 'errors.export_folder_not_empty'));
    }
    return false;
  }
  mkdirSync(out, { recursive: true });
  return true;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** SQLite online backup of a live database into one self-contained file. */
export async function snapshotDatabase(
  src: string,
  dest: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const db = openSqlite(src, { readonly: true });
  try {
    await db.backup(dest, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 256;
      },
    });
  } finally {
    db.close();
  }
  const out = openSqlite(dest, { mustExist: true });
  try {
    out.pragma('journal_mode = DELETE');
  } finally {
    out.close();
  }
  for (const f of [`${dest}-wal`, `${dest}-shm`]) rmSync(f, { force: true });
  fsyncFile(dest);
}

function writeText(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, 'utf8');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

export async function exportEvidence(opts: EvidenceOptions): Promise<EvidenceResult> {
  const t0 = performance.now();
  const now = opts.now ?? Date.now;
  const progress = opts.onProgress ?? (() => undefined);
  if (!existsSync(opts.dbFile)) throw new AppErrorException(appError('database_missing', { file: opts.dbFile }));
  const verifierDir = opts.verifierDir ?? findVerifierDir();
  if (!verifierDir || VERIFIER_FILES.some((f) => !existsSync(join(verifierDir, f)))) {
    throw new AppErrorException(appError('internal', { dir: verifierDir ?? '' }, 'errors.verifier_missing'));
  }
  const formatDoc = opts.formatDoc === undefined ? findFormatDoc() : opts.formatDoc;
  const out = resolve(opts.out);
  const created = ensureEmptyFolder(out);
  try {
    // 1. The anchor first: the snapshot then ends at or after it unless the database really
    //    was rolled back (the anchor trails the database by at most one commit, never leads).
    progress('anchor', 0, 1);
    let anchor: Anchor | null = null;
    if (opts.anchorFile && existsSync(opts.anchorFile)) {
      anchor = readAnchorFile(opts.anchorFile);
      if (!anchor)
        throw new AppErrorException(appError('invalid_input', { file: opts.anchorFile }, 'errors.anchor_unreadable'));
      copyFileSync(opts.anchorFile, join(out, 'anchor.json'));
    }

    // 2. The snapshot.
    const dbOut = join(out, 'lotseal.db');
    await snapshotDatabase(opts.dbFile, dbOut, (d, t) => progress('snapshot', d, t));

    // 3. Key registrations and the head, from the snapshot's audit trail.
    progress('keys', 0, 1);
    const snap = openSqlite(dbOut, { readonly: true });
    let keys: ReturnType<typeof keyRegistrations>;
    let head: { seq: number; hash: string };
    let databaseId: string | null = null;
    try {
      keys = keyRegistrations(snap);
      const h = headEntry(snap);
      head = h
        ? { seq: h.seq, hash: Buffer.isBuffer(h.hash) ? h.hash.toString('hex') : String(h.hash) }
        : { seq: 0, hash: '0'.repeat(64) };
      try {
        databaseId = databaseIdOf(snap);
      } catch {
        databaseId = null;
      }
    } finally {
      snap.close();
    }
    writeText(
      join(out, 'keys.json'),
      JSON.stringify({ database_id: databaseId, rebuilt_from: 'audit trail', ...keys }, null, 2) + '\n',
    );
    writeText(join(out, 'keys.txt'), keysText(keys) + '\n');

    // 4. LotSeal's own verification of the snapshot, with the anchor.
    const report: VerifyReport = await verifyFile(dbOut, {
      skewMs: opts.skewMs,
      anchor,
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      onProgress: (phase, d, t) => progress(`verify:${phase}`, d, t),
    });
    writeText(
      join(out, 'lotseal-verify-report.json'),
      JSON.stringify({ verified_with_anchor: anchor !== null, ...report }, null, 2) + '\n',
    );

    // 5. The standalone verifier and the format it implements.
    progress('verifier', 0, 1);
    mkdirSync(join(out, 'verifier'), { recursive: true });
    for (const f of VERIFIER_FILES) copyFileSync(join(verifierDir, f), join(out, 'verifier', f));
    if (formatDoc) copyFileSync(formatDoc, join(out, 'verifier', 'LEDGER-FORMAT.md'));

    // 6. The README.
    const exportedAt = new Date(now()).toISOString();
    writeText(
      join(out, 'README.md'),
      evidenceReadme({
        exportedAt,
        exportedBy: opts.exportedBy,
        workstation: opts.workstation,
        appVersion: opts.appVersion,
        databaseId,
        head,
        anchor: anchor ? { seq: anchor.seq, hash: anchor.hash } : null,
        hostKeys: keys.host_keys.map((k) => ({
          label: `${k.host_kind ?? '?'}@${k.host ?? '?'}`,
          fingerprint: k.fingerprint,
        })),
        personalKeys: keys.personal_keys.length,
        report: { ok: report.ok, findings: report.findings.length },
        formatDoc: formatDoc !== null,
      }),
    );

    // 7. The manifest: every part with its SHA-256 (SHA256SUMS also covers manifest.json).
    const parts = listFiles(out).sort();
    const files: Array<{ path: string; bytes: number; sha256: string }> = [];
    let i = 0;
    for (const f of parts) {
      progress('manifest', i++, parts.length);
      files.push({ path: relative(out, f).split(sep).join('/'), bytes: statSync(f).size, sha256: await fileSha256(f) });
    }
    const manifest = {
      format: 'lotseal-evidence-1',
      exported_at: exportedAt,
      exported_by: opts.exportedBy,
      workstation: opts.workstation,
      app_version: opts.appVersion,
      database_id: databaseId,
      head,
      anchor: anchor ? { seq: anchor.seq, hash: anchor.hash, at: anchor.at } : null,
      lotseal_verify: {
        ok: report.ok,
        entries: report.entries,
        checkpoints: report.checkpoints,
        verified_through: report.verified_through,
        findings: report.findings.length,
        kinds: [...new Set(report.findings.map((f) => f.kind))],
      },
      files,
    };
    const manifestFile = join(out, 'manifest.json');
    writeText(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
    const manifestSha = await fileSha256(manifestFile);
    const sums = [...files, { path: 'manifest.json', sha256: manifestSha, bytes: 0 }]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((f) => `${f.sha256}  ${f.path}`)
      .join('\n');
    writeText(join(out, 'SHA256SUMS'), sums + '\n');
    for (const f of [manifestFile, join(out, 'SHA256SUMS')]) fsyncFile(f);
    progress('done', 1, 1);
    return {
      ok: true,
      out,
      database_id: databaseId,
      head,
      entries: report.entries,
      files: files.length + 2,
      bytes:
        files.reduce((s, f) => s + f.bytes, 0) + statSync(manifestFile).size + statSync(join(out, 'SHA256SUMS')).size,
      manifest_sha256: manifestSha,
      anchor: anchor ? { seq: anchor.seq, hash: anchor.hash } : null,
      verification: { ok: report.ok, findings: report.findings.length, kinds: manifest.lotseal_verify.kinds },
      elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
    };
  } catch (e) {
    // The folder was new or empty before: leave nothing half-written behind.
    if (created) rmSync(out, { recursive: true, force: true });
    else for (const f of readdirSync(out)) rmSync(join(out, f), { recursive: true, force: true });
    throw e;
  }
}

/** Reads a file written by this module back (tests, the CLI's summary). */
export function readManifest(
  out: string,
): { files: Array<{ path: string; sha256: string; bytes: number }> } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
    files: Array<{ path: string; sha256: string; bytes: number }>;
  } & Record<string, unknown>;
}
