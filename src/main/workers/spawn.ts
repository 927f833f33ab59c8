import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { nativeBindingPath, WORKER_NATIVE_BINDING_KEY } from '../db/database';

/**
 * The one place the app starts a worker thread (docs/decisions.md D-038; lint forbids
 * `new Worker` anywhere else in src/).
 *
 * A worker is a fresh module graph: nothing the main thread configured reaches it unless it
 * is passed. The native binding of better-sqlite3 is the case that matters: the desktop app
 * loads a build made for Electron's ABI (setNativeBinding), and a worker that opened SQLite
 * with the default binding would load node_modules' Node build and fail ("NODE_MODULE_VERSION
 * mismatch" / "Could not locate the bindings file"). So every worker started here carries the
 * main thread's binding path in its workerData, and src/main/db/database.ts reads it when it
 * loads in a worker: whatever a future worker opens, it opens with the right binding, without
 * the worker's author having to know.
 *
 * Entries: a built sibling file (electron-vite writes `<name>.js` next to out/main/index.js,
 * scripts/build-node.mjs writes `<name>.cjs` next to out/node/cli.cjs; the calling code may sit
 * in a chunk one folder down), or, in a source checkout (tests, tsx), the TypeScript source
 * loaded through tsx's CommonJS hook.
 */
export type WorkerName = 'verify-worker' | 'import-worker' | 'evidence-worker';

/** How this process can start a worker: a built file, or TypeScript source under tsx. */
export interface WorkerEntry {
  readonly file: string;
  readonly mode: 'built' | 'source';
  /** Source mode: absolute path of tsx's CommonJS register API. */
  readonly tsx?: string;
}

/**
 * Finds a worker's entry. `here` is the calling module's __dirname: out/main (or a chunk
 * folder below it) in a build, the source folder of the worker in a checkout.
 */
export function resolveWorkerEntry(name: WorkerName, here: string): WorkerEntry | null {
  for (const dir of [here, join(here, '..')]) {
    for (const ext of ['.js', '.cjs']) {
      const f = join(dir, `${name}${ext}`);
      if (existsSync(f)) return { file: f, mode: 'built' };
    }
  }
  const ts = join(here, `${name}.ts`);
  if (!existsSync(ts)) return null;
  try {
    return { file: ts, mode: 'source', tsx: createRequire(ts).resolve('tsx/cjs/api') };
  } catch {
    return null;
  }
}

export interface SpawnOptions {
  /** Extra data for the worker (merged with the native binding record). */
  readonly workerData?: Record<string, unknown>;
  readonly resourceLimits?: WorkerOptions['resourceLimits'];
}

/** The workerData every LotSeal worker receives, whatever the caller adds. */
export function workerDataFor(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, [WORKER_NATIVE_BINDING_KEY]: nativeBindingPath() ?? null };
}

/**
 * Starts a worker on `entry`. The native binding path travels in workerData (read by
 * database.ts in the worker). In source mode a one-line bootstrap registers tsx's CommonJS
 * hook in the worker itself: `execArgv: ['--import', 'tsx']` does not reach a worker's entry
 * on Node 20 ("Unknown file extension .ts").
 */
export function spawnWorker(entry: WorkerEntry, opts: SpawnOptions = {}): Worker {
  const options: WorkerOptions = {
    workerData: workerDataFor(opts.workerData),
    ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
  };
  if (entry.mode === 'built') return new Worker(entry.file, options);
  const built = currentBuild(entry.file);
  if (built) return new Worker(built, options);
  if (!entry.tsx) throw new Error(`worker ${entry.file}: no TypeScript loader`);
  return new Worker(`require(${JSON.stringify(entry.tsx)}).register(); require(${JSON.stringify(entry.file)});`, {
    ...options,
    eval: true,
  });
}

/** Newest modification time of the TypeScript sources under `dirs` (as bin/run-entry.cjs). */
function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(ts|mts|cts|json)$/.test(e.name)) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

/**
 * In a source checkout (tests, tsx) whose Node build is current, a LotSeal worker runs its
 * built bundle, out/node/<name>.cjs, instead of loading its TypeScript through tsx: the rule
 * bin/run-entry.cjs applies to the CLI (D-013: the build when it is newer than every source
 * under src/main and src/shared, else the sources; LOTSEAL_FROM_SOURCE=1 forces the
 * sources). A worker under tsx compiled its module graph at every start, about 1 s of CPU
 * per ledger verification, import or evidence export in the integration suite (D-071).
 */
function currentBuild(sourceFile: string): string | null {
  if (process.env['LOTSEAL_FROM_SOURCE'] === '1') return null;
  const srcMain = dirname(dirname(sourceFile));
  if (basename(srcMain) !== 'main' || basename(dirname(srcMain)) !== 'src') return null;
  const root = dirname(dirname(srcMain));
  const built = join(root, 'out', 'node', `${basename(sourceFile).replace(/\.ts$/, '')}.cjs`);
  if (!existsSync(built)) return null;
  const sources = [join(root, 'src', 'main'), join(root, 'src', 'shared')];
  return statSync(built).mtimeMs >= newestSource(sources) ? built : null;
}
