import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isVitestWorker, nativeStacks, watchForStalls } from '../../scripts/stall-guard.mjs';
import { runningFiles } from '../../scripts/vitest-running-files.mjs';
import { vitestStep } from '../../scripts/vitest-step.mjs';

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

/**
 * Whether gdb is installed and may attach to a process here (ptrace may be refused: Yama's
 * ptrace_scope, a container without CAP_SYS_PTRACE): tried on a Node process of our own.
 */
async function gdbCanAttach(): Promise<boolean> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  try {
    return /^Thread \d+ /m.test(nativeStacks(child.pid!) ?? '');
  } finally {
    child.kill('SIGKILL');
  }
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
        'tests/fixtures/stall/blocked.stall.ts',
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

  /**
   * A step of `npm test` (scripts/vitest-step.mjs, D-127) on the fixture config. Only the worker
   * that has said it is blocked (its pid in the marker file) is judged, so a healthy worker of
   * the same run is never ended whatever the machine's load; the lock-wait cap is one second.
   */
  const step = (dir: string, files: string[], stacks: boolean) => {
    const marker = join(dir, 'blocked.pid');
    const blocked = () => (existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : -1);
    return vitestStep({
      name: 'stall',
      step: 'stall',
      root,
      vitest: join(root, 'node_modules', '.bin', 'vitest'),
      projects: [],
      files,
      config: 'tests/fixtures/stall/vitest.stall.config.mts',
      env: { STALL_MARKER: marker, STALL_ONCE: join(dir, 'once') },
      reportDir: dir,
      held: [],
      guard: {
        lockCapMs: 1_000,
        pollMs: 100,
        stacks,
        isWorker: (cmdline, pid) => isVitestWorker(cmdline) && pid === blocked(),
      },
    });
  };

  it('npm test runs again what a stopped worker was running, counts the second run, and says what stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotseal-stall-'));
    dirs.push(dir);
    const { row, failures, stalls } = await step(
      dir,
      ['tests/fixtures/stall/once.stall.ts', 'tests/fixtures/stall/fine.stall.ts'],
      false,
    );
    // once.stall.ts stopped in the first run and passed in the second; fine.stall.ts passed in
    // the first: three tests passed, none counted twice, nothing failed.
    expect({ passed: row.passed, failed: row.failed, skipped: row.skipped }, stalls.join('\n')).toEqual({
      passed: 3,
      failed: 0,
      skipped: 0,
    });
    expect(failures).toEqual([]);
    expect(row.note).toBe('1 stopped worker(s) ended by the stall guard; 1 file(s) run again: passed');
    const said = stalls.join('\n');
    expect(said).toContain('the stall guard ended worker');
    // The file is named when vitest had reported it started before the worker blocked (the
    // reporter); else the report's "pending" test names it for the second run.
    expect(said).toMatch(
      /ended worker \d+ \(running (tests\/fixtures\/stall\/once\.stall\.ts|a file vitest had not reported yet)\)/,
    );
    expect(said).toMatch(/main thread ran nothing for \d+ s, waiting in futex/);
    expect(said).toContain('run again: tests/fixtures/stall/once.stall.ts: passed');
  });

  it("a worker that stops again in the second run fails the step; with gdb, the brief names the main thread's wait", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lotseal-stall-'));
    dirs.push(dir);
    const gdb = await gdbCanAttach();
    const { row, failures, stalls } = await step(dir, ['tests/fixtures/stall/blocked.stall.ts'], gdb);
    expect(row.failed).toBeGreaterThanOrEqual(1);
    expect(row.note).toBe('1 stopped worker(s) ended by the stall guard; 1 file(s) run again: stopped again');
    expect(failures.join('\n')).toMatch(
      /a worker stopped again in the second run and was ended by the stall guard \(files running: (tests\/fixtures\/stall\/blocked\.stall\.ts|none reported yet)\)/,
    );
    const said = stalls.join('\n');
    expect(said.match(/the stall guard ended worker/g)).toHaveLength(2);
    // gdb's backtrace of the main thread, shortened: V8's Atomics.wait, the test's own wait
    // (where gdb may attach; else the brief says there is none).
    if (gdb) expect(said).toMatch(/main thread: .*FutexEmulation::Wait/);
    else expect(said).toContain('main thread: no backtrace');
  });
});
