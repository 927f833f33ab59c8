import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { openSqlite, type Db, type OpenOptions } from '../db/database';

/**
 * The file operations backup and restore perform, behind one small interface so the rules
 * of the strictest platform they run on can be enforced in tests on any platform
 * (docs/decisions.md D-040). On Windows:
 *
 *  - FlushFileBuffers needs a handle opened for writing: `fsync` of a descriptor opened
 *    read-only fails with EPERM;
 *  - a file that another handle holds without FILE_SHARE_DELETE cannot be renamed, replaced
 *    or deleted (EBUSY / EPERM): SQLite opens its database, -wal and -shm files that way, so
 *    a database is moved only after every connection to it is closed;
 *  - a read-only file cannot be replaced by a rename;
 *  - paths compare case-insensitively;
 *  - a directory cannot be opened to fsync it (there is nothing to flush).
 *
 * tests/helpers/windows-fs.ts implements this interface with those rules on top of the real
 * file system, and the unit tests of backup and restore run against it.
 */
export type OpenFlags = 'r' | 'r+' | 'w' | 'wx';

export interface FileOps {
  readonly platform: NodeJS.Platform;
  exists(path: string): boolean;
  open(path: string, flags: OpenFlags): number;
  fsync(fd: number): void;
  close(fd: number): void;
  /** Replaces `to` if it exists. */
  rename(from: string, to: string): void;
  /** Deletes a file; nothing if it does not exist. */
  remove(path: string): void;
  copyFile(from: string, to: string): void;
  size(path: string): number;
  sha256(path: string): Promise<string>;
  /** Makes a rename durable (POSIX: fsync of the folder); nothing to do on Windows. */
  syncDir(dir: string): void;
  /** A SQLite connection; its files stay held until `close()`. */
  openSqlite(path: string, opts?: OpenOptions): Db;
}

export const nodeFileOps: FileOps = {
  platform: process.platform,
  exists: (p) => existsSync(p),
  open: (p, flags) => openSync(p, flags),
  fsync: (fd) => fsyncSync(fd),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  remove: (p) => rmSync(p, { force: true }),
  copyFile: (from, to) => copyFileSync(from, to),
  size: (p) => statSync(p).size,
  sha256: async (p) => {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
    return h.digest('hex');
  },
  syncDir: (dir) => {
    if (process.platform === 'win32') return;
    let fd: number | null = null;
    try {
      fd = openSync(dir, 'r');
      fsyncSync(fd);
    } catch {
      // Some file systems refuse a directory fsync (EINVAL); the rename stands.
    } finally {
      if (fd !== null) closeSync(fd);
    }
  },
  openSqlite: (p, opts) => openSqlite(p, opts),
};

/** Writes a file's data to disk: opened for writing, because Windows cannot flush a read-only handle. */
export function flushFile(ops: FileOps, path: string): void {
  const fd = ops.open(path, 'r+');
  try {
    ops.fsync(fd);
  } finally {
    ops.close(fd);
  }
}

/** A SQLite database and the files that belong to it while it is open or after a crash. */
export function databaseFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}
