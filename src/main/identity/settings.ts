import type { Settings } from '../../shared/contract/channels/identity';
import { E } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { storedSettings } from './queries';

export const defaultSettings: Settings = {
  idleTimeoutMinutes: 15,
  passwordExpiryDays: 180,
  clockSkewMinutes: 5,
  verifyEveryHours: 24,
  backupFolder: null,
  backupEveryHours: 24,
};

const SETTINGS_ID = 'global';

export class SettingsService {
  private cache: Settings | null = null;
  constructor(private readonly ledger: Ledger) {}

  get(): Settings {
    if (this.cache) return this.cache;
    const row = this.ledger.get(E.setting, SETTINGS_ID);
    this.cache = row
      ? { ...defaultSettings, ...storedSettings(row) }
      : { ...defaultSettings };
    return this.cache;
  }

  set(w: LedgerWriter, value: Settings, reason: string): Settings {
    const json = JSON.stringify(value);
    if (this.ledger.get(E.setting, SETTINGS_ID)) w.update(E.setting, SETTINGS_ID, { value: json }, { reason });
    else w.create(E.setting, { value: json }, { id: SETTINGS_ID, reason });
    this.cache = null;
    return value;
  }

  invalidate(): void {
    this.cache = null;
  }
}
