import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { AppErrorException, appError } from '../../shared/contract/errors';
import type { Actor, Ledger } from '../ledger/ledger';
import { L } from '../lots';
import { applyStaged } from './apply';
import { runCrossChecks, type CheckContext } from './checks';
import { ErrorSink } from './errors';
import {
  fileKinds,
  specs,
  validateRow,
  type FileKind,
  type ImportError,
  type ImportFiles,
  type RawRow,
} from './formats';
import { Staging } from './staging';
import { Utf8Checker } from './utf8-check';
import type { ImportRules } from './import-service';

export type { FileKind, ImportError, ImportFiles } from './formats';

export type ProgressFn = (phase: string, done: number, total: number) => void;

export interface ImportOptions {
  /** Changed rows (same key, different content) become corrections with this reason. */
  correctionReason?: string;
  onProgress?: ProgressFn;
  /** Folder for the temporary staging database (deleted when the import ends). */
  stagingDir: string;
  /** Validate and count only; nothing is written (the app's preview). */
  dryRun?: boolean;
  /**
   * What QA decides that the import must respect (go-live date, stored lots' use rule),
   * read again when the checks run again under the write lock. Required: the composition
   * root's ImportService gives it (src/main/import/import-service.ts).
   */
  rules: () => ImportRules;
}

export type Counts = Partial<Record<FileKind, number>>;

/**
 * The contract's JSON (../shared/formats/README.md §2, `lotseal import --json`):
 * { ok, inserted, unchanged, errors } plus optional fields.
 */
export interface ImportReport {
  ok: boolean;
  inserted: Counts;
  unchanged: Counts;
  errors: ImportError[];
  /** Optional: rows written as corrections (with the reason). */
  corrected: Counts;
  /** Optional: rows that repeat an earlier row of the same file exactly (written once). */
  duplicates: Counts;
  /** Optional: what the import adds when it is applied (the preview; also on failure). */
  planned: { inserted: Counts; unchanged: Counts; corrected: Counts };
  /** Optional: the number of errors, also those not listed. */
  error_count: number;
  /** Optional: the import_run record (when written). */
  import_run: string | null;
  files: Partial<Record<FileKind, { name: string; sha256: string; rows: number; bytes: number }>>;
  elapsed_ms: number;
}

/** Rows with errors that are still staged (their key), so rows referring to them are not reported twice. */
const STAGE_BAD: readonly FileKind[] = ['suppliers', 'customers', 'lots'];

class NotUtf8 extends Error {
  constructor(readonly at: { offset: number; line: number }) {
    super('not utf-8');
  }
}

interface FileResult {
  name: string;
  sha256: string;
  rows: number;
  bytes: number;
  present: Set<string>;
  /** The file itself or its header is wrong (its rows were not all read). */
  fileError: boolean;
}

function checkReadable(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    return st.size;
  } catch (e) {
    throw new AppErrorException(
      appError(
        'invalid_input',
        { file: path, what: 'import file', reason: e instanceof Error ? e.message : String(e) },
        'errors.file_unreadable',
      ),
    );
  }
}

