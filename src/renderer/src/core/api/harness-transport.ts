import { channelNames, eventNames, type AppError, type Result } from '../../../../shared/contract';
import type { LotsealBridge } from '../../../../shared/contract/bridge';

/** Where the harness token lives once it has been taken out of the address bar. */
export const HARNESS_TOKEN_KEY = 'lotseal.harnessToken';

/**
 * The harness opens the page as `http://127.0.0.1:PORT/#token=…`. The token is moved to
 * sessionStorage (it survives a reload of this tab, not a copy of the URL) and removed from
 * the visible address so it does not end up in screenshots or bookmarks.
 */
export function takeHarnessToken(): string | null {
  const match = /(?:^#|[#&?])token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(HARNESS_TOKEN_KEY, decodeURIComponent(match[1]));
    window.history.replaceState(null, '', window.location.pathname + window.location.search + '#/');
  }
  return sessionStorage.getItem(HARNESS_TOKEN_KEY);
}

type Listener = (payload: unknown) => void;

interface Pending {
  resolve: (r: Result<unknown>) => void;
  message: string;
  sent: boolean;
}

const connectionLost: AppError = { code: 'internal', messageKey: 'errors.connection_lost' };

/**
 * The browser harness speaks the contract over one WebSocket. Calls made while the socket
 * is down wait for it; a call already sent when the socket drops is answered with
 * `connection_lost` rather than re-sent, because re-sending a write could record it twice.
 */
export class HarnessTransport {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private attempt = 0;

  constructor(
    private readonly url: string,
    private readonly getLocale: () => string,
  ) {
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      for (const p of this.pending.values()) {
        if (!p.sent) {
          ws.send(p.message);
          p.sent = true;
        }
      }
    };
    ws.onmessage = (ev: MessageEvent) => this.receive(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [id, p] of this.pending) {
        if (p.sent) {
          this.pending.delete(id);
          p.resolve({ ok: false, error: connectionLost });
        }
      }
      // Back off 0.5 s, 1 s, 2 s … up to 10 s: a restarted harness is found quickly, a dead one is not hammered.
      const delay = Math.min(10_000, 500 * 2 ** this.attempt);
      this.attempt += 1;
      window.setTimeout(() => this.connect(), delay);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: { t?: string; id?: number; result?: Result<unknown>; name?: string; payload?: unknown };
    try {
      msg = JSON.parse(data) as typeof msg;
    } catch {
      return;
    }
    if (msg === null || typeof msg !== 'object') return;
    if (msg.t === 'result' && typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      p.resolve(msg.result ?? { ok: false, error: { code: 'internal', messageKey: 'errors.internal' } });
    } else if (msg.t === 'event' && typeof msg.name === 'string') {
      for (const l of this.listeners.get(msg.name) ?? []) l(msg.payload);
    }
  }

  call(channel: string, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    const message = JSON.stringify({ t: 'call', id, channel, input, locale: this.getLocale() });
    return new Promise((resolve) => {
      const p: Pending = { resolve, message, sent: false };
      this.pending.set(id, p);
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(message);
        p.sent = true;
      }
    });
  }

  subscribe(name: string, listener: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** The same shape as the Electron preload: one method per channel, one subscription per event. */
  toBridge(): LotsealBridge {
    const bridge: Record<string, unknown> = {};
    for (const name of channelNames) bridge[name] = (input: unknown) => this.call(name, input);
    const on: Record<string, unknown> = {};
    for (const name of eventNames) on[name] = (listener: Listener) => this.subscribe(name, listener);
    bridge.on = Object.freeze(on);
    return Object.freeze(bridge) as unknown as LotsealBridge;
  }
}
