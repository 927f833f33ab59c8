/** Types of scripts/vitest-running-files.mjs (a vitest reporter used by `npm test`, D-126, D-127). */
export default class RunningFiles {}
export declare function runningFiles(file: string): string[];
export declare function unhandledErrors(file: string): string[] | null;
