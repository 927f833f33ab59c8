import { useEffect, useEffectEvent } from 'react';
import { useMutation, useQuery, type UseMutationOptions, type UseQueryOptions } from '@tanstack/react-query';
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from '../../../../shared/contract';
import { getBridge } from './bridge';
import { call, type ApiError } from './client';

export function callKey<K extends ChannelName>(name: K, input: ChannelInput<K>): readonly [K, ChannelInput<K>] {
  return [name, input] as const;
}

/** A read channel as a TanStack query; the key is `[channel, input]`. */
export function useCall<K extends ChannelName>(
  name: K,
  input: ChannelInput<K>,
  options?: Omit<
    UseQueryOptions<ChannelOutput<K>, ApiError, ChannelOutput<K>, readonly [K, ChannelInput<K>]>,
    'queryKey' | 'queryFn'
  >,
) {
  return useQuery({ queryKey: callKey(name, input), queryFn: () => call(name, input), ...options });
}

/** A write channel as a TanStack mutation. */
export function useMutationCall<K extends ChannelName>(
  name: K,
  options?: Omit<UseMutationOptions<ChannelOutput<K>, ApiError, ChannelInput<K>>, 'mutationFn'>,
) {
  return useMutation({ mutationFn: (input: ChannelInput<K>) => call(name, input), ...options });
}

/** Subscribe to a contract event for the lifetime of the component. */
export function useEvent<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    const on = getBridge().on[name] as unknown as (l: (p: EventPayload<E>) => void) => () => void;
    return on((payload) => onEvent(payload));
  }, [name]);
}
