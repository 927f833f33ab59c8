/**
 * The native binding reaches every worker by construction (issue 24 §1, D-038): a binding
 * path set on the main thread (the desktop app's Electron-ABI build) is what a worker started
 * through src/main/workers/spawn.ts loads, without the worker doing anything, and full
 * verification in workers runs on it.
 *
 * The "other" binding here is a copy of node_modules' build at another path: loading it is
 * proven by the path showing up in /proc/self/maps (Linux), which a worker that fell back to
 * the default build would not add. tests/integration/desktop-shell.test.ts goes further and
 * makes the default build unloadable in every thread of the built desktop main bundle.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBindingPath, setNativeBinding } from '../../src/main/db/database';
import { lastFallbackReason, verifyFile } from '../../src/main/ledger/verify-runner';
import { spawnWorker, resolveWorkerEntry, workerDataFor } from '../../src/main/workers/spawn';
import { createTestApp, tempDir } from '../helpers/core';

const require = createRequire(import.meta.url);
const defaultBinding = join(
  require.resolve('better-sqlite3/package.json'),
  '..',
  'build',
  'Release',
  'better_sqlite3.node',
);

let t: ReturnType<typeof tempDir>;
let alt: string;

beforeAll(() => {
  t = tempDir('lotseal-binding-');
  mkdirSync(join(t.dir, 'electron-abi'), { recursive: true });
  alt = join(t.dir, 'electron-abi', 'better_sqlite3.node');
  copyFileSync(defaultBinding, alt);
});

afterAll(() => {
  setNativeBinding(undefined);
  t.cleanup();
});

function probe(): Promise<{ binding: string | null; version: string; mapped: boolean }> {
  const w = spawnWorker({
    file: resolve('tests/fixtures/binding-probe-worker.ts'),
    mode: 'source',
    tsx: require.resolve('tsx/cjs/api'),
  });
  return new Promise((res, rej) => {
    w.once('message', (m) => {
      res(m as { binding: string | null; version: string; mapped: boolean });
      void w.terminate();
    });
    w.once('error', rej);
  });
}

describe('native binding in workers', () => {
  it('workerData carries the main thread binding (none by default)', () => {
    setNativeBinding(undefined);
    expect(workerDataFor({ a: 1 })).toEqual({ a: 1, lotsealNativeBinding: null });
    setNativeBinding(alt);
    expect(workerDataFor()).toEqual({ lotsealNativeBinding: alt });
    setNativeBinding(undefined);
  });

  it('a worker started through the spawn module opens SQLite with the main thread binding', async () => {
    setNativeBinding(alt);
    try {
      const r = await probe();
      expect(r.binding).toBe(alt);
      expect(r.version).toMatch(/^3\./);
      if (existsSync('/proc/self/maps')) {
        expect(r.mapped).toBe(true);
        expect(readFileSync('/proc/self/maps', 'utf8')).toContain(alt);
      }
    } finally {
      setNativeBinding(undefined);
    }
  });

  it('without a binding the worker uses the default build', async () => {
    setNativeBinding(undefined);
    const r = await probe();
    expect(r.binding).toBeNull();
    expect(nativeBindingPath()).toBeUndefined();
  });

  it('both worker entries resolve from source in a checkout', () => {
    expect(resolveWorkerEntry('verify-worker', resolve('src/main/ledger'))?.mode).toBe('source');
    expect(resolveWorkerEntry('import-worker', resolve('src/main/app'))?.mode).toBe('source');
    expect(resolveWorkerEntry('verify-worker', resolve('src/main/catalog'))).toBeNull();
  });

  it('full verification runs in workers on a non-default binding', async () => {
    const app = await createTestApp();
    try {
      setNativeBinding(alt);
      const report = await verifyFile(app.core.dbFile, { skewMs: 60_000, anchor: null });
      expect(lastFallbackReason).toBeNull();
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThan(0);
    } finally {
      setNativeBinding(undefined);
      app.close();
    }
  });
});
