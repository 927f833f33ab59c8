/**
 * `lotseal serve` and `lotseal …` as real processes, as a person or IT starts them: the part of
 * the site helpers (tests/helpers/site.ts) that loads none of the app's modules, so that the
 * e2e journeys that need a site server import only this (Playwright transforms and loads every
 * module a spec file imports, in its runner and in each worker that runs the file).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { HANG_CAP_MS } from './hang-cap';

const root = join(__dirname, '..', '..');

export interface ServeProcess {
  proc: ChildProcess;
  url: string;
  port: number;
  fingerprint: string;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * `lotseal serve` as a real process (bin/lotseal.cjs, as a user starts it); resolves when its
 * ready line is on stdout (no timer: the line is the event). Rejects if it exits first.
 */
export function startServe(opts: {
  dataDir: string;
  db: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<ServeProcess> {
  const proc = spawn(
    process.execPath,
    [
      join(root, 'bin', 'lotseal.cjs'),
      '--data-dir',
      opts.dataDir,
      '--db',
      opts.db,
      'serve',
      '--listen',
      `127.0.0.1:${opts.port ?? 0}`,
    ],
    {
      cwd: root,
      env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'cli-test-passphrase', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.once('line', (line) => {
      try {
        const j = JSON.parse(line) as { ok: boolean; url: string; fingerprint: string };
        const port = Number(new URL(j.url).port);
        resolve({ proc, url: j.url, port, fingerprint: j.fingerprint, exited, stderr: () => err });
      } catch (e) {
        reject(new Error(`serve printed ${line}: ${String(e)}\n${err}`));
      }
    });
    void exited.then((x) => reject(new Error(`serve exited (${x.code ?? x.signal}) before it was ready:\n${err}`)));
  });
}

/** `lotseal …` on a data folder (the published CLI, cheap test KDF); throws with its output when it fails. */
export function lotsealCli(args: string[], dataDir: string): void {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'lotseal.cjs'), '--data-dir', dataDir, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'cli-test-passphrase', LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' },
    timeout: HANG_CAP_MS,
  });
  if (r.status !== 0) throw new Error(`lotseal ${args.join(' ')}: ${r.status}\n${r.stdout}\n${r.stderr}`);
}

export interface SiteProcess {
  dir: string;
  db: string;
  /** The administrator's password file. */
  pw: string;
  server: ServeProcess;
}

/**
 * A site as IT sets one up (docs/site-server.md §6): its database with the first administrator,
 * the server's key enrolled, and `lotseal serve` on loopback (a real process).
 */
export async function startSiteProcess(admin: {
  userId: string;
  printedName: string;
  password: string;
}): Promise<SiteProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-e2e-site-'));
  const db = join(dir, 'lotseal.db');
  const pw = join(dir, 'admin.pw');
  writeFileSync(pw, `${admin.password}\n`);
  lotsealCli(
    ['--db', db, 'init', '--admin', admin.userId, '--admin-name', admin.printedName, '--password-file', pw],
    dir,
  );
  lotsealCli(['--db', db, 'host', 'enrol', '--kind', 'server', '--user', admin.userId, '--password-file', pw], dir);
  const server = await startServe({ dataDir: dir, db, env: { LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' } });
  return { dir, db, pw, server };
}

/** Stops `lotseal serve` (SIGTERM, its clean stop) and waits for it to end. */
export async function stopServe(s: ServeProcess): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  s.proc.kill('SIGTERM');
  await s.exited;
}
