import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';

/**
 * Where the journeys spend their time (docs/performance.md, "The test suite"). Writes
 * test-results/reports/e2e-timing.json and prints a short table at the end:
 *
 * - per journey: wall time; CPU seconds of everything the journey ran (the Playwright worker,
 *   its browser and the journey's harness with its print browser: the `cpu` annotation of
 *   tests/e2e/fixtures.ts); the harness's own CPU and its start time;
 * - wall time by kind of step: fixtures (harness, browser, context, page), browser actions by
 *   method (click, fill, goto, screenshot…), expect waits, and the rest ("node": the test's
 *   own awaits, mostly seeding over the contract).
 *
 * Wall time on a shared machine measures the machine as much as the suite; CPU time is what
 * a journey costs. Nothing here asserts a time: it only reports.
 */
interface Row {
  title: string;
  file: string;
  status: string;
  wallMs: number;
  cpuMs: number | null;
  harnessCpuMs: number | null;
  workerCpuMs: number | null;
  harnessStartMs: number | null;
  /** CPU by kind of process (tests/e2e/fixtures.ts `kindOf`): Chromium's by type, the worker with the harness it reaped. */
  cpuByKind: Record<string, number>;
  /** The page's renderer main thread (Chrome's Performance metrics): all tasks, script, style, layout. */
  renderer: Record<string, number>;
  byKind: Record<string, number>;
}

function leafSteps(steps: TestStep[], out: TestStep[] = []): TestStep[] {
  for (const s of steps) {
    const inner = s.steps.filter((c) => c.category === 'pw:api' || c.category === 'expect' || c.category === 'fixture');
    if (s.category === 'fixture' || inner.length === 0) out.push(s);
    else leafSteps(inner, out);
  }
  return out;
}

function kindOf(step: TestStep): string {
  if (step.category === 'fixture') return `fixture ${step.title.replace(/^fixture:?\s*/i, '').replace(/"/g, '')}`;
  if (step.category === 'expect') return 'expect';
  if (step.category === 'pw:api') {
    // "Click locator(…)", "Navigate to …", "Screenshot", "Wait for event \"download\"" …
    const verb = step.title.split(/[ (]/)[0] ?? step.title;
    return `browser ${verb.toLowerCase()}`;
  }
  return step.category;
}

function annotation(result: TestResult, test: TestCase, type: string): number | null {
  const a = [...result.annotations, ...test.annotations].find((x) => x.type === type);
  return a?.description ? Number(a.description) : null;
}

export default class TimingReporter implements Reporter {
  private readonly rows: Row[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    const byKind: Record<string, number> = {};
    let stepped = 0;
    const leaves = leafSteps(result.steps.filter((s) => s.category !== 'hook')).concat(
      leafSteps(result.steps.filter((s) => s.category === 'hook')),
    );
    for (const s of leaves) {
      const k = kindOf(s);
      byKind[k] = (byKind[k] ?? 0) + s.duration;
      stepped += s.duration;
    }
    byKind['node (outside browser steps)'] = Math.max(0, result.duration - stepped);
    this.rows.push({
      title: test.title,
      file: path.basename(test.location.file),
      status: result.status,
      wallMs: result.duration,
      cpuMs: annotation(result, test, 'cpu-ms'),
      harnessCpuMs: annotation(result, test, 'harness-cpu-ms'),
      harnessStartMs: annotation(result, test, 'harness-start-ms'),
      workerCpuMs: annotation(result, test, 'worker-cpu-ms'),
      cpuByKind: Object.fromEntries(
        result.annotations
          .filter((a) => a.type.startsWith('cpu-kind ') && a.description)
          .map((a) => [a.type.slice('cpu-kind '.length), Number(a.description)]),
      ),
      renderer: Object.fromEntries(
        result.annotations
          .filter((a) => a.type.startsWith('renderer-') && a.description)
          .map((a) => [a.type.slice('renderer-'.length), Number(a.description)]),
      ),
      byKind,
    });
  }

  onEnd(full: FullResult): void {
    const totals: Record<string, number> = {};
    for (const r of this.rows) for (const [k, v] of Object.entries(r.byKind)) totals[k] = (totals[k] ?? 0) + v;
    const cpuKinds: Record<string, number> = {};
    for (const r of this.rows) for (const [k, v] of Object.entries(r.cpuByKind)) cpuKinds[k] = (cpuKinds[k] ?? 0) + v;
    const sum = (f: (r: Row) => number | null): number => this.rows.reduce((t, r) => t + (f(r) ?? 0), 0);
    const report = {
      wallMs: full.duration,
      tests: this.rows.length,
      sumWallMs: sum((r) => r.wallMs),
      sumCpuMs: sum((r) => r.cpuMs),
      sumHarnessCpuMs: sum((r) => r.harnessCpuMs),
      sumHarnessStartMs: sum((r) => r.harnessStartMs),
      sumWorkerCpuMs: sum((r) => r.workerCpuMs),
      renderer: Object.fromEntries(
        ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'].map((k) => [
          k,
          this.rows.reduce((t, r) => t + (r.renderer[k] ?? 0), 0),
        ]),
      ),
      cpuByKind: Object.fromEntries(Object.entries(cpuKinds).sort((a, b) => b[1] - a[1])),
      byKind: Object.fromEntries(Object.entries(totals).sort((a, b) => b[1] - a[1])),
      rows: [...this.rows].sort((a, b) => b.wallMs - a.wallMs),
    };
    const dir = path.resolve(__dirname, '../../test-results/reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'e2e-timing.json'), `${JSON.stringify(report, null, 2)}\n`);
    const s = (ms: number | null): string => (ms === null ? '   -' : (ms / 1000).toFixed(1).padStart(6));
    console.log('\ne2e timing (s): wall, cpu (all), cpu of the harness, of the test worker, harness start; journey');
    for (const r of report.rows)
      console.log(
        `  ${s(r.wallMs)} ${s(r.cpuMs)} ${s(r.harnessCpuMs)} ${s(r.workerCpuMs)} ${s(r.harnessStartMs)}  ${r.file} › ${r.title}`,
      );
    console.log(
      `  ${s(report.sumWallMs)} ${s(report.sumCpuMs)} ${s(report.sumHarnessCpuMs)} ${s(report.sumWorkerCpuMs)} ${s(report.sumHarnessStartMs)}  sum of ${report.tests} journeys (run: ${s(full.duration)} s wall)`,
    );
    const rd = report.renderer;
    console.log(
      `  the pages' renderer main threads: ${s(rd['TaskDuration'] ?? 0)} s of tasks, of which script ${s(rd['ScriptDuration'] ?? 0)}, style ${s(rd['RecalcStyleDuration'] ?? 0)}, layout ${s(rd['LayoutDuration'] ?? 0)}`,
    );
    console.log(
      `  CPU by process (the worker's includes the harness it reaped): ${Object.entries(report.cpuByKind)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
        .join(', ')}`,
    );
    console.log('  by kind of step (wall, summed over journeys):');
    for (const [k, v] of Object.entries(report.byKind).slice(0, 14)) console.log(`    ${s(v)}  ${k}`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
