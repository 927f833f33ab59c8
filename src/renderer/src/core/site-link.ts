import { useSyncExternalStore } from 'react';
import type { ConnectionView } from '../../../shared/contract';
import { bridgeUnavailable, getBridge } from './api/bridge';

/**
 * Which record this window works on (issue 23 §3, D-101): this workstation's own database
 * (`embedded`, the default) or a site server, and whether the server can be reached now. One
 * store for the whole window, fed by `connection.status` once and `connection.changed` after
 * that (no polling); the theme (write buttons off), the header's server badge and the
 * unreachable banner read it.
 */
let view: ConnectionView = { mode: 'embedded' };
const listeners = new Set<() => void>();
let started = false;

function set(v: ConnectionView): void {
  view = v;
  for (const l of listeners) l();
}

function start(): void {
  if (started || bridgeUnavailable()) return;
  started = true;
  const bridge = getBridge();
  bridge.on['connection.changed']((v) => set(v));
  void bridge['connection.status']({}).then((r) => {
    if (r.ok) set(r.data);
  });
}

function subscribe(l: () => void): () => void {
  start();
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSiteLink(): ConnectionView {
  return useSyncExternalStore(subscribe, () => view);
}

/** True while a site workstation cannot save: the server is not connected (connecting, unreachable, refused). */
export function writesBlocked(v: ConnectionView): boolean {
  return v.mode === 'site' && v.state !== 'connected';
}
