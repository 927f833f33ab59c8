/**
 * The per-machine data folder and the network-share refusal (issue 24 §5, D-042), for
 * Windows and Linux, with the platform and the file system passed in.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseDataDir,
  machineDataDir,
  networkShareReason,
  profileName,
} from '../../src/main/workstation/data-location';

const winEnv = { ProgramData: 'C:\\ProgramData', APPDATA: 'C:\\Users\\wang\\AppData\\Roaming' };

describe('data folder', () => {
  it('is per machine: %ProgramData%\\LotSeal on Windows, /var/lib/lotseal on Linux', () => {
    expect(machineDataDir('win32', winEnv)).toBe('C:\\ProgramData\\LotSeal');
    expect(machineDataDir('win32', {})).toBe('C:\\ProgramData\\LotSeal');
    expect(machineDataDir('linux', {})).toBe('/var/lib/lotseal');
    expect(chooseDataDir({ platform: 'win32', env: winEnv, home: 'C:\\Users\\wang', exists: () => false })).toEqual({
      dir: 'C:\\ProgramData\\LotSeal',
      source: 'machine',
      machineDir: 'C:\\ProgramData\\LotSeal',
    });
  });
  it('LOTSEAL_DATA_DIR overrides it', () => {
    expect(chooseDataDir({ platform: 'linux', env: { LOTSEAL_DATA_DIR: '/srv/site2' }, home: '/home/wang' }).dir).toBe(
      '/srv/site2',
    );
  });
  it('keeps using a database an older version left in the per-user folder, and says so', () => {
    const exists = (p: string) => p === 'C:\\Users\\wang\\AppData\\Roaming\\LotSeal\\lotseal.db';
    expect(chooseDataDir({ platform: 'win32', env: winEnv, home: 'C:\\Users\\wang', exists })).toMatchObject({
      dir: 'C:\\Users\\wang\\AppData\\Roaming\\LotSeal',
      source: 'legacy',
    });
    const both = (p: string) => p.endsWith('lotseal.db');
    expect(chooseDataDir({ platform: 'win32', env: winEnv, home: 'C:\\Users\\wang', exists: both }).source).toBe(
      'machine',
    );
    const linuxLegacy = (p: string) => p === '/home/wang/.config/LotSeal/lotseal.db';
    expect(chooseDataDir({ platform: 'linux', env: {}, home: '/home/wang', exists: linuxLegacy }).dir).toBe(
      '/home/wang/.config/LotSeal',
    );
  });
  it('one Chromium profile per data folder, case-insensitively', () => {
    expect(profileName('C:\\ProgramData\\LotSeal')).toBe(profileName('c:\\programdata\\lotseal'));
    expect(profileName('/var/lib/lotseal')).not.toBe(profileName('/srv/site2'));
    expect(profileName('/x')).toMatch(/^profile-[0-9a-f]{8}$/);
  });
});

describe('network shares are refused', () => {
  it('Windows: UNC paths, and drive letters or redirected folders that resolve to one', () => {
    const p = { platform: 'win32' as const, exists: () => true };
    expect(networkShareReason('\\\\fileserver\\qa\\LotSeal', { ...p, realpath: (x) => x })).toContain('network path');
    expect(networkShareReason('//fileserver/qa/LotSeal', { ...p, realpath: (x) => x })).toContain('network path');
    expect(networkShareReason('Z:\\LotSeal', { ...p, realpath: () => '\\\\fileserver\\qa\\LotSeal' })).toContain(
      '\\\\fileserver\\qa',
    );
    expect(networkShareReason('C:\\ProgramData\\LotSeal', { ...p, realpath: (x) => x })).toBeNull();
    expect(networkShareReason('\\\\?\\C:\\ProgramData\\LotSeal', { ...p, realpath: (x) => x })).toBeNull();
    expect(networkShareReason('\\\\?\\UNC\\fileserver\\qa', { ...p, realpath: (x) => x })).toContain('network path');
  });
  it('Linux: the file system of the mount that holds the folder (or its nearest existing parent)', () => {
    const mounts = [
      '/dev/sda1 / ext4 rw,relatime 0 0',
      '//fileserver/qa /mnt/qa cifs rw,vers=3.0 0 0',
      'nas:/export /srv/nfs nfs4 rw 0 0',
      '/dev/sdb1 /mnt/qa/local\\040disk ext4 rw 0 0',
      'tmpfs /run tmpfs rw 0 0',
    ].join('\n');
    const probe = (existing: string[]) => ({
      platform: 'linux' as const,
      mounts: () => mounts,
      realpath: (x: string) => x,
      exists: (x: string) => existing.includes(x),
    });
    expect(networkShareReason('/var/lib/lotseal', probe(['/var/lib/lotseal']))).toBeNull();
    expect(networkShareReason('/mnt/qa/LotSeal', probe(['/mnt/qa']))).toContain('cifs');
    expect(networkShareReason('/srv/nfs/lab/lotseal', probe(['/srv/nfs/lab/lotseal']))).toContain('nfs4');
    expect(networkShareReason('/mnt/qa/local disk/lotseal', probe(['/mnt/qa/local disk']))).toBeNull();
    expect(networkShareReason('/mnt/qaX/lotseal', probe(['/mnt/qaX']))).toBeNull();
  });
});
