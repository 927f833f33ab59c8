import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Where this workstation's clock comes from, as a signed frame records it (issue 23 §4, D-096):
 * `ntp-synchronized` (the OS says its clock is synchronised to a time server), `ntp-unsynchronized`
 * (a time service runs but is not synchronised), `local` (no time service: the board's clock),
 * or `unknown` (the OS could not say). Asked once, without blocking (the answer is cached).
 */
export type ClockSource = 'ntp-synchronized' | 'ntp-unsynchronized' | 'local' | 'unknown';

function run(cmd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile(cmd, args, { timeout: 3000, windowsHide: true }, (err, stdout) => resolve(err ? null : String(stdout)));
    } catch {
      resolve(null);
    }
  });
}

export async function detectClockSource(platform: NodeJS.Platform = process.platform): Promise<ClockSource> {
  if (platform === 'linux') {
    // systemd-timesyncd and chrony/ntpd (through timedated) both answer NTPSynchronized.
    if (existsSync('/run/systemd/timesync/synchronized')) return 'ntp-synchronized';
    const out = await run('timedatectl', ['show', '-p', 'NTPSynchronized', '-p', 'NTP', '--value']);
    if (out === null) return 'unknown';
    const [synced, ntp] = out.trim().split('\n');
    if (synced === 'yes') return 'ntp-synchronized';
    return ntp === 'yes' ? 'ntp-unsynchronized' : 'local';
  }
  if (platform === 'win32') {
    const out = await run('w32tm', ['/query', '/status']);
    if (out === null) return 'unknown';
    const source = /Source:\s*(.+)/i.exec(out)?.[1]?.trim() ?? '';
    if (!source || /Local CMOS Clock|Free-running/i.test(source)) return 'local';
    return 'ntp-synchronized';
  }
  return 'unknown';
}
