import WebSocket from 'ws';
import type {
  AppError,
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
  Result,
} from '../../src/shared/contract';
import type { Link, PlantHost } from '../fixtures/plant/host';

/** A refused call, with the contract's error value (code, messageKey, details). */
export class ContractError extends Error {
  constructor(
    readonly channel: string,
    readonly error: AppError,
  ) {
    super(`${channel}: ${error.code} ${error.messageKey} ${JSON.stringify(error.details ?? {})}`);
  }
}

/**
 * One harness connection speaking the contract, as the renderer does (same socket, same
 * token, one session per connection). Journeys use it to seed what a person would have
 * done on another workstation (a technician entering results), so the browser part of the
 * test only shows the screens under test.
 */
export class ContractClient implements Link {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private readonly listeners = new Set<(name: string, payload: unknown) => void>();

  private constructor(
    private readonly ws: WebSocket,
    private readonly locale: 'en' | 'zh-CN',
  ) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as {
        t?: string;
        id?: number;
        result?: Result<unknown>;
        name?: string;
        payload?: unknown;
      };
      if (msg.t === 'event' && typeof msg.name === 'string') {
        for (const l of this.listeners) l(msg.name, msg.payload);
        return;
      }
      if (msg.t !== 'result' || typeof msg.id !== 'number') return;
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve?.(msg.result ?? { ok: false, error: { code: 'internal', messageKey: 'errors.internal' } });
    });
  }

  /** `http://127.0.0.1:PORT/#token=…` (the harness link) → a connected client. */
  static async connect(harnessUrl: string, locale: 'en' | 'zh-CN' = 'en'): Promise<ContractClient> {
    const u = new URL(harnessUrl);
    const token = /token=([^&]+)/.exec(u.hash)?.[1] ?? '';
    const ws = new WebSocket(`ws://${u.host}/ws?token=${token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ContractClient(ws, locale);
  }

  /** The harness as a host of the plant fixtures (tests/fixtures/plant): each connection a new client. */
  static host(harnessUrl: string, locale: 'en' | 'zh-CN' = 'en'): PlantHost<ContractClient> {
    return { connect: () => ContractClient.connect(harnessUrl, locale) };
  }

  /** Events the harness sends this connection (`{ t: 'event', name, payload }`). */
  onEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
    const l = (n: string, payload: unknown): void => {
      if (n === name) handler(payload as EventPayload<E>);
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
    const id = this.nextId++;
    const result = await new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'call', id, channel, input, locale: this.locale }));
    });
    if (!result.ok) throw new ContractError(channel, result.error);
    return result.data as ChannelOutput<K>;
  }

  /** Signs in (and, on a first sign-in, replaces the temporary password). */
  async signIn(userId: string, password: string, newPassword?: string): Promise<void> {
    const s = await this.call('auth.signIn', { userId, password });
    if (s.mustChangePassword && newPassword)
      await this.call('auth.changePassword', { currentPassword: password, newPassword });
  }

  close(): void {
    this.ws.close();
  }
}
