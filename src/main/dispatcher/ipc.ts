import type { Connection, Dispatcher, Locale } from './dispatcher';
import { channelNames } from '../../shared/contract';

/**
 * The small interface the dispatcher registers against (Bruno's IpcMainLike): Electron's
 * ipcMain satisfies it, and so can a test double. The sender check runs before anything.
 */
export interface IpcSenderFrame {
  readonly url: string;
  readonly parent?: unknown;
}
export interface IpcEventLike {
  readonly senderFrame: IpcSenderFrame | null;
  readonly sender: { readonly id: number };
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

export function registerIpc(
  ipc: IpcMainLike,
  /** The dispatcher, or an object that forwards to the current one (the desktop's key recovery, then the core). */
  dispatcher: Pick<Dispatcher, 'call'>,
  isTrustedSender: (frame: IpcSenderFrame | null) => boolean,
  localeOf: (senderId: number) => Locale,
  onRefusedSender: (info: { channel: string; url: string | null }) => void,
): void {
  for (const name of channelNames) {
    ipc.handle(name, async (event, input) => {
      if (!isTrustedSender(event.senderFrame)) {
        onRefusedSender({ channel: name, url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'bad_sender', messageKey: 'errors.bad_sender' } };
      }
      const conn: Connection = { id: `wc-${event.sender.id}`, locale: localeOf(event.sender.id) };
      return dispatcher.call(conn, name, input);
    });
  }
}
