import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HANG_CAP_MS } from './hang-cap';

const root = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

/** Runs `lotseal` as a user would (bin/lotseal.cjs), with no stdin, in its own data folder. */
export function lotseal(
  args: string[],
  env: { dataDir: string; passphrase?: string | null; stdin?: string },
): CliResult {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'lotseal.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    input: env.stdin ?? '',
    env: {
      ...process.env,
      LOTSEAL_DATA_DIR: env.dataDir,
      ...(env.passphrase === null
        ? { LOTSEAL_KEY_PASSPHRASE: '' }
        : { LOTSEAL_KEY_PASSPHRASE: env.passphrase ?? 'cli-test-passphrase' }),
    },
    timeout: HANG_CAP_MS,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

/** Like `lotseal`, without blocking the test's event loop (when the test itself plays an instrument). */
export function lotsealAsync(args: string[], env: { dataDir: string }): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'lotseal.cjs'), ...args], {
      cwd: root,
      env: { ...process.env, LOTSEAL_DATA_DIR: env.dataDir, LOTSEAL_KEY_PASSPHRASE: 'cli-test-passphrase' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_CAP_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: unknown = null;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = null;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