/** Streams one file: UTF-8 check, SHA-256, CSV parse, header check, row validation, staging. */
async function readFile(
  kind: FileKind,
  path: string,
  size: number,
  staging: Staging,
  errors: ErrorSink,
  progress: ProgressFn,
): Promise<FileResult & { dups: number }> {
  const spec = specs[kind];
  const name = basename(path);
  const checker = new Utf8Checker();
  const hash = createHash('sha256');
  let bytes = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      if (!checker.push(chunk)) cb(new NotUtf8(checker.invalid!));
      else cb(null, chunk);
    },
    flush(cb) {
      if (!checker.end()) cb(new NotUtf8(checker.invalid!));
      else cb();
    },
  });
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  const src = createReadStream(path, { highWaterMark: 1 << 20 });
  pipeline(src, check, parser, () => undefined);

  const allowed = [...spec.required, ...spec.optional];
  let header: string[] | null = null;
  let row = 0;
  let dups = 0;
  let fileError = false;
  const present = new Set<string>();
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (header === null) {
        header = rec;
        const seen = new Set<string>();
        for (const c of rec) {
          if (seen.has(c)) errors.add(name, 0, c, 'duplicate_column', { column: c });
          else if (!allowed.includes(c))
            errors.add(name, 0, c, 'unknown_column', { column: c, allowed: allowed.join(', ') });
          seen.add(c);
        }
        for (const c of spec.required) if (!seen.has(c)) errors.add(name, 0, c, 'missing_column', { column: c });
        if (
          errors.total > 0 &&
          (rec.length !== seen.size || spec.required.some((c) => !seen.has(c)) || rec.some((c) => !allowed.includes(c)))
        ) {
          fileError = true;
          break;
        }
        for (const c of spec.optional) if (seen.has(c)) present.add(c);
        continue;
      }
      row++;
      if (rec.length !== header.length) {
        errors.add(name, row, null, 'field_count', { found: rec.length, expected: header.length });
        continue;
      }
      const raw: RawRow = {};
      for (let i = 0; i < header.length; i++) raw[header[i]!] = rec[i];
      const { staged, problems } = validateRow(kind, raw);
      for (const p of problems) errors.add(name, row, p.column, p.code, p.details);
      const bad = problems.length > 0;
      if (bad && (!STAGE_BAD.includes(kind) || spec.key.some((c) => staged.values[c] === null))) continue;
      const conflict = staging.stage(kind, row, bad, staged);
      if (conflict) {
        if (conflict.same) dups++;
        else {
          errors.add(name, row, spec.key[0]!, 'duplicate_key', {
            key: spec.key.map((c) => staged.values[c]).join(', '),
            other: conflict.row,
            otherFile: name,
          });
        }
      }
      if (row % 10_000 === 0) progress(`read:${kind}`, bytes, size);
    }
    if (header === null && !fileError) {
      errors.add(name, 0, null, 'empty_file');
      fileError = true;
    }
  } catch (e) {
    fileError = true;
    if (e instanceof NotUtf8) errors.add(name, 0, null, 'not_utf8', { offset: e.at.offset, line: e.at.line });
    else if (e instanceof CsvError) errors.add(name, row + 1, null, 'bad_csv', { reason: e.message });
    else throw e;
  } finally {
    src.destroy();
  }
  progress(`read:${kind}`, size, size);
  return { name, sha256: hash.digest('hex'), rows: row, bytes, present, fileError, dups };
}

const zero = (kinds: FileKind[]): Counts => Object.fromEntries(kinds.map((k) => [k, 0]));

/**
 * The ERP import (docs/import.md): every file streamed and validated row by row into a
 * staging database on disk, the cross-row checks in SQL against what is stored, then — only
 * when nothing at all is wrong — one Ledger.write transaction with every new or corrected
 * record (origin 'import') and the import_run record. All or nothing.
 */
/**
 * A bounded page cache for the import's connection while it runs (SQLite's default is 2 MB):
 * the apply inserts millions of index entries, and without it every B-tree page is read
 * from disk again. 256 MiB keeps memory bounded; the previous size is restored.
 */
const IMPORT_CACHE_KIB = 256 * 1024;

export async function importFiles(
  ledger: Ledger,
  actor: Actor,
  files: ImportFiles,
  opts: ImportOptions,
): Promise<ImportReport> {
  const previousCache = ledger.db.pragma('cache_size', { simple: true }) as number;
  ledger.db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    return await importFilesWithCache(ledger, actor, files, opts);
  } finally {
    ledger.db.pragma(`cache_size = ${previousCache}`);
  }
}

