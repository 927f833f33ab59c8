import { describe, expect, it } from 'vitest';
import { channelNames, contract, eventNames } from '../../src/shared/contract';
import { benchLocalChannels } from '../../src/shared/site/bench-local';
import { localChannels, localEvents, routeOf, serverNamespaces, isBenchLocal } from '../../src/shared/site/routing';

/**
 * The routing table of a site workstation (issue 23 §3, D-099): every channel of the
 * contract runs in exactly one place, and a new channel (or a new namespace) cannot reach a
 * workstation without someone classifying it here.
 */
describe('site routing table', () => {
  it('classifies every channel of the contract', () => {
    const unclassified = channelNames.filter((c) => routeOf(c) === null);
    expect(unclassified).toEqual([]);
  });

  it('names only channels that exist', () => {
    for (const c of Object.keys(localChannels)) expect(channelNames, c).toContain(c);
    for (const e of localEvents) expect(eventNames as readonly string[], e).toContain(e);
    // Every server namespace still has a channel (no dead rows that would classify a future stranger).
    const namespaces = new Set(channelNames.map((c) => c.split('.')[0]));
    for (const ns of serverNamespaces) expect(namespaces.has(ns), ns).toBe(true);
  });

  it('keeps the serial hardware at the bench and the record on the server', () => {
    for (const c of [
      'instruments.ports',
      'instruments.connect',
      'instruments.disconnect',
      'instruments.command',
      'instruments.terminal.send',
    ] as const)
      expect(routeOf(c), c).toBe('bench');
    // The server refuses exactly the bench's serial channels (src/shared/site/bench-local.ts).
    expect([...benchLocalChannels].sort()).toEqual(channelNames.filter((c) => routeOf(c) === 'bench').sort());
    expect(routeOf('instruments.capture')).toBe('bench-frame');
    expect(routeOf('instruments.read')).toBe('bench-frame');
    // The instrument register, its checks and calibrations are records: on the server.
    for (const c of [
      'instruments.list',
      'instruments.get',
      'instruments.save',
      'instruments.dailyCheck',
      'instruments.calibration',
    ] as const)
      expect(routeOf(c), c).toBe('server');
    expect(isBenchLocal('instruments.capture')).toBe(true);
    expect(isBenchLocal('results.enter')).toBe(false);
  });

  it('sends every channel that writes records or authenticates a person to the server', () => {
    // Sign-in and signatures are at the server: the person's password never stays at a workstation.
    for (const c of ['auth.signIn', 'auth.unlock', 'auth.changePassword', 'users.resetPassword'] as const)
      expect(routeOf(c), c).toBe('server');
    const localWriters = channelNames.filter(
      (c) => contract[c].writes && routeOf(c) !== 'server' && routeOf(c) !== 'bench-frame',
    );
    // The bench's own writes are frames, which the server stores; nothing else writes locally.
    expect(localWriters).toEqual([]);
  });
});
