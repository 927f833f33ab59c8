import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Db, OpenOptions } from '../../src/main/db/database';
import { nodeFileOps, type FileOps, type OpenFlags } from '../../src/main/files/file-ops';

/**
 * A FileOps that does the real work on the local (Linux) file system but refuses what
 * Windows refuses, so a regression in backup or restore fails on Linux CI too
 * (docs/decisions.md D-040):
 *
 *  - fsync of a descriptor opened read-only → EPERM (FlushFileBuffers needs GENERIC_WRITE);
 *  - rename or delete of a file any handle holds → EBUSY (SQLite opens its files without
 *    FILE_SHARE_DELETE; the double treats every handle so, which is stricter than Node's own
 *    opens and exactly right for SQLite's);
 *  - a rename onto an existing file that is open (EBUSY) or read-only (EPERM);
 *  - opening a folder → EISDIR (Windows has no directory fsync; `syncDir` does nothing);
 *  - paths compared case-insensitively (`C:\Data\LotSeal.db` is `c:\data\lotseal.db`).
 *
 * A SQLite connection opened through `openSqlite` holds its database file and, in WAL mode,
 * the -wal and -shm files until it is closed. `holdOpen` stands for a connection some other
 * part of the process keeps (the app's own database while a restore runs).
 */
export interface Handle {
  readonly path: string;
  readonly writable: boolean;
  readonly what: string;
}

export class WindowsFileOps implements FileOps {
  readonly platform = 'win32' as const;
  private readonly fds = new Map<number, Handle>();
  private readonly holds = new Map<symbol, Handle[]>();
  /** Every refusal, for assertions ("the old code would have failed here"). */
  readonly refusals: string[] = [];

  private static key(p: string): string {
    return resolve(p).toLowerCase();
  }

  private error(code: 'EPERM' | 'EBUSY' | 'EISDIR', syscall: string, path: string, why: string): NodeJS.ErrnoException {
    const e = new Error(`${code}: ${why}, ${syscall} '${path}'`) as NodeJS.ErrnoException;
    e.code = code;
    e.syscall = syscall;
    e.path = path;
    this.refusals.push(`${syscall} ${code}: ${why}`);
    return e;
  }

  /** Handles open on `p` (any case). */
  handlesOn(p: string): Handle[] {
    const k = WindowsFileOps.key(p);
    const all = [...this.fds.values(), ...[...this.holds.values()].flat()];
    return all.filter((h) => WindowsFileOps.key(h.path) === k);
  }

  openHandles(): Handle[] {
    return [...this.fds.values(), ...[...this.holds.values()].flat()];
  }

  private assertNotOpen(p: string, syscall: string): void {
    const held = this.handlesOn(p);
    if (held.length > 0) {
      throw this.error(
        'EBUSY',
        syscall,
        p,
        `the file is open (${held.map((h) => h.what).join(', ')}): Windows cannot move or delete it`,
      );
    }
  }

  exists(p: string): boolean {
    return existsSync(p);
  }

  open(p: string, flags: OpenFlags): number {
    if (existsSync(p) && statSync(p).isDirectory()) {
      throw this.error('EISDIR', 'open', p, 'a folder cannot be opened as a file on Windows');
    }
    if (flags !== 'r' && existsSync(p) && (statSync(p).mode & 0o200) === 0) {
      throw this.error('EPERM', 'open', p, 'the file is read-only');
    }
    const fd = openSync(p, flags);
    this.fds.set(fd, { path: p, writable: flags !== 'r', what: `fd ${fd} (${flags})` });
    return fd;
  }

  fsync(fd: number): void {
    const h = this.fds.get(fd);
    if (!h) throw new Error(`fsync of an unknown descriptor ${fd}`);
    if (!h.writable) {
      throw this.error('EPERM', 'fsync', h.path, 'FlushFileBuffers needs a handle opened for writing');
    }
    nodeFileOps.fsync(fd);
  }

  close(fd: number): void {
    this.fds.delete(fd);
    closeSync(fd);
  }

  rename(from: string, to: string): void {
    this.assertNotOpen(from, 'rename');
    if (existsSync(to)) {
      this.assertNotOpen(to, 'rename');
      if ((statSync(to).mode & 0o200) === 0) {
        throw this.error('EPERM', 'rename', to, 'the file it would replace is read-only');
      }
    }
    nodeFileOps.rename(from, to);
  }

  remove(p: string): void {
    if (!existsSync(p)) return;
    this.assertNotOpen(p, 'unlink');
    nodeFileOps.remove(p);
  }

  copyFile(from: string, to: string): void {
    if (existsSync(to)) this.assertNotOpen(to, 'copyfile');
    nodeFileOps.copyFile(from, to);
  }

  size(p: string): number {
    return nodeFileOps.size(p);
  }

  async sha256(p: string): Promise<string> {
    const sym = Symbol('read');
    this.holds.set(sym, [{ path: p, writable: false, what: 'read stream' }]);
    try {
      return await nodeFileOps.sha256(p);
    } finally {
      this.holds.delete(sym);
    }
  }

  syncDir(_dir: string): void {
    // Windows: nothing to flush for a folder (and it cannot be opened as a file).
  }

  openSqlite(p: string, opts?: OpenOptions): Db {
    const db = nodeFileOps.openSqlite(p, opts);
    const sym = Symbol('sqlite');
    const wal = !opts?.readonly || existsSync(`${p}-wal`);
    const files = wal ? [p, `${p}-wal`, `${p}-shm`] : [p];
    this.holds.set(
      sym,
      files.map((f) => ({
        path: f,
        writable: !opts?.readonly,
        what: `SQLite connection (${f.slice(p.length) || 'db'})`,
      })),
    );
    const close = db.close.bind(db);
    db.close = () => {
      this.holds.delete(sym);
      return close();
    };
    return db;
  }

  /** Another part of the process keeps this database open (e.g. the app); returns the release. */
  holdOpen(p: string, what = 'the app'): () => void {
    const sym = Symbol(what);
    this.holds.set(
      sym,
      [p, `${p}-wal`, `${p}-shm`].map((f) => ({ path: f, writable: true, what })),
    );
    return () => {
      this.holds.delete(sym);
    };
  }
}