async function importFilesWithCache(
  ledger: Ledger,
  actor: Actor,
  files: ImportFiles,
  opts: ImportOptions,
): Promise<ImportReport> {
  const t0 = performance.now();
  const startedAt = ledger.now();
  const progress: ProgressFn = opts.onProgress ?? (() => undefined);
  const kinds = fileKinds.filter((k) => files[k] !== undefined);
  if (kinds.length === 0)
    throw new AppErrorException(appError('invalid_input', { field: 'files', reason: 'no file given' }));
  const reason = opts.correctionReason?.trim() ? opts.correctionReason.trim() : null;
  const sizes = Object.fromEntries(kinds.map((k) => [k, checkReadable(files[k]!)])) as Record<FileKind, number>;

  const errors = new ErrorSink();
  const staging = new Staging(opts.stagingDir);
  const report: ImportReport = {
    ok: false,
    inserted: zero(kinds),
    unchanged: zero(kinds),
    errors: [],
    corrected: zero(kinds),
    duplicates: zero(kinds),
    planned: { inserted: zero(kinds), unchanged: zero(kinds), corrected: zero(kinds) },
    error_count: 0,
    import_run: null,
    files: {},
    elapsed_ms: 0,
  };
  try {
    const present: CheckContext['present'] = {};
    const names: CheckContext['names'] = {};
    let fileErrors = false;
    for (const kind of kinds) {
      const r = await readFile(kind, files[kind]!, sizes[kind], staging, errors, progress);
      names[kind] = r.name;
      present[kind] = r.present;
      report.files[kind] = { name: r.name, sha256: r.sha256, rows: r.rows, bytes: r.bytes };
      report.duplicates[kind] = r.dups;
      fileErrors ||= r.fileError;
    }
    staging.finishStaging();

    const ctx: CheckContext = { staging, errors, names, present, correctionReason: reason, rules: opts.rules() };
    if (!fileErrors) {
      // A file that could not be read as a whole would only add misleading errors here.
      progress('check', 0, 1);
      staging.attachMain(ledger.db.name);
      const headSeq = ledger.head().seq;
      runCrossChecks(ctx);
      progress('check', 1, 1);
      countPlanned(staging, kinds, report);
      const planned = kinds.reduce(
        (n, k) => n + (report.planned.inserted[k] ?? 0) + (report.planned.corrected[k] ?? 0),
        0,
      );
      if (errors.total === 0 && !opts.dryRun && planned > 0) {
        const total = kinds.reduce(
          (n, k) => n + (report.planned.inserted[k] ?? 0) + (report.planned.corrected[k] ?? 0),
          0,
        );
        const runId = randomUUID();
        const cache = ledger.db.pragma('cache_size', { simple: true }) as number;
        // The apply touches a few indexes per row; a larger page cache for this connection
        // keeps them in memory (a fixed bound, returned afterwards).
        ledger.db.pragma('cache_size = -131072');
        try {
          const counts = ledger.write(actor, (w) => {
            if (ledger.head().seq !== headSeq) {
              // Another writer committed between the checks and this transaction: check
              // again under the write lock, so what is written is what was checked.
              const again = new ErrorSink();
              ctx.rules = opts.rules();
              runCrossChecks({ ...ctx, errors: again });
              if (again.total > 0) throw new RecheckFailed(again);
              countPlanned(staging, kinds, report);
            }
            progress('apply', 0, total);
            const c = applyStaged(w, staging, kinds, present, reason, (d) => progress('apply', d, total), ctx.rules);
            w.create(
              L.importRun,
              {
                files: JSON.stringify(report.files),
                inserted: JSON.stringify(c.inserted),
                unchanged: JSON.stringify(report.planned.unchanged),
                corrected: JSON.stringify(c.corrected),
                correction_reason: reason,
                started_at: startedAt,
                finished_at: ledger.now(),
              },
              { id: runId, ...(reason ? { reason } : {}) },
            );
            return c;
          });
          report.inserted = { ...report.inserted, ...counts.inserted };
          report.corrected = { ...report.corrected, ...counts.corrected };
          report.unchanged = { ...report.planned.unchanged };
          report.import_run = runId;
          report.ok = true;
        } catch (e) {
          if (!(e instanceof RecheckFailed)) throw e;
          for (const x of e.sink.list) errors.add(x.file, x.row, x.column, x.code, x.details);
          errors.total += e.sink.total - e.sink.list.length;
        } finally {
          ledger.db.pragma(`cache_size = ${cache}`);
        }
      } else if (errors.total === 0) {
        // A dry run, or nothing new or changed (a re-import): valid, nothing written, not
        // even an import_run record, so a re-import leaves the audit trail as it was.
        report.ok = true;
        report.unchanged = { ...report.planned.unchanged };
      }
    }
  } finally {
    staging.close();
  }
  report.errors = errors.result();
  report.error_count = errors.total;
  if (errors.total > 0) report.ok = false;
  report.elapsed_ms = Math.round(performance.now() - t0);
  return report;
}

class RecheckFailed extends Error {
  constructor(readonly sink: ErrorSink) {
    super('import: the checks failed again under the write lock');
  }
}

function countPlanned(staging: Staging, kinds: FileKind[], report: ImportReport): void {
  for (const k of kinds) {
    const by = staging.plannedCounts(k);
    report.planned.inserted[k] = by.get(0) ?? 0;
    report.planned.unchanged[k] = by.get(1) ?? 0;
    report.planned.corrected[k] = by.get(2) ?? 0;
  }
}
