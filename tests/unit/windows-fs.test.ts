/**
 * The Windows file rules the backup/restore double enforces (tests/helpers/windows-fs.ts,
 * D-040): each refusal Windows makes is made here too, so the unit tests of backup and
 * restore fail on Linux when the code does something Windows would refuse.
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushFile } from '../../src/main/files/file-ops';
import { tempDir } from '../helpers/core';
import { WindowsFileOps } from '../helpers/windows-fs';

let t: ReturnType<typeof tempDir>;
let ops: WindowsFileOps;
beforeEach(() => {
  t = tempDir('lotseal-winfs-');
  ops = new WindowsFileOps();
});
afterEach(() => t.cleanup());

function code(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code;
  }
  return undefined;
}

describe('Windows file rules (test double)', () => {
  it('fsync of a read-only descriptor is EPERM; through a writable one it works', () => {
    const f = join(t.dir, 'a.db');
    writeFileSync(f, 'x');
    const ro = ops.open(f, 'r');
    expect(code(() => ops.fsync(ro))).toBe('EPERM');
    ops.close(ro);
    expect(code(() => flushFile(ops, f))).toBeUndefined();
    expect(ops.openHandles()).toEqual([]);
  });

  it('an open file cannot be renamed or deleted; closed, it can', () => {
    const f = join(t.dir, 'a.db');
    writeFileSync(f, 'x');
    const fd = ops.open(f, 'r');
    expect(code(() => ops.rename(f, join(t.dir, 'b.db')))).toBe('EBUSY');
    expect(code(() => ops.remove(f))).toBe('EBUSY');
    ops.close(fd);
    ops.rename(f, join(t.dir, 'b.db'));
    expect(existsSync(join(t.dir, 'b.db'))).toBe(true);
  });

  it('a SQLite connection holds the database, -wal and -shm until closed', () => {
    const f = join(t.dir, 'lotseal.db');
    const db = ops.openSqlite(f, { mustExist: false });
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(code(() => ops.rename(f, `${f}.old`))).toBe('EBUSY');
    expect(code(() => ops.rename(`${f}-wal`, `${f}.old-wal`))).toBe('EBUSY');
    db.close();
    expect(code(() => ops.rename(f, `${f}.old`))).toBeUndefined();
  });

  it('paths compare without case', () => {
    const f = join(t.dir, 'LotSeal.db');
    writeFileSync(f, 'x');
    const release = ops.holdOpen(join(t.dir, 'lotseal.DB'));
    expect(code(() => ops.rename(f, join(t.dir, 'x.db')))).toBe('EBUSY');
    release();
    expect(code(() => ops.rename(f, join(t.dir, 'x.db')))).toBeUndefined();
  });

  it('a rename cannot replace an open or a read-only file', () => {
    const a = join(t.dir, 'a');
    const b = join(t.dir, 'b');
    writeFileSync(a, 'a');
    writeFileSync(b, 'b');
    const fd = ops.open(b, 'r');
    expect(code(() => ops.rename(a, b))).toBe('EBUSY');
    ops.close(fd);
    chmodSync(b, 0o444);
    expect(code(() => ops.rename(a, b))).toBe('EPERM');
  });

  it('a folder cannot be opened as a file; syncDir does nothing', () => {
    const d = join(t.dir, 'folder');
    mkdirSync(d);
    expect(code(() => ops.open(d, 'r'))).toBe('EISDIR');
    expect(code(() => ops.syncDir(d))).toBeUndefined();
  });
});
