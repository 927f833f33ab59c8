import type { ChannelName } from '../contract';

/**
 * Channels that run at the workstation even when it works on a site server (issue 23 §3): they
 * talk to the serial ports of the bench the person stands at. A site server has no benchtop
 * instruments and refuses them (`errors.bench_local_channel`); a workstation's RemoteDispatcher
 * keeps them local. The frame half of `instruments.capture` / `instruments.read` also runs at
 * the bench, the record half on the server (branch bench, D-095…): those two channels are not
 * listed here, their split is the bench's.
 */
export const benchLocalChannels: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'instruments.ports',
  'instruments.connect',
  'instruments.disconnect',
  'instruments.command',
  'instruments.terminal.send',
]);
