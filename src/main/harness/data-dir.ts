import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder outside Electron: the same place Electron's `userData` uses for "LotSeal". */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? homedir(), 'LotSeal');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'LotSeal');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'LotSeal');
}
