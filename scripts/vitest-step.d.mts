/** Types of scripts/vitest-step.mjs (a vitest step of `npm test`, D-127), for the tests that use it. */
import type { GuardOptions } from './stall-guard.mjs';

export interface VitestFile {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: { status: string; fullName?: string; title?: string; failureMessages?: string[] }[];
}
export declare const firstLine: (text: unknown) => string;
export declare function runCommand(
  cmd: string,
  args: string[],
  o: {
    cwd: string;
    env?: Record<string, string>;
    held?: Buffer[] | null;
    watch?: ((child: unknown) => () => void) | null;
  },
): Promise<number>;
export declare function countFiles(
  files: VitestFile[],
  root: string,
  step: string,
): { passed: number; failed: number; skipped: number; pending: number; failures: string[] };
export declare function mergeRunAgain(first: VitestFile | undefined, second: VitestFile): VitestFile;
export declare function readJson(file: string): unknown;
export declare function filesToRunAgain(stalledFiles: string[], files: VitestFile[], root: string): string[];
export interface StepRow {
  step: string;
  passed: number;
  failed: number;
  skipped: number;
  note?: string;
}
export declare function vitestStep(o: {
  name: string;
  step: string;
  root: string;
  vitest: string;
  projects: string[];
  files?: string[];
  config?: string;
  env?: Record<string, string>;
  reportDir: string;
  held?: Buffer[] | null;
  guard?: GuardOptions;
}): Promise<{ row: StepRow; failures: string[]; stalls: string[] }>;
