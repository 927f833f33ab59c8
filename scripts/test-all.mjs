#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in two chains side by side (D-123):
 *
 *   build → e2e → typechecks (web, node) if the other chain has not taken them
 *   lint → unit → integration → typechecks if still queued (D-125)
 *
 * The build is short and both test steps that run bundles need it, so it goes first and the
 * e2e journeys start the moment it ends; the other chain runs lint, then the unit and
 * integration tests, on the remaining core(s); the typechecks go to whichever chain is free first. The e2e output
 * streams as it runs; every other step's output is held and printed as one block when the
 * step ends, so nothing interleaves. Run one after another, each step left a core idle at its
 * end (its last file or journey alone) — side by side the machine stays busy until the last
 * step ends (docs/performance.md "The test suite", D-086, D-123). The typechecks run on
 * TypeScript 7, one thread each (scripts/typecheck.mjs, D-114).
 *
 * All steps run even after a failure, so one run shows everything that is wrong; only e2e
 * is skipped when the build failed (it would test stale or missing bundles). The build comes
 * before the integration tests because tests/integration/desktop-shell.test.ts runs the built
 * desktop main bundle (out/main) and the CLI tests then run the fresh Node build. Typecheck,
 * lint and build count as one check each; vitest and Playwright report their own test
 * counts through their JSON reporters. The last line is always
 *
 *   N passed, N failed[, N skipped]
 *
 * and the exit code is 1 if anything failed (docs/decisions.md D-018).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheckCommand } from './typecheck.mjs';
import { firstLine, readJson, runCommand, vitestStep } from './vitest-step.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const reportDir = path.join(root, 'test-results', 'reports');
mkdirSync(reportDir, { recursive: true });

/** @type {{ step: string; passed: number; failed: number; skipped: number; note?: string; seconds?: number }[]} */
const rows = [];
/**
 * The failed tests by name with the first line of their message, printed under the summary so
 * the last lines of a CI log say what failed, not only how many.
 * @type {string[]}
 */
const failures = [];
const colour = Boolean(process.stdout.isTTY);

/**
 * Runs a command from the project's root (scripts/vitest-step.mjs). Held output is printed to
 * the same terminal later: it keeps the colours it would have had.
 * @param {Buffer[] | null} held
 */
const run = (cmd, args, env = {}, held = null) =>
  runCommand(cmd, args, { cwd: root, env: { ...(held && colour ? { FORCE_COLOR: '1' } : {}), ...env }, held });

/**
 * What the stall guard did, for the end of the output (the part of a CI log people see): which
 * worker it ended, what its main thread waited on, and how the second run went (D-127).
 * @type {string[]}
 */
const stallLines = [];

function banner(title) {
  console.log(`\n━━━ ${title} ${'━'.repeat(Math.max(0, 72 - title.length))}`);
}

/** Seconds since `t0` (each step's wall time goes into its summary line; CI has a time budget, see README). */
const since = (t0) => Math.round((Date.now() - t0) / 1000);

/**
 * A step that is one check: passes when every command exits 0. With `held`, the output is
 * printed as one block under the step's banner when the step ends (for steps run side by side).
 * Returns the step's summary row.
 */
async function check(step, commands, { held = false } = {}) {
  const t0 = Date.now();
  const out = held ? [] : null;
  if (!held) banner(step);
  let row = { step, passed: 1, failed: 0, skipped: 0 };
  for (const [cmd, args] of commands) {
    const code = await run(cmd, args, {}, out);
    if (code !== 0) {
      row = { step, passed: 0, failed: 1, skipped: 0, note: `${path.basename(cmd)} exited ${code}` };
      break;
    }
  }
  row.seconds = since(t0);
  if (out) {
    banner(`${step} (${row.seconds} s, ran alongside the other checks)`);
    process.stdout.write(Buffer.concat(out));
    console.log(row.failed ? `${step}: failed (${row.note})` : `${step}: passed`);
  }
  return row;
}

