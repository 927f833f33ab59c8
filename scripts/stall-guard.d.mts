/** Types of scripts/stall-guard.mjs (the stall guard of `npm test`, D-126, D-127), for the tests that use it. */
export declare const HANG_CAP_MS: number;
export declare const STALL_CAP_MS: number;
export declare const LOCK_WAIT_CAP_MS: number;
export declare const STALL_POLL_MS: number;
export declare function isVitestWorker(cmdline: string): boolean;
export declare function isLockWait(wchan: string): boolean;
export type StallReason = 'lock' | 'idle';
export declare function nextStallState(
  known: Map<number, { ran: number; movedAt: number }>,
  reading: Map<number, { ran: number; lockWait: boolean }>,
  now: number,
  caps: { capMs: number; lockCapMs: number },
): { known: Map<number, { ran: number; movedAt: number }>; stalled: { pid: number; reason: StallReason }[] };
export declare function runTime(pid: number): number | null;
export declare function descendants(root: number): { pid: number; cmdline: string }[];
export declare function threadStates(pid: number): { tid: number; name: string; wchan: string }[];
export declare function nativeStacks(pid: number): string | null;
export interface Stall {
  pid: number;
  cmdline: string;
  stoppedMs: number;
  reason: StallReason;
  threads: { tid: number; name: string; wchan: string }[];
  stacks: string | null;
}
export declare function describeStall(s: Stall): string;
export declare function framesByThread(stacks: string): Map<number, string[]>;
export declare function shortName(name: string): string;
export declare function briefStall(s: Omit<Stall, 'cmdline'>): string[];
export interface GuardOptions {
  capMs?: number;
  lockCapMs?: number;
  pollMs?: number;
  isWorker?: (cmdline: string, pid: number) => boolean;
  stacks?: boolean;
}
export declare function watchForStalls(
  root: number,
  options: GuardOptions & { onStall: (report: string, brief: string[], pid: number) => void },
): () => void;
