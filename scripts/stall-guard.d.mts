/** Types of scripts/stall-guard.mjs (the stall guard of `npm test`, D-126), for the tests that use it. */
export declare const HANG_CAP_MS: number;
export declare const STALL_CAP_MS: number;
export declare const STALL_POLL_MS: number;
export declare function isVitestWorker(cmdline: string): boolean;
export declare function nextStallState(
  known: Map<number, { ran: number; movedAt: number }>,
  reading: Map<number, number>,
  now: number,
  capMs: number,
): { known: Map<number, { ran: number; movedAt: number }>; stalled: number[] };
export declare function runTime(pid: number): number | null;
export declare function descendants(root: number): { pid: number; cmdline: string }[];
export declare function threadStates(pid: number): { tid: number; name: string; wchan: string }[];
export declare function nativeStacks(pid: number): string | null;
export declare function describeStall(s: {
  pid: number;
  cmdline: string;
  stoppedMs: number;
  threads: { tid: number; name: string; wchan: string }[];
  stacks: string | null;
}): string;
export declare function watchForStalls(
  root: number,
  options: {
    capMs?: number;
    pollMs?: number;
    isWorker?: (cmdline: string) => boolean;
    stacks?: boolean;
    onStall: (report: string) => void;
  },
): () => void;