/**
 * A vitest project: counts from the JSON reporter, plus files that failed to load. With `held`,
 * its output is printed as one block when it ends (it runs beside the e2e journeys). The stall
 * guard watches its workers (scripts/stall-guard.mjs, D-126): a worker whose main thread is
 * deadlocked is ended and the files it had not finished run once more (scripts/vitest-step.mjs,
 * D-127); what stopped and why is printed at the end of the output.
 */
async function vitest(step, project, more = [], { held = false } = {}) {
  const t0 = Date.now();
  const lines = held ? [] : null;
  if (!held) banner(step);
  const result = await vitestStep({
    name: project,
    step,
    root,
    vitest: bin('vitest'),
    projects: [project, ...more],
    env: held && colour ? { FORCE_COLOR: '1' } : {},
    reportDir,
    held: lines,
  });
  if (lines) {
    banner(`${step} (${since(t0)} s, ran alongside the e2e journeys)`);
    process.stdout.write(Buffer.concat(lines));
  }
  failures.push(...result.failures);
  stallLines.push(...result.stalls);
  rows.push({ ...result.row, seconds: since(t0) });
}

async function playwright(step) {
  const t0 = Date.now();
  banner(step);
  const out = path.join(reportDir, 'playwright.json');
  rmSync(out, { force: true });
  const code = await run(
    bin('playwright'),
    ['test', '--pass-with-no-tests', '--reporter=list,json,./tests/e2e/timing-reporter.ts'],
    {
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    },
  );
  const report = readJson(out);
  const stats = report?.stats;
  if (!stats) {
    rows.push({
      step,
      passed: 0,
      failed: 1,
      skipped: 0,
      note: `no JSON report (playwright exited ${code})`,
      seconds: since(t0),
    });
    return;
  }
  const visit = (suite, trail) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const last = (t.results ?? []).at(-1);
        failures.push(
          `${step}: ${spec.file} > ${[...trail, spec.title].join(' > ')}: ${firstLine(last?.error?.message)}`,
        );
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) visit(suite, []);
  for (const e of report.errors ?? []) failures.push(`${step}: outside tests: ${firstLine(e.message)}`);
  const row = {
    step,
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
    ...(stats.flaky ? { note: `${stats.flaky} flaky` } : {}),
  };
  // Errors outside tests (config, global setup, a worker crash) fail the run without a test.
  if ((report.errors ?? []).length > 0 || (code !== 0 && row.failed === 0)) {
    row.failed += 1;
    row.note = `playwright exited ${code}${report.errors?.length ? `, ${report.errors.length} error(s) outside tests` : ''}`;
  }
  row.seconds = since(t0);
  rows.push(row);
}

const started = Date.now();

// The static checks and the build: single-threaded jobs (tsc ×2, eslint, the build), each
// one's output held and printed as one block when it ends (D-086). The typechecks run on
// TypeScript 7, one thread each and without build info (scripts/typecheck.mjs, D-114). Lint
// stays one process: splitting it over threads (`--concurrency`) or jobs costs each part its
// own start and compiler warm-up (D-115).
const cores = Math.max(1, os.availableParallelism());
/** Longest first (CPU-seconds measured on the CI machine, D-086, D-114): lint, tsc web, tsc node; the build starts at once. */
const staticJobs = [
  { step: 'lint', commands: [[bin('eslint'), ['.', '--max-warnings', '0']]] },
  { step: 'typecheck', part: 'web', commands: [typecheckCommand('web', { pretty: colour })] },
  { step: 'typecheck', part: 'node', commands: [typecheckCommand('node', { pretty: colour })] },
  {
    step: 'build',
    commands: [
      [bin('electron-vite'), ['build']],
      [process.execPath, [path.join(root, 'scripts', 'build-node.mjs')]],
    ],
  },
];
/** @type {Map<(typeof staticJobs)[number], Awaited<ReturnType<typeof check>>>} */
const staticRows = new Map();
const runStatic = async (job) => {
  const row = await check(job.part ? `${job.step} (${job.part})` : job.step, job.commands, { held: true });
  staticRows.set(job, row);
  return row;
};

