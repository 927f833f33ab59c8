import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelNames, eventNames } from '../shared/contract';
import { eventChannel, type LotsealBridge } from '../shared/contract/bridge';

/**
 * window.lotseal: one method per contract channel and one subscription per event, nothing
 * else (style guide §5). There is no generic invoke(channel), no ipcRenderer, no
 * process.env: a compromised page can call exactly what the contract declares, and the main
 * process still validates the sender, the payload and the session on every call.
 *
 * Sandboxed preload: this file is bundled to one CommonJS file that requires only
 * 'electron' (electron.vite.config.ts).
 */

const methods = Object.fromEntries(
  channelNames.map((name) => [name, (input: unknown) => ipcRenderer.invoke(name, input)] as const),
);

const on = Object.fromEntries(
  eventNames.map((name) => {
    const subscribe = (listener: (payload: unknown) => void): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError(`lotseal.on.${name} expects a function`);
      // The page gets the payload only: the IpcRendererEvent carries `sender` (ipcRenderer
      // itself), which would hand the page a generic channel to the main process.
      const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(eventChannel(name), handler);
      return () => {
        ipcRenderer.removeListener(eventChannel(name), handler);
      };
    };
    return [name, subscribe] as const;
  }),
);

// The mapped LotsealBridge type cannot be built key by key without a cast; its shape is
// exactly the two loops above, over the same name lists the type is derived from.
const bridge = Object.freeze({ ...methods, on: Object.freeze(on) }) as unknown as LotsealBridge;

contextBridge.exposeInMainWorld('lotseal', bridge);
