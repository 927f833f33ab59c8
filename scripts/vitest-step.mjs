/**
 * One vitest step of `npm test` (scripts/test-all.mjs): a run of some projects, watched by the
 * stall guard (scripts/stall-guard.mjs, D-126), and counted from vitest's JSON report.
 *
 * When the guard ended a stopped worker, the files that worker had not finished — named by
 * scripts/vitest-running-files.mjs, with tests left "pending" (never run) in vitest's report —
 * run once more in a fresh vitest, and their tests count from that second run (D-127). A stop is
 * a native deadlock below the tests (a main thread blocked in a lock wait, where no test's timer
 * can run), so the first run did not finish those files; the second does. Nothing the first run
 * found is dropped: a test that failed there counts as failed whatever the second run says, and
 * an error of the first run other than the ended worker's fails the step. The stop is never
 * hidden: the step's row says it, its brief (the main thread's backtrace, the other threads'
 * waits) goes to the end of `npm test`'s output, and the full report with every thread's
 * backtrace is in the step's output and in test-results/reports. A worker that stops again in
 * the second run fails the step.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { watchForStalls } from './stall-guard.mjs';
import { runningFiles, unhandledErrors } from './vitest-running-files.mjs';

/**
 * Runs a command. Its output streams to this process's, or, with `held`, is collected there
 * (stdout and stderr in the order they came) for the caller to print as one block.
 * `watch`, if given, is called with the started child and returns what ends the watch.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string; env?: Record<string, string>; held?: Buffer[] | null; watch?: ((child: import('node:child_process').ChildProcess) => () => void) | null }} o
 * @returns {Promise<number>}
 */
