/**
 * A vitest reporter that keeps, in the file named by LOTSEAL_RUNNING_FILES, the test files that
 * have started and not yet ended, one per line; and, when the run ends, its unhandled errors'
 * messages in the same name with `.errors` added, one JSON string per line. `npm test` reads
 * them when the stall guard ends a stopped worker (scripts/stall-guard.mjs,
 * scripts/vitest-step.mjs, D-126, D-127): the first to name the files the worker was running
 * (vitest's own report of such a run names no file: its tests stay "pending"), the second to
 * tell the error that ending a worker causes ("Worker exited unexpectedly") from any other.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export default class RunningFiles {
  constructor() {
    this.file = process.env['LOTSEAL_RUNNING_FILES'] ?? null;
    this.running = new Set();
    this.root = process.cwd();
  }

  onInit(vitest) {
    this.root = vitest?.config?.root ?? this.root;
    this.write();
  }

  onTestModuleStart(testModule) {
    this.running.add(path.relative(this.root, testModule.moduleId));
    this.write();
  }

  onTestModuleEnd(testModule) {
    this.running.delete(path.relative(this.root, testModule.moduleId));
    this.write();
  }

  onTestRunEnd(_modules, unhandledErrors) {
    if (!this.file) return;
    const messages = (unhandledErrors ?? []).map((e) => JSON.stringify(String(e?.message ?? e)));
    writeFileSync(`${this.file}.errors`, messages.map((m) => `${m}\n`).join(''));
  }

  write() {
    if (this.file) writeFileSync(this.file, [...this.running].map((f) => `${f}\n`).join(''));
  }
}

/** The files the reporter last saw running, from its file (none when there is no file). */
export function runningFiles(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
  } catch {
    return [];
  }
}

/** The run's unhandled errors' messages, from the reporter's `.errors` file (null when it wrote none: the run did not end). */
export function unhandledErrors(file) {
  try {
    return readFileSync(`${file}.errors`, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => String(JSON.parse(l)));
  } catch {
    return null;
  }
}
