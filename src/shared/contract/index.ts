import type { z } from 'zod';
import type { ChannelDef, EventDef } from './define';
import { systemChannels, systemEvents } from './channels/system';
import { identityChannels, settingsChannels } from './channels/identity';
import { ledgerChannels } from './channels/ledger';
import { catalogChannels } from './channels/catalog';
import { lotsChannels } from './channels/lots';
import { traceChannels } from './channels/trace';
import { documentsChannels } from './channels/documents';
import { samplesChannels } from './channels/samples';
import { testingChannels } from './channels/testing';
import { intakeChannels } from './channels/intake';
import { environmentChannels } from './channels/environment';
import { instrumentsChannels, instrumentsEvents } from './channels/instruments';
import { dispositionChannels } from './channels/disposition';
import { recallChannels } from './channels/recall';
import { trustChannels } from './channels/trust';
import { releaseEvidenceChannels } from './channels/release-evidence';
import { workstationChannels } from './channels/workstation';
import { homeChannels } from './channels/home';
import { connectionChannels, connectionEvents } from './channels/connection';
import { transferChannels } from './channels/transfer';

/**
 * The contract: every channel declared once (input, output, access). The preload, the
 * renderer client, the dispatcher's handler table and the role matrix test all derive from
 * this object, so a channel cannot exist in one place only.
 */
export const contract = {
  ...systemChannels,
  ...identityChannels,
  ...settingsChannels,
  ...ledgerChannels,
  ...catalogChannels,
  ...lotsChannels,
  ...traceChannels,
  ...documentsChannels,
  ...samplesChannels,
  ...testingChannels,
  ...intakeChannels,
  ...environmentChannels,
  ...instrumentsChannels,
  ...dispositionChannels,
  ...recallChannels,
  ...trustChannels,
  ...releaseEvidenceChannels,
  ...workstationChannels,
  ...homeChannels,
  ...connectionChannels,
  ...transferChannels,
} as const satisfies Record<string, ChannelDef>;

export const events = {
  ...systemEvents,
  ...instrumentsEvents,
  ...connectionEvents,
} as const satisfies Record<string, EventDef>;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type EventName = keyof typeof events;
export type ChannelInput<K extends ChannelName> = z.input<Contract[K]['input']>;
export type ChannelParsedInput<K extends ChannelName> = z.output<Contract[K]['input']>;
export type ChannelOutput<K extends ChannelName> = z.output<Contract[K]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]['payload']>;

export const channelNames = Object.keys(contract) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export * from './errors';
export * from './define';
export * from './common';
export * from './channels/system';
export * from './channels/identity';
export * from './channels/ledger';
export * from './channels/catalog';
export * from './channels/lots';
export * from './channels/trace';
export * from './channels/documents';
export * from './channels/samples';
export * from './channels/connection';
export * from './channels/transfer';