export function runCommand(cmd, args, { cwd, env = {}, held = null, watch = null }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: held ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    });
    if (held) {
      child.stdout?.on('data', (d) => held.push(d));
      child.stderr?.on('data', (d) => held.push(d));
    }
    const unwatch = watch && child.pid !== undefined ? watch(child) : null;
    child.on('error', (error) => {
      const line = `test-all: could not start ${cmd}: ${error.message}\n`;
      if (held) held.push(Buffer.from(line));
      else process.stderr.write(line);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      unwatch?.();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** A JSON file's content, or null when it is missing or not JSON. */
export function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The first line of a message, without colours, at most 200 characters. */
export const firstLine = (text) =>
  String(text ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
    ?.slice(0, 200) ?? '';

/**
 * The counts of a vitest JSON report's files, and the failures by name. A file that throws on
 * import has no failed test, only a failed suite: it counts as one failure. `pending` tests
 * never ran (vitest's word for a test a run did not reach); skipped and todo tests are skipped.
 * @param {{ name?: string; status?: string; message?: string; assertionResults?: { status: string; fullName?: string; title?: string; failureMessages?: string[] }[] }[]} files
 * @param {string} root
 * @param {string} step
 */
export function countFiles(files, root, step) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let pending = 0;
  const failures = [];
  for (const file of files) {
    const rel = path.relative(root, file.name ?? '');
    const tests = file.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') {
        failed++;
        failures.push(`${step}: ${rel} > ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
      } else if (t.status === 'pending') pending++;
      else skipped++;
    }
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed++;
      failures.push(`${step}: ${rel}: ${firstLine(file.message)}`);
    }
  }
  return { passed, failed, skipped, pending, failures };
}

/**
 * The files a second run takes, after a stop: those with a test the first run never reached
 * ("pending"), and those the reporter saw running in an ended worker that the first report does
 * not have at all. A file that ended in the first run — in a healthy worker, or with every test
 * passed, failed or skipped — is not run again. Paths relative to `root`.
 */
export function filesToRunAgain(stalledFiles, files, root) {
  const again = new Set();
  const reported = new Set();
  for (const file of files) {
    const rel = path.relative(root, file.name ?? '');
    reported.add(rel);
    if ((file.assertionResults ?? []).some((t) => t.status === 'pending')) again.add(rel);
  }
  for (const f of stalledFiles) if (!reported.has(f)) again.add(f);
  return [...again].filter((f) => f.length > 0).sort();
}

/**
 * A run again file's results: the second run's, with every test that failed in the first run
 * still failed (a second run can add a failure, never take one away).
 */
export function mergeRunAgain(first, second) {
  if (!first) return second;
  const failedFirst = (first.assertionResults ?? []).filter((t) => t.status === 'failed');
  if (failedFirst.length === 0) return second;
  const key = (t) => t.fullName ?? t.title ?? '';
  const byName = new Map((second.assertionResults ?? []).map((t) => [key(t), t]));
  for (const t of failedFirst) byName.set(key(t), t);
  return { ...second, status: 'failed', assertionResults: [...byName.values()] };
}

/** The error vitest reports for a worker that ended under it (the guard's SIGKILL). */
const isEndedWorker = (message) => /Worker exited unexpectedly|Worker forks emitted error/.test(message);

/**
 * Runs vitest on `projects` (and `files`, filters, when given) once, watched by the guard.
 * @returns {Promise<{ code: number; report: any; errors: string[] | null; stalls: { files: string[]; brief: string[]; pid: number }[] }>}
 */
async function vitestOnce(o, files, suffix, lines, say) {
  const out = path.join(o.reportDir, `vitest-${o.name}${suffix}.json`);
  const running = path.join(o.reportDir, `vitest-${o.name}${suffix}.running`);
  for (const f of [out, running, `${running}.errors`]) rmSync(f, { force: true });
  /** @type {{ files: string[]; brief: string[]; pid: number }[]} */
  const stalls = [];
  const code = await runCommand(
    o.vitest,
    [
      'run',
      ...o.projects.flatMap((p) => ['--project', p]),
      ...(o.config ? ['--config', o.config] : []),
      // A second run must find what it was given: no "no tests" pass there.
      ...(files.length && suffix ? [] : ['--passWithNoTests']),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
      `--reporter=${path.join(o.root, 'scripts', 'vitest-running-files.mjs')}`,
      ...files,
    ],
    {
      cwd: o.root,
      env: { ...o.env, LOTSEAL_RUNNING_FILES: running },
      held: lines,
      watch: (child) =>
        watchForStalls(/** @type {number} */ (child.pid), {
          ...o.guard,
          onStall: (text, brief, pid) => {
            const named = runningFiles(running);
            stalls.push({ files: named, brief, pid });
            const full = `${text}\n  test files running then: ${named.length ? named.join(', ') : 'none reported yet'}\n`;
            writeFileSync(path.join(o.reportDir, `stall-${o.name}-${pid}.txt`), full);
            say(`\n${full}`);
          },
        }),
    },
  );
  return { code, report: readJson(out), errors: unhandledErrors(running), stalls };
}

/**
 * A vitest step: the run, and after a stop the second run of the stopped worker's files.
 *
 * @param {{
 *   name: string; step: string; root: string; vitest: string; projects: string[]; files?: string[];
 *   config?: string; env?: Record<string, string>; reportDir: string; held?: Buffer[] | null;
 *   guard?: { capMs?: number; lockCapMs?: number; pollMs?: number; stacks?: boolean; isWorker?: (cmdline: string, pid: number) => boolean };
 * }} o
 * @returns {Promise<{ row: { step: string; passed: number; failed: number; skipped: number; note?: string }; failures: string[]; stalls: string[] }>}
 *   `stalls`: the lines for the end of the output (what stopped, what its threads waited on, how the second run went).
 */
export async function vitestStep(o) {
  const lines = o.held ?? null;
  const say = (text) => (lines ? lines.push(Buffer.from(text)) : process.stderr.write(text));
  // Reports of stops in earlier runs are not this run's.
  for (const f of readdirSafe(o.reportDir))
    if (f.startsWith(`stall-${o.name}-`)) rmSync(path.join(o.reportDir, f), { force: true });
  const first = await vitestOnce(o, o.files ?? [], '', lines, say);
  const said = (s) => [
    `${o.step}: the stall guard ended worker ${s.pid} (running ${s.files.length ? s.files.join(', ') : 'a file vitest had not reported yet'}); full report in ${path.relative(o.root, path.join(o.reportDir, `stall-${o.name}-${s.pid}.txt`))}`,
    ...s.brief.map((l) => `  ${l}`),
  ];
  const stallLines = first.stalls.flatMap(said);
  if (!first.report)
    return {
      row: { step: o.step, passed: 0, failed: 1, skipped: 0, note: `no JSON report (vitest exited ${first.code})` },
      failures: [],
      stalls: stallLines,
    };
  const firstFiles = first.report.testResults ?? [];
  if (first.stalls.length === 0) {
    const c = countFiles(firstFiles, o.root, o.step);
    const row = { step: o.step, passed: c.passed, failed: c.failed, skipped: c.skipped + c.pending };
    if (first.code !== 0 && c.failed === 0) Object.assign(row, { failed: 1, note: `vitest exited ${first.code}` });
    return { row, failures: c.failures, stalls: [] };
  }

  const n = first.stalls.length;
  const failures = [];
  // Errors of the first run other than the ended worker's are the first run's findings.
  const otherErrors = (first.errors ?? []).filter((m) => !isEndedWorker(m));
  for (const m of otherErrors) failures.push(`${o.step}: error outside tests: ${firstLine(m)}`);
  const again = filesToRunAgain(
    first.stalls.flatMap((s) => s.files),
    firstFiles,
    o.root,
  );
  if (again.length === 0) {
    const c = countFiles(firstFiles, o.root, o.step);
    return {
      row: {
        step: o.step,
        passed: c.passed,
        failed: c.failed + otherErrors.length + c.pending + n,
        skipped: c.skipped,
        note: `${n} stopped worker(s) ended by the stall guard, no unfinished file to run again`,
      },
      failures: [
        ...failures,
        ...c.failures,
        `${o.step}: a worker stopped and was ended by the stall guard; no unfinished file could be named`,
      ],
      stalls: stallLines,
    };
  }
  say(`\nstall guard: running again what the ended worker had not finished: ${again.join(', ')}\n`);
  const second = await vitestOnce(o, again, '-again', lines, say);
  const againSet = new Set(again);
  const rel = (f) => path.relative(o.root, f.name ?? '');
  const firstByName = new Map(firstFiles.map((f) => [rel(f), f]));
  const secondFiles = (second.report?.testResults ?? []).filter((f) => againSet.has(rel(f)));
  const missing = again.filter((f) => !secondFiles.some((s) => rel(s) === f));
  const kept = firstFiles.filter((f) => !againSet.has(rel(f)));
  const merged = secondFiles.map((f) => mergeRunAgain(firstByName.get(rel(f)), f));
  // Files the second run did not report keep their first results (their pending tests count below).
  const c = countFiles([...kept, ...merged, ...missing.flatMap((f) => firstByName.get(f) ?? [])], o.root, o.step);
  failures.push(...c.failures);
  const row = {
    step: o.step,
    passed: c.passed,
    failed: c.failed + otherErrors.length,
    skipped: c.skipped,
  };
  // Errors of the second run other than an ended worker's fail the step, whatever else happened.
  const secondOther = (second.errors ?? []).filter((m) => !isEndedWorker(m));
  row.failed += secondOther.length;
  for (const m of secondOther) failures.push(`${o.step}: error outside tests in the second run: ${firstLine(m)}`);
  let outcome;
  if (second.stalls.length > 0) {
    // The tests the stopped worker never reached in the second run failed: count them, at least one a stop.
    row.failed += Math.max(c.pending, second.stalls.length);
    outcome = 'stopped again';
    failures.push(
      `${o.step}: a worker stopped again in the second run and was ended by the stall guard (files running: ${second.stalls.flatMap((s) => s.files).join(', ') || 'none reported yet'})`,
    );
    stallLines.push(...second.stalls.flatMap(said));
  } else if (!second.report || missing.length > 0) {
    row.failed += Math.max(1, c.pending);
    outcome = second.report
      ? `not run: ${missing.join(', ')}`
      : `no JSON report from the second run (vitest exited ${second.code})`;
    failures.push(`${o.step}: the second run after a stop did not run ${missing.join(', ') || 'its files'}`);
  } else {
    row.failed += c.pending;
    // The outcome of the files run again (other files' failures are in the row and the failures).
    const again2 = countFiles(merged, o.root, o.step);
    if (second.code !== 0 && row.failed === 0) {
      row.failed = 1;
      outcome = `vitest exited ${second.code}`;
    } else outcome = again2.failed + again2.pending + secondOther.length === 0 ? 'passed' : 'failed';
  }
  row.note = `${n} stopped worker(s) ended by the stall guard; ${again.length} file(s) run again: ${outcome}`;
  stallLines.push(`${o.step}: run again: ${again.join(', ')}: ${outcome}`);
  return { row, failures, stalls: stallLines };
}

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
