import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, posix, win32 } from 'node:path';

/**
 * Where the desktop keeps its records (issue 24 §5, docs/decisions.md D-042).
 *
 * A bench PC in a QA lab is used by several people, often under several OS accounts, and the
 * lab has one ledger, not one per account. So the data folder is per machine:
 *
 *   Windows  %ProgramData%\LotSeal        (C:\ProgramData\LotSeal; the installer grants Users "modify")
 *   Linux    /var/lib/lotseal             (the .deb creates it: group lotseal, setgid, 2770)
 *   macOS    /Library/Application Support/LotSeal
 *
 * `LOTSEAL_DATA_DIR` overrides it (a test, a second site database). A database left in the
 * per-user folder of an older version (`%APPDATA%\LotSeal`, `~/.config/LotSeal`) is used
 * where it is, with a notice, rather than silently starting an empty ledger beside it.
 *
 * SQLite's WAL needs shared memory and byte-range locks that network file systems do not
 * provide reliably: a database on an SMB/NFS share can be corrupted, and the audit trail's
 * guarantees with it. Such a folder is refused with a message (networkShareReason).
 *
 * Pure Node: the rules are unit tested with the platform and file system passed in.
 */
export interface LocationEnv {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly exists?: (path: string) => boolean;
}

export interface DataLocation {
  readonly dir: string;
  /** env: LOTSEAL_DATA_DIR; machine: the per-machine default; legacy: an older per-user folder that holds a database. */
  readonly source: 'env' | 'machine' | 'legacy';
  /** The per-machine folder the app would have used (shown in the legacy notice). */
  readonly machineDir: string;
}

export function machineDataDir(platform: NodeJS.Platform, env: LocationEnv['env']): string {
  if (platform === 'win32') return win32.join(env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'LotSeal');
  if (platform === 'darwin') return posix.join('/Library', 'Application Support', 'LotSeal');
  return '/var/lib/lotseal';
}

/** The per-user folder older versions used (Electron's userData for "LotSeal"). */
export function legacyUserDataDir(platform: NodeJS.Platform, env: LocationEnv['env'], home: string): string {
  if (platform === 'win32') return win32.join(env['APPDATA'] ?? win32.join(home, 'AppData', 'Roaming'), 'LotSeal');
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', 'LotSeal');
  return posix.join(env['XDG_CONFIG_HOME'] ?? posix.join(home, '.config'), 'LotSeal');
}

export function chooseDataDir(e: LocationEnv): DataLocation {
  const exists = e.exists ?? existsSync;
  const machineDir = machineDataDir(e.platform, e.env);
  const fromEnv = e.env['LOTSEAL_DATA_DIR'];
  if (fromEnv) return { dir: fromEnv, source: 'env', machineDir };
  const join_ = e.platform === 'win32' ? win32.join : posix.join;
  const legacy = legacyUserDataDir(e.platform, e.env, e.home);
  if (!exists(join_(machineDir, 'lotseal.db')) && exists(join_(legacy, 'lotseal.db'))) {
    return { dir: legacy, source: 'legacy', machineDir };
  }
  return { dir: machineDir, source: 'machine', machineDir };
}

/** File systems whose locking SQLite's WAL mode cannot rely on. */
const NETWORK_FS = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'ncpfs',
  'afs',
  '9p',
  'sshfs',
  'fuse.sshfs',
  'davfs',
  'fuse.davfs2',
  'glusterfs',
  'fuse.glusterfs',
  'ceph',
  'fuse.ceph',
  'lustre',
  'gpfs',
  'fuse.rclone',
  'fuse.s3fs',
]);

export interface ShareProbe {
  readonly platform: NodeJS.Platform;
  /** Resolves a path as the OS sees it (Windows: a mapped drive becomes \\server\share). */
  readonly realpath?: (path: string) => string;
  /** /proc/self/mounts (Linux). */
  readonly mounts?: () => string;
  readonly exists?: (path: string) => boolean;
}

/** The nearest folder of `p` that exists (the data folder may not exist yet on a first start). */
function nearestExisting(p: string, exists: (p: string) => boolean): string {
  let dir = p;
  for (let i = 0; i < 64 && !exists(dir); i++) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

function isUnc(p: string): boolean {
  const s = p.replace(/\//g, '\\');
  if (/^\\\\\?\\UNC\\/i.test(s)) return true;
  if (/^\\\\[?.]\\/.test(s)) return false;
  return /^\\\\[^\\]+\\[^\\]+/.test(s);
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Why `dir` is on a network share, or null when it is local. Windows: a UNC path, directly or
 * behind a mapped drive letter or a redirected folder; Linux: the file system type of the
 * mount that holds it.
 */
export function networkShareReason(dir: string, probe: ShareProbe): string | null {
  const exists = probe.exists ?? existsSync;
  if (probe.platform === 'win32') {
    if (isUnc(dir)) return `${dir} is a network path`;
    const real = (() => {
      try {
        return (probe.realpath ?? ((p: string) => realpathSync.native(p)))(nearestExisting(dir, exists));
      } catch {
        return null;
      }
    })();
    if (real && isUnc(real)) return `${dir} is on the network share ${real}`;
    return null;
  }
  if (probe.platform !== 'linux') return null;
  let text: string;
  try {
    text = (probe.mounts ?? (() => readFileSync('/proc/self/mounts', 'utf8')))();
  } catch {
    return null;
  }
  let real = nearestExisting(dir, exists);
  try {
    real = (probe.realpath ?? ((p: string) => realpathSync(p)))(real);
  } catch {
    // keep the path as given
  }
  let best: { point: string; type: string; source: string } | null = null;
  for (const line of text.split('\n')) {
    const [source, point, type] = line.split(' ');
    if (!source || !point || !type) continue;
    const mp = unescapeMount(point);
    const inside = mp === '/' || real === mp || real.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
    if (inside && (!best || mp.length > best.point.length)) best = { point: mp, type, source: unescapeMount(source) };
  }
  if (best && NETWORK_FS.has(best.type))
    return `${dir} is on a ${best.type} network mount (${best.source} at ${best.point})`;
  return null;
}

/** A Chromium profile folder per data folder (the single-instance lock follows it, D-019). */
export function profileName(dataDir: string): string {
  let h = 0x811c9dc5;
  for (const ch of dataDir.toLowerCase()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `profile-${h.toString(16).padStart(8, '0')}`;
}
