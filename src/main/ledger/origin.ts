import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Where a call comes from, for the ledger writes it makes (issue 23 §1, D-091). On a site
 * server one process writes for many workstations: every audit entry of a remote call records
 * the workstation it came from (its authenticated host key: `desktop@LAB-PC-01`) and that
 * workstation's time zone, not the server's. The site server runs each call inside
 * `withOrigin`; the ledger reads it in `Ledger.write` (and everything that asks
 * `ledger.workstation` / `ledger.timeZone` during the call: signatures, auth events, local
 * dates). Without an origin (the desktop, the harness, the CLI on a local database) the ledger
 * uses its own options, exactly as before.
 *
 * `request`: the write's request id (exactly once, D-092). The ledger records it in the same
 * transaction as the first commit the call makes (table `request_log`, migration 0021).
 */
export interface CallOrigin {
  readonly workstation: string;
  readonly timeZone: string;
  /**
   * The id of the authenticated host key the call came through (`signing_key.id`): e.g. a
   * signed raw frame from that workstation must verify with that key (issue 23 §4).
   */
  readonly hostKeyId?: string;
  readonly request?: RequestMark;
}

export interface RequestMark {
  readonly id: string;
  readonly hostKeyId: string;
  readonly channel: string;
  readonly userId: string | null;
  /** Set by the ledger when the first transaction of the call has recorded the id. */
  recordedSeq: number | null;
}

const store = new AsyncLocalStorage<CallOrigin>();

export function withOrigin<T>(origin: CallOrigin, fn: () => T): T {
  return store.run(origin, fn);
}

export function currentOrigin(): CallOrigin | undefined {
  return store.getStore();
}
