import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppErrorException, appError, type Result } from '../../shared/contract/errors';
import type { TransferView } from '../../shared/contract/channels/transfer';
import { TRANSFER_CHUNK_DEFAULT, TRANSFER_CHUNK_MAX, isSafeTransferPath } from '../../shared/site/protocol';

/**
 * The client half of a download from the site server (D-103): every file of a transfer read in
 * bounded chunks (`transfer.read`), each chunk's SHA-256 checked as it arrives, each file's size
 * and SHA-256 checked against the offer, an evidence folder's manifest checked against its files,
 * all under a temporary name beside the destination (`<name>.part-<random>`). Only when every
 * check passed is it renamed to its final name (one rename, atomic on one file system); any
 * failure removes the temporary copy and throws: nothing is ever left under the final name that
 * was not checked. A process killed mid-transfer leaves at most a `.part-…` beside it.
 */
export type Call = (channel: string, input: unknown) => Promise<Result<unknown>>;

export interface DownloadOptions {
  /** Bytes per chunk (default 1 MiB, at most TRANSFER_CHUNK_MAX). */
  chunkBytes?: number;
  /** Called after every chunk written (progress; tests use it to interrupt a transfer). */
  onChunk?: (done: number, total: number) => void | Promise<void>;
}

export interface Downloaded {
  path: string;
  files: number;
  bytes: number;
}

function corrupt(detail: Record<string, unknown>): never {
  throw new AppErrorException(appError('conflict', detail, 'errors.transfer_corrupt'));
}

function need<T>(r: Result<unknown>): T {
  if (!r.ok) throw new AppErrorException(r.error);
  return r.data as T;
}

/** Whether `dest` may receive a download: absent, or (a folder) an empty folder. */
export function destinationFree(dest: string, shape: 'file' | 'folder'): boolean {
  if (!existsSync(dest)) return true;
  return shape === 'folder' && statSync(dest).isDirectory() && readdirSync(dest).length === 0;
}

/**
 * An evidence folder's manifest (manifest.json: `files: [{ path, sha256, bytes? }]`) names
 * files of the folder with their hashes: each must be there with that hash.
 */
function checkManifest(dir: string, view: TransferView): void {
  const m = view.files.find((f) => f.path === 'manifest.json');
  if (!m) corrupt({ file: 'manifest.json', reason: 'missing' });
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    corrupt({ file: 'manifest.json', reason: 'unreadable' });
  }
  const listed = (manifest as { files?: unknown }).files;
  if (!Array.isArray(listed) || listed.length === 0) corrupt({ file: 'manifest.json', reason: 'no files' });
  for (const e of listed as Array<{ path?: unknown; sha256?: unknown }>) {
    const path = typeof e.path === 'string' ? e.path : '';
    const got = view.files.find((f) => f.path === path);
    if (!got || got.sha256 !== e.sha256) corrupt({ file: path || '?', reason: 'manifest' });
  }
  // Nothing the manifest does not name (besides itself and SHA256SUMS, which covers it).
  const named = new Set((listed as Array<{ path?: unknown }>).map((e) => e.path));
  for (const f of view.files)
    if (f.path !== 'manifest.json' && f.path !== 'SHA256SUMS' && !named.has(f.path))
      corrupt({ file: f.path, reason: 'not in the manifest' });
  const expected = view.meta['manifest_sha256'];
  if (typeof expected === 'string' && expected !== m.sha256)
    corrupt({ file: 'manifest.json', reason: 'recorded hash' });
}

async function fetchFile(
  call: Call,
  view: TransferView,
  f: TransferView['files'][number],
  target: string,
  chunk: number,
  progress: { done: number; total: number; onChunk?: DownloadOptions['onChunk'] },
): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const fh = await open(target, 'wx');
  const whole = createHash('sha256');
  try {
    let offset = 0;
    while (offset < f.bytes || (offset === 0 && f.bytes === 0)) {
      const r = need<{ offset: number; bytes: number; base64: string; sha256: string; eof: boolean }>(
        await call('transfer.read', { transferId: view.transferId, path: f.path, offset, length: chunk }),
      );
      const data = Buffer.from(r.base64, 'base64');
      if (
        r.offset !== offset ||
        data.length !== r.bytes ||
        createHash('sha256').update(data).digest('hex') !== r.sha256 ||
        (data.length === 0 && !r.eof)
      )
        corrupt({ file: f.path, offset });
      await fh.write(data, 0, data.length, offset);
      whole.update(data);
      offset += data.length;
      progress.done += data.length;
      await progress.onChunk?.(progress.done, progress.total);
      if (r.eof) break;
    }
    if (offset !== f.bytes || whole.digest('hex') !== f.sha256) corrupt({ file: f.path, reason: 'sha256' });
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Downloads `view` to `dest` (a file path for a file, a folder path for a folder) through
 * `call`. `dest` must be free (absent, or an empty folder); its parent is made if needed.
 */
export async function downloadTransfer(
  call: Call,
  view: TransferView,
  dest: string,
  opts: DownloadOptions = {},
): Promise<Downloaded> {
  const chunk = Math.min(Math.max(1, opts.chunkBytes ?? TRANSFER_CHUNK_DEFAULT), TRANSFER_CHUNK_MAX);
  for (const f of view.files) if (!isSafeTransferPath(f.path)) corrupt({ file: f.path, reason: 'path' });
  if (view.shape === 'file' && view.files.length !== 1) corrupt({ reason: 'files' });
  if (!destinationFree(dest, view.shape))
    throw new AppErrorException(appError('database_exists', { file: dest }, 'errors.download_exists'));
  mkdirSync(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), `${basename(dest)}.part-${randomBytes(6).toString('hex')}`);
  const progress = { done: 0, total: view.bytes, ...(opts.onChunk ? { onChunk: opts.onChunk } : {}) };
  try {
    if (view.shape === 'file') {
      await fetchFile(call, view, view.files[0]!, temp, chunk, progress);
    } else {
      mkdirSync(temp);
      for (const f of view.files) await fetchFile(call, view, f, join(temp, ...f.path.split('/')), chunk, progress);
      if (view.kind === 'evidence') checkManifest(temp, view);
    }
    // Checked: the final name now (an empty destination folder gives way to the checked one).
    if (existsSync(dest)) rmdirSync(dest);
    renameSync(temp, dest);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
  return { path: dest, files: view.files.length, bytes: view.bytes };
}

/**
 * Waits for the transfer a finished job offers (`transfer.open` answers null until the job is
 * done), downloads it, and closes it on the server (a staged backup copy is removed there).
 * `finished` resolves when the job's `job.progress` says so (with its error, if it failed).
 */
export async function downloadJob(
  call: Call,
  jobId: string,
  finished: Promise<{ error: string | null }>,
  dest: string,
  opts: DownloadOptions = {},
): Promise<{ view: TransferView; got: Downloaded }> {
  let view = need<TransferView | null>(await call('transfer.open', { jobId }));
  if (!view) {
    const done = await finished;
    if (done.error) throw new AppErrorException(appError('internal', { message: done.error }));
    view = need<TransferView | null>(await call('transfer.open', { jobId }));
    if (!view) throw new AppErrorException(appError('not_found', { entity: 'transfer' }, 'errors.transfer_not_found'));
  }
  try {
    const got = await downloadTransfer(call, view, dest, opts);
    return { view, got };
  } finally {
    await call('transfer.close', { transferId: view.transferId });
  }
}
