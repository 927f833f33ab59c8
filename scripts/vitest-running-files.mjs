/**
 * A vitest reporter that keeps, in the file named by LOTSEAL_RUNNING_FILES, the test files that
 * have started and not yet ended, one per line. `npm test` reads it when the stall guard ends a
 * stopped worker (scripts/stall-guard.mjs, D-126), to say which files were running: vitest's own
 * report of such a run names no file (its tests stay "pending" and the file "passed").
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
