import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchForStalls } from '../../scripts/stall-guard.mjs';
import { runningFiles } from '../../scripts/vitest-running-files.mjs';

/**
 * The stall guard of `npm test` (scripts/stall-guard.mjs, D-126) on a real vitest run whose
 * worker stops: the test's own timeout cannot end it (the timer runs in the blocked thread), the
 * guard does, and vitest then ends the run as failed instead of waiting for ever. The guard's cap
 * here is one second instead of sixteen minutes; the worker is blocked before the guard starts
 * watching (the fixture says so in a file), so nothing depends on how fast the machine is.
 */
const root = join(__dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Resolves when `file` exists (a watch on its folder, then a look, so no event is missed). */
function whenExists(file: string, folder: string): Promise<void> {
  return new Promise((resolve) => {
    const w = watch(folder, () => {
      if (existsSync(file) && readFileSync(file, 'utf8') !== '') {
        w.close();
        resolve();
      }
    });
    if (existsSync(file) && readFileSync(file, 'utf8') !== '') {
      w.close();
      resolve();
    }
  });
}

describe.skipIf(process.platform !== 'linux')('stall guard (Linux: it reads /proc)', () => {
  it('ends a vitest worker whose main thread is blocked; the run fails, and the report says the thread waited on a futex', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotseal-stall-'));
    dirs.push(dir);
    const marker = join(dir, 'blocked.pid');
    const report = join(dir, 'report.json');
    const running = join(dir, 'running.txt');
    const run = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'tests/fixtures/stall/vitest.stall.config.mts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        '--reporter=./scripts/vitest-running-files.mjs',
      ],
      {
        cwd: root,
        env: { ...process.env, STALL_MARKER: marker, LOTSEAL_RUNNING_FILES: running },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    run.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    run.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));

    await whenExists(marker, dir);
    const blocked = Number(readFileSync(marker, 'utf8'));

    const stalls: string[] = [];
    let runningThen: string[] = [];
    const said = new Promise<void>((resolve) => {
      const stop = watchForStalls(run.pid!, {
        capMs: 1_000,
        pollMs: 100,
        stacks: false,
        onStall: (text) => {
          stalls.push(text);
          runningThen = runningFiles(running);
          stop();
          resolve();
        },
      });
    });
    await said;
    const code = await closed;

    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toContain(`vitest worker ${blocked} `);
    expect(stalls[0]).toContain('Ended with SIGKILL');
    // The worker's main thread (its thread id is its pid) was waiting on a futex (Atomics.wait).
    expect(stalls[0]).toMatch(new RegExp(`^ +${blocked} \\S+ \\S*futex`, 'm'));
    // The reporter named the file the worker was running when it was ended.
    expect(runningThen).toEqual(['tests/fixtures/stall/blocked.stall.ts']);
    // vitest ended the run (it did not wait for ever) and failed it. Its own report names no
    // file: the blocked test stays "pending" — which is why npm test asks the reporter above.
    expect(code, output).not.toBe(0);
    expect(output).toContain('Worker exited unexpectedly');
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      testResults: { assertionResults: { status: string }[] }[];
    };
    expect(json.numPassedTests).toBe(0);
    expect(json.testResults.flatMap((f) => f.assertionResults.map((t) => t.status))).toEqual(['pending']);
  });
});