// Two chains side by side (D-123), so neither core waits for the other's last job:
//
//   build → e2e → (typechecks still queued)       (the journeys' output streams)
//   lint → unit → integration → (typechecks still queued)
//
// The build is short and both the journeys and the integration tests need it, so it starts
// first; the journeys start the moment it is done. Meanwhile the other chain runs lint, then
// the unit and integration tests. The two typechecks are short and need nothing: they wait in
// a queue that whichever chain ends its main work first takes (D-125) — on the 2-core machine
// the journeys end first and the typechecks fill the core they leave while the integration
// tests run on. With more than two cores the spare lanes take them at once. Run one after
// another, each step left a core idle at its end (its last file or journey running alone);
// side by side the machine stays busy until the last step ends. The steps share nothing: every
// test has its own temporary folders and ports (tests never depend on speed, so running beside
// each other only makes both slower, never wrong).
const buildJob = staticJobs.find((j) => j.step === 'build');
const lintJob = staticJobs.find((j) => j.step === 'lint');
const tail = staticJobs.filter((j) => j !== buildJob && j !== lintJob);
const drainTail = async () => {
  for (let job = tail.shift(); job; job = tail.shift()) await runStatic(job);
};
const spareLanes = Array.from({ length: Math.max(0, Math.min(cores - 2, tail.length)) }, drainTail);
const building = runStatic(buildJob);
const journeys = building.then(async (row) => {
  if (row.failed === 0 && existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    await playwright('e2e');
  } else {
    banner('e2e');
    console.log('e2e skipped: the build failed, there is nothing current to test');
    rows.push({ step: 'e2e', passed: 0, failed: 0, skipped: 1, note: 'skipped: build failed' });
  }
  await drainTail();
});
const checks = (async () => {
  await runStatic(lintJob);
  await vitest('unit', 'unit', ['unit-isolated'], { held: true });
  // The integration tests run the fresh builds (tests/integration/desktop-shell.test.ts runs
  // out/main; the CLI tests out/node).
  await building;
  await vitest('integration', 'integration', ['integration-isolated'], { held: true });
  await drainTail();
})();
await Promise.all(spareLanes);
await Promise.all([journeys, checks]);

// One summary row per static step: the typecheck passes when both configs pass; its time is
// the longer. Rows in the order the steps are listed, whatever order they ended in.
const staticSummary = [];
for (const step of ['typecheck', 'lint', 'build']) {
  const parts = staticJobs.filter((j) => j.step === step).map((j) => staticRows.get(j));
  const failed = parts.filter((r) => r.failed > 0);
  staticSummary.push({
    step,
    passed: failed.length === 0 ? 1 : 0,
    failed: failed.length > 0 ? 1 : 0,
    skipped: 0,
    ...(failed.length > 0 ? { note: failed.map((r) => `${r.step}: ${r.note}`).join('; ') } : {}),
    seconds: Math.max(...parts.map((r) => r.seconds ?? 0)),
  });
}
const order = ['typecheck', 'lint', 'build', 'unit', 'integration', 'e2e'];
rows.push(...staticSummary);
rows.sort((a, b) => order.indexOf(a.step) - order.indexOf(b.step));

const total = rows.reduce(
  (t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);

banner(`summary (${Math.round((Date.now() - started) / 1000)} s)`);
for (const r of rows) {
  const mark = r.failed > 0 ? 'FAIL' : r.passed > 0 ? 'ok  ' : 'skip';
  const counts = `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
  const time = r.seconds === undefined ? '' : `${String(r.seconds).padStart(5)} s  `;
  console.log(`${mark}  ${r.step.padEnd(12)} ${time}${counts}${r.note ? `  (${r.note})` : ''}`);
}
if (stallLines.length > 0) {
  console.log('');
  console.log('stall guard (scripts/stall-guard.mjs, D-126, D-127):');
  for (const l of stallLines) console.log(`  ${l}`);
}
if (failures.length > 0) {
  console.log('');
  console.log('failed:');
  for (const f of failures.slice(0, 30)) console.log(`  ${f}`);
  if (failures.length > 30) console.log(`  … and ${failures.length - 30} more (test-results/reports)`);
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed > 0 ? 1 : 0;
