/**
 * One vitest step of `npm test` (scripts/test-all.mjs): a run of some projects, watched by the
 * stall guard (scripts/stall-guard.mjs, D-126), and counted from vitest's JSON report.
 *
 * When the guard ended a stopped worker, the files that worker was running (named by
 * scripts/vitest-running-files.mjs; vitest's own report leaves their tests "pending") are run
 * once more in a fresh vitest, and the step counts them from that second run (D-127). A stop is
 * a native deadlock below the tests — a main thread blocked in a lock wait, where no test's
 * timer can run — so the first run says nothing of those files either way; the second does. The
 * stop is never hidden: the step's row says it, its brief (the main thread's backtrace, the
 * other threads' waits) goes to the end of `npm test`'s output, and the full report with every
 * thread's backtrace is in the step's output and in test-results/reports. A worker that stops
 * again in the second run fails the step.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { watchForStalls } from './stall-guard.mjs';
import { runningFiles } from './vitest-running-files.mjs';

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

function readJson(file) {
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
 * import has no failed test, only a failed suite: it counts as one failure.
 * @param {{ name?: string; status?: string; message?: string; assertionResults?: { status: string; fullName?: string; title?: string; failureMessages?: string[] }[] }[]} files
 * @param {string} root
 * @param {string} step
 */
export function countFiles(files, root, step) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for (const file of files) {
    const rel = path.relative(root, file.name ?? '');
    const tests = file.assertionResults ?? [];
    for (const t of tests) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') {
        failed++;
        failures.push(`${step}: ${rel} > ${t.fullName ?? t.title}: ${firstLine(t.failureMessages?.[0])}`);
      } else skipped++;
    }
    if (file.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      failed++;
      failures.push(`${step}: ${rel}: ${firstLine(file.message)}`);
    }
  }
  return { passed, failed, skipped, failures };
}

/**
 * The files a second run takes, after a stop: those the reporter saw running in a worker the
 * guard ended, and any file of the first report with a test that neither passed nor failed (a
 * file queued on that worker and never run, should vitest have given it one). Paths relative to
 * `root`.
 */
export function filesToRunAgain(stalledFiles, files, root) {
  const again = new Set(stalledFiles);
  for (const file of files) {
    const unfinished = (file.assertionResults ?? []).some((t) => t.status !== 'passed' && t.status !== 'failed');
    if (unfinished) again.add(path.relative(root, file.name ?? ''));
  }
  return [...again].filter((f) => f.length > 0).sort();
}

/**
 * Runs vitest on `projects` (and `files`, filters, when given) once, watched by the guard.
 * @returns {Promise<{ code: number; report: any; stalls: { files: string[]; brief: string[]; pid: number }[] }>}
 */
async function vitestOnce(o, files, attempt, lines) {
  const out = path.join(o.reportDir, `vitest-${o.name}${attempt ? `-again` : ''}.json`);
  const running = path.join(o.reportDir, `vitest-${o.name}${attempt ? `-again` : ''}.running`);
  rmSync(out, { force: true });
  rmSync(running, { force: true });
  /** @type {{ files: string[]; brief: string[]; pid: number }[]} */
  const stalls = [];
  const code = await runCommand(
    o.vitest,
    [
      'run',
      ...o.projects.flatMap((p) => ['--project', p]),
      ...(o.config ? ['--config', o.config] : []),
      '--passWithNoTests',
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
            const full = `${text}\n  test files running then: ${named.length ? named.join(', ') : 'none recorded'}\n`;
            writeFileSync(path.join(o.reportDir, `stall-${o.name}-${pid}.txt`), full);
            const said = `\n${full}`;
            if (lines) lines.push(Buffer.from(said));
            else process.stderr.write(said);
          },
        }),
    },
  );
  return { code, report: readJson(out), stalls };
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
  const first = await vitestOnce(o, o.files ?? [], 0, lines);
  if (!first.report)
    return {
      row: { step: o.step, passed: 0, failed: 1, skipped: 0, note: `no JSON report (vitest exited ${first.code})` },
      failures: [],
      stalls: first.stalls.flatMap((s) => s.brief.map((l) => `${o.step}: ${l}`)),
    };
  const firstFiles = first.report.testResults ?? [];
  if (first.stalls.length === 0) {
    const c = countFiles(firstFiles, o.root, o.step);
    const row = { step: o.step, passed: c.passed, failed: c.failed, skipped: c.skipped };
    if (first.code !== 0 && c.failed === 0) Object.assign(row, { failed: 1, note: `vitest exited ${first.code}` });
    return { row, failures: c.failures, stalls: [] };
  }

  const stopped = first.stalls.flatMap((s) => s.files);
  const again = filesToRunAgain(stopped, firstFiles, o.root);
  const said = (s) => [
    `${o.step}: the stall guard ended worker ${s.pid} (running ${s.files.length ? s.files.join(', ') : 'a file vitest had not reported yet'}); full report in ${path.relative(o.root, path.join(o.reportDir, `stall-${o.name}-${s.pid}.txt`))}`,
    ...s.brief.map((l) => `  ${l}`),
  ];
  const stallLines = first.stalls.flatMap(said);
  const n = first.stalls.length;
  if (again.length === 0) {
    const c = countFiles(firstFiles, o.root, o.step);
    return {
      row: {
        step: o.step,
        passed: c.passed,
        failed: Math.max(1, c.failed),
        skipped: c.skipped,
        note: `${n} stopped worker(s) ended by the stall guard, no file to run again`,
      },
      failures: [...c.failures, `${o.step}: a worker stopped and was ended by the stall guard; no file could be named`],
      stalls: stallLines,
    };
  }
  if (lines)
    lines.push(Buffer.from(`\nstall guard: running again what the ended worker was running: ${again.join(', ')}\n`));
  else process.stderr.write(`\nstall guard: running again what the ended worker was running: ${again.join(', ')}\n`);
  const second = await vitestOnce(o, again, 1, lines);
  const againSet = new Set(again);
  const kept = firstFiles.filter((f) => !againSet.has(path.relative(o.root, f.name ?? '')));
  const secondFiles = second.report?.testResults ?? [];
  const c = countFiles([...kept, ...secondFiles], o.root, o.step);
  const failures = [...c.failures];
  const row = { step: o.step, passed: c.passed, failed: c.failed, skipped: c.skipped };
  let outcome;
  if (second.stalls.length > 0) {
    row.failed = Math.max(row.failed, second.stalls.length);
    outcome = 'stopped again';
    failures.push(
      `${o.step}: a worker stopped again in the second run and was ended by the stall guard (files running: ${second.stalls.flatMap((s) => s.files).join(', ') || 'none recorded'})`,
    );
    stallLines.push(...second.stalls.flatMap(said));
  } else if (!second.report) {
    row.failed = Math.max(row.failed, 1);
    outcome = `no JSON report from the second run (vitest exited ${second.code})`;
    failures.push(`${o.step}: the second run after a stop gave no report (vitest exited ${second.code})`);
  } else if (second.code !== 0 && c.failed === 0) {
    row.failed = 1;
    outcome = `vitest exited ${second.code}`;
  } else outcome = c.failed === 0 ? 'passed' : 'failed';
  row.note = `${n} stopped worker(s) ended by the stall guard; ${again.length} file(s) run again: ${outcome}`;
  stallLines.push(`${o.step}: run again: ${again.join(', ')}: ${outcome}`);
  return { row, failures, stalls: stallLines };
}
