/**
 * Running the standalone Python verifier (resources/verifier/) from the tests. Python 3 is a
 * requirement of the suite, like Chromium for the e2e tests: when it is missing the tests that
 * need it FAIL with a message saying how to install it, they never skip silently (CI is
 * Debian with python3; set LOTSEAL_PYTHON to use another interpreter).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const VERIFIER_DIR = resolve(__dirname, '..', '..', 'resources', 'verifier');
export const VERIFIER = join(VERIFIER_DIR, 'lotseal_verify.py');

let checked: string | null = null;

/** The Python 3 interpreter, or an Error that says what to install. */
export function python(): string {
  if (checked) return checked;
  const exe = process.env['LOTSEAL_PYTHON'] ?? 'python3';
  const r = spawnSync(
    exe,
    ['-c', 'import sys, sqlite3, hashlib; print(sys.version_info[0], sys.version_info[1]); print(sys.executable)'],
    { encoding: 'utf8' },
  );
  const [versionLine = '', executable = ''] = (r.stdout ?? '').trim().split('\n');
  const [major, minor] = versionLine.trim().split(' ').map(Number);
  if (r.error || r.status !== 0 || major !== 3 || (minor ?? 0) < 8) {
    throw new Error(
      `The standalone verifier's tests need Python 3.8 or later as \`${exe}\` (with its standard sqlite3 module), ` +
        `and it was not found${r.error ? ` (${r.error.message})` : r.stderr ? ` (${r.stderr.trim()})` : ''}. ` +
        'Install it (Debian/Ubuntu: apt-get install python3) or set LOTSEAL_PYTHON to an interpreter.',
    );
  }
  // Later calls start the interpreter `exe` resolved to, not `exe` again: where `python3` is a
  // version manager's shim (pyenv's is a bash script that runs several more), each call paid
  // ~0.25 CPU-s for the shim before Python started — ~45 CPU-s over the suite's ~200 calls.
  // The same interpreter either way; an interpreter that does not say where it is stays `exe`.
  const real = executable.trim();
  checked = isAbsolute(real) && existsSync(real) ? real : exe;
  return checked;
}

export interface PyResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs python with args (synchronously: for short calls). */
export function runPython(args: string[], opts: { input?: string; cwd?: string } = {}): PyResult {
  const r = spawnSync(python(), args, {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs python asynchronously (long runs must not block the test worker's event loop). */
export function runPythonAsync(args: string[], opts: { input?: string; cwd?: string } = {}): Promise<PyResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python(), args, {
      cwd: opts.cwd,
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

export interface PyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  verified_through: number;
  findings: Array<{ kind: string; seq: number | null; entity: string | null; id: string | null; detail: string }>;
  head: { seq: number; hash: string };
  [k: string]: unknown;
}

/** Runs the verifier with --json and returns its report and exit status. */
export async function runVerifier(
  args: string[],
  opts: { script?: string; cwd?: string } = {},
): Promise<{ status: number | null; report: PyReport; stderr: string }> {
  const r = await runPythonAsync([opts.script ?? VERIFIER, ...args, '--json'], opts.cwd ? { cwd: opts.cwd } : {});
  let report: PyReport;
  try {
    report = JSON.parse(r.stdout) as PyReport;
  } catch {
    throw new Error(`the verifier did not print JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, report, stderr: r.stderr };
}
