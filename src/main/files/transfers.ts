import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { fail } from '../../shared/contract/errors';
import type { TransferFile, TransferView } from '../../shared/contract/channels/transfer';
import { TRANSFER_CHUNK_MAX } from '../../shared/site/protocol';

/**
 * What a site server offers for download (issue 23, D-103): a file or a folder a job of a user
 * made (a verified backup copy, an evidence folder, an audit-trail CSV), with the size and
 * SHA-256 of every file computed when it is offered. Only the user the job ran for may open and
 * read it, and only while they still hold the permission that made it (checked by the caller
 * with the session's permissions). A read names a file of the offer exactly (no path is ever
 * joined from a request), so nothing else on the server can be read through it.
 *
 * Staged files (a backup copy made only to be downloaded) live in the registry's own folder,
 * are removed when the transfer is closed or expires, and the folder is emptied when the
 * registry starts (a server restarted mid-transfer leaves nothing behind). An offered export
 * folder stays where the export wrote it (the server's exports/), as on the desktop.
 */
export interface TransferOwner {
  userId: string;
  /** The permission that made it; re-checked on every open and read. */
  permission: string;
}

interface Transfer {
  id: string;
  jobId: string;
  owner: TransferOwner;
  /** The offered file or folder on this machine. */
  root: string;
  view: TransferView | null;
  /** Absolute paths by the offer's relative path. */
  paths: Map<string, string>;
  /** Removed when closed or expired (a staged copy); an export stays. */
  staged: string | null;
  touched: number;
}

/** How long an unread transfer is kept before it is dropped (its staged copy removed). */
export const TRANSFER_IDLE_MS = 60 * 60_000;

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export class TransferRegistry {
  private readonly byId = new Map<string, Transfer>();
  private readonly byJob = new Map<string, string>();

  constructor(
    /** The registry's own staging folder (e.g. `<data>/transfers`), emptied at start. */
    readonly stagingDir: string,
    private readonly clock: () => number = Date.now,
  ) {
    if (existsSync(stagingDir)) {
      for (const e of readdirSync(stagingDir)) rmSync(join(stagingDir, e), { recursive: true, force: true });
    }
  }

  /** A fresh folder inside the staging folder for one job's output. */
  stage(): string {
    const dir = join(this.stagingDir, randomUUID());
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Offers `path` (a file or a folder) made by job `jobId` to `owner`, once every file is hashed
   * (streamed): the job awaits it, so when its `job.progress` says finished, `open` answers.
   */
  async offer(
    jobId: string,
    owner: TransferOwner,
    kind: TransferView['kind'],
    path: string,
    meta: Record<string, unknown>,
    opts: { staged?: string | null; expectSha256?: string } = {},
  ): Promise<void> {
    this.sweep();
    const id = randomUUID();
    const t: Transfer = {
      id,
      jobId,
      owner,
      root: path,
      view: null,
      paths: new Map(),
      staged: opts.staged ?? null,
      touched: this.clock(),
    };
    const folder = statSync(path).isDirectory();
    const abs = folder ? listFiles(path) : [path];
    const rel = (p: string): string => (folder ? relative(path, p).split(sep).join('/') : basename(p));
    const files: TransferFile[] = [];
    for (const p of abs) {
      const r = rel(p);
      t.paths.set(r, p);
      files.push({ path: r, bytes: statSync(p).size, sha256: await sha256Of(p) });
    }
    // A single file made with its hash (a backup copy hashed after it verified): the bytes
    // offered are those bytes, or nothing is offered.
    if (opts.expectSha256 && files[0]?.sha256 !== opts.expectSha256)
      fail('conflict', { file: basename(path) }, 'errors.transfer_corrupt');
    t.view = {
      transferId: id,
      kind,
      shape: folder ? 'folder' : 'file',
      name: basename(path),
      files,
      bytes: files.reduce((n, f) => n + f.bytes, 0),
      meta,
    };
    this.byId.set(id, t);
    this.byJob.set(jobId, id);
  }

  private mine(t: Transfer | undefined, userId: string, may: (permission: string) => boolean): Transfer {
    // Another user's transfer is answered exactly like an unknown one.
    if (!t || t.owner.userId !== userId || !may(t.owner.permission))
      fail('not_found', { entity: 'transfer' }, 'errors.transfer_not_found');
    t.touched = this.clock();
    return t;
  }

  /** The offer of a finished job of this user; null while the job runs (or it offered nothing). */
  open(jobId: string, userId: string, may: (permission: string) => boolean): TransferView | null {
    this.sweep();
    const id = this.byJob.get(jobId);
    if (!id) return null;
    const t = this.mine(this.byId.get(id), userId, may);
    return t.view;
  }

  /** The output path of a job's offer (for the embedded host, where the file is already here). */
  pathOf(jobId: string, userId: string, may: (permission: string) => boolean): string | null {
    const id = this.byJob.get(jobId);
    if (!id) return null;
    const t = this.mine(this.byId.get(id), userId, may);
    return t.view ? t.root : null;
  }

  async read(
    transferId: string,
    path: string,
    offset: number,
    length: number,
    userId: string,
    may: (permission: string) => boolean,
  ): Promise<{ offset: number; bytes: number; base64: string; sha256: string; eof: boolean }> {
    const t = this.mine(this.byId.get(transferId), userId, may);
    const file = t.view ? t.paths.get(path) : undefined;
    const entry = t.view?.files.find((f) => f.path === path);
    if (!file || !entry) fail('not_found', { entity: 'transfer_file', path }, 'errors.transfer_not_found');
    if (offset > entry.bytes) fail('invalid_input', { field: 'offset' });
    const n = Math.min(length, TRANSFER_CHUNK_MAX, entry.bytes - offset);
    const buf = Buffer.alloc(n);
    const fh = await open(file, 'r');
    try {
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const data = buf.subarray(0, got);
      return {
        offset,
        bytes: got,
        base64: data.toString('base64'),
        sha256: createHash('sha256').update(data).digest('hex'),
        eof: offset + got >= entry.bytes,
      };
    } finally {
      await fh.close();
    }
  }

  close(transferId: string, userId: string, may: (permission: string) => boolean): void {
    const t = this.mine(this.byId.get(transferId), userId, may);
    this.drop(t);
  }

  private drop(t: Transfer): void {
    this.byId.delete(t.id);
    if (this.byJob.get(t.jobId) === t.id) this.byJob.delete(t.jobId);
    if (t.staged) rmSync(t.staged, { recursive: true, force: true });
  }

  /** Drops transfers nobody touched for TRANSFER_IDLE_MS (their staged copies removed). */
  sweep(): void {
    const now = this.clock();
    for (const t of [...this.byId.values()]) if (now - t.touched > TRANSFER_IDLE_MS && t.view) this.drop(t);
  }

  /** Every transfer dropped (the server stops). */
  closeAll(): void {
    for (const t of [...this.byId.values()]) this.drop(t);
  }
}
