import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from './index';
import type { Result } from './errors';

/**
 * What the preload exposes as `window.lotseal` and what the harness transport implements:
 * one method per channel, one subscription per event, derived from the contract. There is
 * no generic `invoke(channel)`: a renderer can only call what the contract declares.
 */
export type LotsealBridge = {
  readonly [K in ChannelName]: (input: ChannelInput<K>) => Promise<Result<ChannelOutput<K>>>;
} & {
  readonly on: {
    readonly [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void;
  };
};

/** The Electron IPC channel name of an event (events are pushed main → renderer). */
export function eventChannel(name: EventName): string {
  return `event:${name}`;
}
