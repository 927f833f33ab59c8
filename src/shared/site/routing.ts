import { benchLocalChannels } from './bench-local';

/**
 * Where a contract channel runs when a workstation is a client of a site server (issue 23 §3,
 * docs/decisions.md D-099). Pure data: the RemoteDispatcher (src/main/remote/) reads it, the
 * unit test tests/unit/site-routing.test.ts proves that every channel of the contract is
 * classified, so a new channel cannot reach a workstation without someone deciding where it runs.
 *
 * - `server`: the one record. Everything that reads or changes records, signs, verifies or
 *   authenticates a person runs in the server's core; the workstation forwards the call
 *   (writes with a request id) and keeps no copy and no password.
 * - `bench`: needs this machine's hardware (its serial ports and what hangs on them):
 *   listing ports, connecting, disconnecting, commands and the terminal.
 * - `bench-frame`: the frame half runs at the bench (the reading is taken from the local
 *   port and signed with the host key), the record half on the server (it re-parses the
 *   signed bytes with the same pure drivers and stores value and bytes); while the server
 *   cannot be reached the signed frame waits in the workstation's store-and-forward queue.
 * - `workstation`: about this machine itself: its host key (the key that authenticates it
 *   to the server), its language, its document viewer, and which server it is on.
 */
export type SiteRoute = 'server' | 'bench' | 'bench-frame' | 'workstation';

/**
 * Channels that run at the workstation besides the bench's serial channels (those are
 * `benchLocalChannels`, src/shared/site/bench-local.ts, which the server refuses), with the
 * reason a reader of this table needs.
 */
export const localChannels = {
  'instruments.capture': {
    route: 'bench-frame',
    why: 'the reading comes from this bench; the result is stored by the server',
  },
  'instruments.read': {
    route: 'bench-frame',
    why: 'the reading comes from this bench; the check is stored by the server',
  },
  'hostKey.status': {
    route: 'workstation',
    why: "this workstation's key (it authenticates the workstation to the server)",
  },
  'hostKey.unlock': { route: 'workstation', why: "this workstation's key" },
  'hostKey.replace': { route: 'workstation', why: "this workstation's key" },
  'documents.open': {
    route: 'workstation',
    why: "this workstation's PDF viewer and print dialog (the document comes from the server)",
  },
  'connection.status': { route: 'workstation', why: 'which server this workstation is on and whether it can reach it' },
  'connection.join': { route: 'workstation', why: "this workstation's site settings and key (D-107)" },
  'connection.leave': { route: 'workstation', why: "this workstation's site settings (D-107)" },
  'exports.download': {
    route: 'workstation',
    why: "the export made on the server is downloaded, hash-checked, into this workstation's exports folder",
  },
} as const satisfies Record<string, { route: Exclude<SiteRoute, 'server'>; why: string }>;

/**
 * The namespaces (the part of a channel name before the first dot) whose channels all run on
 * the server unless `localChannels` names one. A namespace missing here leaves its channels
 * unclassified: routeOf answers null and the unit test fails.
 */
export const serverNamespaces = [
  'app',
  'appeals',
  'audit',
  'auth',
  'backup',
  'batches',
  'calendar',
  'catalog',
  'disposition',
  'documents',
  'drills',
  'env',
  'evidence',
  'exports',
  'home',
  'host',
  'import',
  'instruments',
  'intake',
  'keys',
  'labels',
  'ledger',
  'lots',
  'methods',
  'oos',
  'qc',
  'recalls',
  'results',
  'retention',
  'samples',
  'scan',
  'settings',
  'setup',
  'shipments',
  'signatures',
  'site',
  'sites',
  'specs',
  'spotChecks',
  'stock',
  'suppliers',
  'trace',
  'trends',
  'transfer',
  'users',
] as const;

/**
 * Channels the workstation handles itself AND forwards: the server needs them too (the
 * connection's language words the server's messages).
 */
export const alsoLocal = new Set<string>(['app.setLocale']);

/** Events that arise at the workstation (its serial connections); every other event comes from the server. */
export const localEvents = new Set<string>([
  'instruments.status',
  'instruments.reading',
  'instruments.traffic',
  'connection.changed',
]);

const serverSet = new Set<string>(serverNamespaces);

/** Where a channel runs on a site workstation; null when the table does not classify it. */
export function routeOf(channel: string): SiteRoute | null {
  if ((benchLocalChannels as ReadonlySet<string>).has(channel)) return 'bench';
  const local = (localChannels as Record<string, { route: SiteRoute }>)[channel];
  if (local) return local.route;
  const ns = channel.split('.')[0] ?? '';
  return serverSet.has(ns) ? 'server' : null;
}

/** True for the channels that must reach this bench's hardware (they keep working while the server is unreachable). */
export function isBenchLocal(channel: string): boolean {
  const r = routeOf(channel);
  return r === 'bench' || r === 'bench-frame';
}
