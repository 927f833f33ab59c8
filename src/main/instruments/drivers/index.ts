/**
 * Driver registry (issue 10 §2; ../shared/reference/reference-data.md §4): the three balance
 * protocols are stateless singletons; a print-format driver is built per connection from its
 * configuration (its parse() keeps the open record).
 */
import { mtSicsDriver } from './mt-sics';
import { ohausDriver } from './ohaus';
import { createPrintDriver } from './print-format';
import { sbiDriver } from './sbi';
import type { Driver, DriverId } from './types';

export const driverIds = ['mt-sics', 'sbi', 'ohaus', 'print'] as const satisfies readonly DriverId[];

export const drivers: { readonly 'mt-sics': Driver; readonly sbi: Driver; readonly ohaus: Driver } = {
  'mt-sics': mtSicsDriver,
  sbi: sbiDriver,
  ohaus: ohausDriver,
};

/**
 * The driver for `id`. For 'print', `printConfig` is validated (an invalid one throws) and a
 * fresh stateful driver is returned; without one, a driver that reads nothing (for its
 * defaults only). `printConfig` is ignored for the other drivers.
 */
export function driverFor(id: DriverId, printConfig?: unknown): Driver {
  if (id === 'print') return createPrintDriver(printConfig ?? undefined);
  return drivers[id];
}

export type { Driver, DriverId, Framer, Parsed, ReadingError, SerialSettings } from './types';
