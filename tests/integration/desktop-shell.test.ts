/**
 * The desktop app's main process, run from its BUILT bundle (out/main/index.js) in Node with a
 * STAND-IN `electron` module (tests/helpers/electron-stand-in.cjs) — a test of LotSeal's
 * main-process code, not of Electron (issue 24 §8). It needs `npm run build` (scripts/test-all.mjs
 * builds before the integration step).
 *
 * One workstation plays a packaged install whose better-sqlite3 is NOT node_modules' build but
 * resources/native/better_sqlite3.node, and in every thread (main and workers) the default build
 * is made unloadable: whatever opens SQLite without the desktop's binding fails. On it: first
 * run, sign-in, a label printed and the stored PDF opened and printed, full verification in
 * workers, a backup, a restore, an ERP import in its worker. Then the failure paths: a key the
 * OS cannot open (another account), no keyring on a first start, a second launch, the window's
 * crash / load / preload failures, a window that never becomes ready, a start that cannot
 * succeed — each must end in a dialog or screen that says why, with the log file, never a
 * silent exit.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_SIGNATURE, tempDir } from '../helpers/core';
import { HANG_CAP_MS } from '../helpers/hang-cap';
import { DesktopProcess, MAIN_BUNDLE, osAccount, type StandInConfig } from '../helpers/desktop-process';

const root = resolve(__dirname, '..', '..');
const sha256 = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** The build must be current: a stale bundle would test yesterday's code. */
function assertBuilt(): void {
  if (!existsSync(MAIN_BUNDLE)) throw new Error('out/main/index.js is missing: run `npm run build` first');
  const built = statSync(MAIN_BUNDLE).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
    }, 0);
  const src = Math.max(newest(join(root, 'src', 'main')), newest(join(root, 'src', 'shared')));
  if (src > built) throw new Error('out/main/index.js is older than src/main or src/shared: run `npm run build` first');
}

let work: ReturnType<typeof tempDir>;
let resources: string;
let altBinding: string;

beforeAll(() => {
  assertBuilt();
  work = tempDir('lotseal-desktop-');
  // A packaged layout: resources/native holds the desktop's better-sqlite3 (here a copy of the
  // Node build at another path; Electron's own build in a real install), resources/resources
  // the spec packs.
  resources = join(work.dir, 'install', 'resources');
  mkdirSync(join(resources, 'native'), { recursive: true });
  altBinding = join(resources, 'native', 'better_sqlite3.node');
  copyFileSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), altBinding);
  cpSync(join(root, 'resources'), join(resources, 'resources'), { recursive: true });
});
afterAll(async () => {
  await DesktopProcess.stopAll();
  work?.cleanup();
});

function config(name: string, extra: Partial<StandInConfig> = {}): StandInConfig {
  const home = join(work.dir, name, 'home');
  mkdirSync(home, { recursive: true });
  return { home, appData: join(home, 'AppData'), packaged: true, resourcesPath: resources, ...extra };
}

describe('the desktop main process (built bundle, stand-in electron)', () => {
  const dataDir = (): string => join(work.dir, 'plant-data');
  const alice = osAccount();
  let app: DesktopProcess;
  let recoveryCode = '';
  let labelDoc: { documentId: string; sha256: string } | null = null;
  let backupFile = '';

  it('first run: the key is made and sealed by the OS, the first administrator is created, sign-in works', async () => {
    app = DesktopProcess.start(work.dir, 'first', config('alice', { osAccountKey: alice }), {
      LOTSEAL_DATA_DIR: dataDir(),
    });
    await app.windowLoaded();
    expect(await app.ok('app.status', {})).toMatchObject({
      initialized: false,
      error: null,
      host: expect.stringMatching(/^desktop@/),
    });
    const setup = await app.ok('app.setup', { userId: 'admin', printedName: '管理员 Admin', password: ADMIN_PASSWORD });
    recoveryCode = setup.recoveryCode;
    expect(recoveryCode).toMatch(/\S/);
    expect(await app.ok('auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD })).toMatchObject({
      userId: 'admin',
    });
    const key = JSON.parse(readFileSync(join(dataDir(), 'keys', 'desktop.key.json'), 'utf8')) as {
      sealed: { kdf: string };
    };
    expect(key.sealed.kdf).toBe('safeStorage');
    expect(await app.ok('hostKey.status', {})).toMatchObject({ state: 'open', seal: 'os' });
    const s = await app.state();
    // Local crash dumps, never uploaded; the profile per account and data folder; logs in the data folder.
    expect(s.crashReporter).toMatchObject({ uploadToServer: false });
    expect(s.paths['crashDumps']).toBe(join(dataDir(), 'crashes'));
    expect(s.paths['userData']).toMatch(/AppData\/LotSeal\/profile-[0-9a-f]{8}$/);
    expect(readdirSync(join(dataDir(), 'logs')).some((f) => /^main-.*\.log$/.test(f))).toBe(true);
    expect(readFileSync(join(dataDir(), 'logs', readdirSync(join(dataDir(), 'logs'))[0]!), 'utf8')).toContain(
      `better-sqlite3 binding: ${altBinding}`,
    );
  });

  it('refuses a sub-frame or a foreign page as sender', async () => {
    const win = (await app.state()).mainWindow as unknown as { url: string };
    expect(await app.invoke('app.status', {}, { frame: { url: win.url, parent: { url: win.url } } })).toMatchObject({
      ok: false,
      error: { code: 'bad_sender' },
    });
    expect(await app.invoke('app.status', {}, { frame: { url: 'https://evil.example/', parent: null } })).toMatchObject(
      {
        ok: false,
        error: { code: 'bad_sender' },
      },
    );
  });

  it('prints a label (Electron printToPDF) and opens and prints the stored document through documents.open', async () => {
    await app.ok('users.create', {
      userId: 'qa.sun',
      printedName: '孙质量',
      roles: ['qa_manager'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    await app.ok('users.create', {
      userId: 'tech.zhou',
      printedName: '周技术',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    for (const [user, sender] of [
      ['qa.sun', 2],
      ['tech.zhou', 3],
    ] as const) {
      await app.ok('auth.signIn', { userId: user, password: 'initial-password-1' }, { sender });
      await app.ok(
        'auth.changePassword',
        { currentPassword: 'initial-password-1', newPassword: 'user-password-01' },
        { sender },
      );
    }
    await app.ok(
      'sites.save',
      {
        fields: {
          code: 'Z1-FILLER-01',
          nameZh: '灌装机料斗内壁',
          nameEn: 'Filler hopper wall',
          kind: 'environment',
          zone: 1,
          line: 'Line 2',
          room: 'Filling room',
          active: true,
        },
      },
      { sender: 2 },
    );
    const reg = await app.ok(
      'samples.register',
      {
        kind: 'environmental_swab',
        siteCode: 'Z1-FILLER-01',
        samplingPoint: '料斗内壁',
        targets: ['cronobacter'],
        quantity: '1',
        unit: 'pcs',
        container: 'swab tube',
      },
      { sender: 3 },
    );
    const label = await app.ok(
      'samples.printLabel',
      { code: reg.sample.code, size: '60x40', locale: 'zh-CN' },
      { sender: 3 },
    );
    labelDoc = { documentId: label.documentId, sha256: label.sha256 };
    const stored = join(dataDir(), 'documents', `${label.sha256}.pdf`);
    expect(sha256(stored)).toBe(label.sha256);
    expect(readFileSync(stored).subarray(0, 5).toString()).toBe('%PDF-');

    await app.ok('documents.open', { ref: { kind: 'document', id: label.documentId }, action: 'open' }, { sender: 3 });
    await app.ok('documents.open', { ref: { kind: 'document', id: label.documentId }, action: 'print' }, { sender: 3 });
    const s = await app.state();
    expect(s.openPath).toEqual([stored]);
    expect(s.printed.map((p) => p.url)).toEqual([`file://${stored}`]);
  });

  it('runs the full verification in worker threads on the desktop binding', async () => {
    // The desktop starts its own scheduled verification 30 s after it starts (none has run yet on
    // a new database); on a loaded machine the test can get here while it runs, and the app
    // rightly refuses a second one (errors.verify_running; it happened in one of two clean clones
    // run at the same time). Then wait until the app says it is no longer verifying and ask
    // again — on the app's state, never on time (as site-serve.test.ts does for the server).
    let started = await app.invoke('ledger.verify', {});
    for (let i = 0; i < 3 && !started.ok && started.error.messageKey === 'errors.verify_running'; i++) {
      await expect
        .poll(
          async () => {
            const st = await app.invoke('ledger.status', {});
            return st.ok ? st.data.state : `error: ${JSON.stringify(st.error)}`;
          },
          { timeout: HANG_CAP_MS, interval: 200 },
        )
        .not.toBe('verifying');
      started = await app.invoke('ledger.verify', {});
    }
    if (!started.ok) throw new Error(`ledger.verify: ${JSON.stringify(started.error)}`);
    const { jobId } = started.data;
    const done = await app.job(jobId);
    expect(done.error).toBeNull();
    const run = await app.ok('ledger.lastRun', {});
    expect(run).toMatchObject({ findings: [] });
    expect(run!.entries).toBeGreaterThan(10);
    // Worker threads ran (the fallback would be logged) and none loaded the default build.
    expect(app.stderr).not.toContain('default better-sqlite3 build');
  });

  it('backs up, and restores the backup (the app connection closed before the files move)', async () => {
    const folder = join(work.dir, 'backups');
    mkdirSync(folder, { recursive: true });
    const { jobId } = await app.ok('backup.create', { folder });
    expect((await app.job(jobId)).error).toBeNull();
    backupFile = join(folder, readdirSync(folder).find((f) => f.endsWith('.db'))!);
    // Work after the backup, which the restore takes back.
    await app.ok('users.create', {
      userId: 'late.user',
      printedName: 'Late',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const signedOut = app.next_(
      (m) =>
        m.type === 'event' &&
        m['channel'] === 'event:session.changed' &&
        (m['payload'] as { reason: string }).reason === 'signed_out',
      'the end of the sessions after the restore',
    );
    await app.ok('backup.restore', {
      file: backupFile,
      reason: 'restore drill on the desktop',
      password: ADMIN_PASSWORD,
    });
    // Sessions ended with the swap (the window is told, the job's own end is session-scoped):
    // sign in again on the restored records.
    await signedOut;
    expect(await app.invoke('users.list', {})).toMatchObject({ ok: false });
    await app.ok('auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    const users = (await app.ok('users.list', {})).map((u) => u.userId);
    expect(users).toContain('tech.zhou');
    expect(users).not.toContain('late.user');
    expect(readdirSync(dataDir()).some((f) => f.startsWith('lotseal.db.replaced-'))).toBe(true);
    expect(await app.ok('ledger.status', {})).toMatchObject({ anchorBehind: false });
  });

  it('imports an ERP file in its worker thread on the desktop binding', async () => {
    await app.ok('users.create', {
      userId: 'prod.li',
      printedName: '李生产',
      roles: ['production'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    await app.ok('auth.signIn', { userId: 'prod.li', password: 'initial-password-1' }, { sender: 4 });
    await app.ok(
      'auth.changePassword',
      { currentPassword: 'initial-password-1', newPassword: 'user-password-01' },
      { sender: 4 },
    );
    const up = await app.ok(
      'import.upload',
      {
        file: 'customers',
        fileName: 'customers.csv',
        chunkBase64: b64('customer_code,name\nC9001,石嘴山惠民超市\n'),
        final: true,
      },
      { sender: 4 },
    );
    const { jobId } = await app.ok('import.start', { uploadId: up.uploadId, dryRun: false }, { sender: 4 });
    expect((await app.job(jobId)).error).toBeNull();
    const result = await app.ok('import.result', { jobId }, { sender: 4 });
    expect(result).toMatchObject({ done: true, report: { ok: true } });
    const customers = await app.ok('catalog.customers.list', {}, { sender: 4 });
    expect(JSON.stringify(customers)).toContain('C9001');
    expect(app.stderr).not.toContain('default better-sqlite3 build');
  });

  it('a second launch hands over and shows the first window', async () => {
    const second = DesktopProcess.start(work.dir, 'second', config('alice', { osAccountKey: alice, lock: false }), {
      LOTSEAL_DATA_DIR: dataDir(),
    });
    expect(await second.exited).toBe(0);
    expect(second.messages.some((m) => m.type === 'window')).toBe(false);
    const before = await app.state();
    await app.secondInstance({ hidden: true });
    const after = await app.state();
    expect(after.mainWindow).toMatchObject({ visible: true, minimized: false });
    expect(after.focused).toBeGreaterThan(before.focused);
  });

  it('a crashed renderer, a failed load and a preload error end in a dialog with the log file and a reload', async () => {
    const reloadAfter = async (
      match: string,
      event: string,
      args: unknown[],
    ): Promise<{ title: string; detail: string }> => {
      await app.answer(match, 'Reload');
      const reloaded = app.next_((m) => m.type === 'reloaded', `the reload after ${event}`);
      const dialog = app.next_(
        (m) => m.type === 'dialog' && String(m['title']).includes(match),
        `the dialog after ${event}`,
      );
      await app.windowEvent('contents', event, args);
      await reloaded;
      const d = await dialog;
      return { title: String(d['title']), detail: String(d['detail']) };
    };
    const crash = await reloadAfter('window stopped', 'render-process-gone', [{ reason: 'crashed', exitCode: 139 }]);
    expect(crash.detail).toContain('crashed');
    expect(crash.detail).toMatch(/log file .*main-.*\.log/);
    const load = await reloadAfter('could not load', 'did-fail-load', [
      -6,
      'ERR_FILE_NOT_FOUND',
      'file:///x/index.html',
      true,
    ]);
    expect(load.detail).toContain('ERR_FILE_NOT_FOUND');
    const preload = await reloadAfter('cannot reach the application', 'preload-error', [
      '/opt/LotSeal/preload/index.cjs',
      { message: 'boom' },
    ]);
    expect(preload.detail).toContain('boom');
    expect((await app.state()).reloads).toBeGreaterThanOrEqual(3);
    // Repeated crashes stop the reload loop: the third within a minute offers only "Quit".
    await reloadAfter('window stopped', 'render-process-gone', [{ reason: 'crashed', exitCode: 139 }]);
    await app.answer('window stopped', 'Quit');
    await app.windowEvent('contents', 'render-process-gone', [{ reason: 'oom', exitCode: 1 }]);
    const loop = await app.waitFor(
      (m) => m.type === 'dialog' && String(m['detail']).includes('times within a minute'),
      'the crash-loop dialog',
    );
    expect(loop['buttons']).toEqual(['Quit', 'Open the log folder']);
    expect(await app.exited).toBe(0);
  });

  it('a key the OS cannot open (another account) opens the key dialog; a new key waits for the administrator', async () => {
    const bob = osAccount();
    const p = DesktopProcess.start(work.dir, 'bob', config('bob', { osAccountKey: bob }), {
      LOTSEAL_DATA_DIR: dataDir(),
    });
    try {
      await p.windowLoaded();
      expect(await p.ok('app.status', {})).toMatchObject({
        initialized: false,
        error: { code: 'key_error', messageKey: 'errors.host_key_locked', details: { reason: 'os_decrypt_failed' } },
      });
      const status = await p.ok('hostKey.status', {});
      expect(status).toMatchObject({
        state: 'locked',
        seal: 'os',
        reason: 'os_decrypt_failed',
        osProtection: true,
        dataDir: dataDir(),
      });
      expect(status.logFile).toMatch(/main-.*\.log$/);
      expect(await p.invoke('auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD })).toMatchObject({
        ok: false,
        error: { messageKey: 'errors.host_key_locked' },
      });
      const reloaded = p.next_((m) => m.type === 'reloaded', 'the reload after the new key');
      const r = await p.ok('hostKey.replace', { protection: 'os', confirm: true });
      await reloaded;
      expect(existsSync(r.keptAs!)).toBe(true);
      expect(await p.ok('app.status', {})).toMatchObject({
        initialized: true,
        workstationRegistered: false,
        error: null,
      });
      // A sign-in registers nothing; an administrator enrols the new key, signed (issue 18 §5).
      await p.ok('auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
      expect(await p.ok('app.status', {})).toMatchObject({ workstationRegistered: false });
      await p.ok('host.enrol', { signature: ADMIN_SIGNATURE });
      expect(await p.ok('app.status', {})).toMatchObject({ workstationRegistered: true });
      // The document printed with the old key is still there and still opens.
      await p.ok('documents.open', { ref: { kind: 'document', id: labelDoc!.documentId }, action: 'open' });
    } finally {
      await p.stop();
    }
  });

  it('no keyring on a first start: a passphrase-sealed key, then the passphrase at the next start', async () => {
    const fresh = join(work.dir, 'fresh-data');
    const cfg = config('nokeyring', { backend: 'basic_text' });
    const p = DesktopProcess.start(work.dir, 'nokeyring', cfg, { LOTSEAL_DATA_DIR: fresh });
    try {
      await p.windowLoaded();
      expect(await p.ok('hostKey.status', {})).toMatchObject({
        state: 'locked',
        seal: 'none',
        reason: 'no_protection',
        osProtection: false,
      });
      expect(await p.invoke('hostKey.replace', { protection: 'os', confirm: true })).toMatchObject({
        ok: false,
        error: { messageKey: 'errors.key_os_unavailable' },
      });
      await p.ok('hostKey.replace', { protection: 'passphrase', passphrase: 'bench-passphrase-01', confirm: true });
      expect(await p.ok('app.status', {})).toMatchObject({ initialized: false, error: null });
    } finally {
      await p.stop();
    }
    const again = DesktopProcess.start(work.dir, 'nokeyring2', cfg, { LOTSEAL_DATA_DIR: fresh });
    try {
      await again.windowLoaded();
      expect(await again.ok('hostKey.status', {})).toMatchObject({
        state: 'locked',
        seal: 'passphrase',
        reason: 'passphrase_required',
      });
      expect(await again.invoke('hostKey.unlock', { passphrase: 'not-the-passphrase' })).toMatchObject({
        ok: false,
        error: { code: 'wrong_password' },
      });
      const reloaded = again.next_((m) => m.type === 'reloaded');
      await again.ok('hostKey.unlock', { passphrase: 'bench-passphrase-01' });
      await reloaded;
      expect(await again.ok('app.status', {})).toMatchObject({ initialized: false, error: null });
      expect(await again.ok('hostKey.status', {})).toMatchObject({ state: 'open', seal: 'passphrase' });
    } finally {
      await again.stop();
    }
  });

  it('a window that never becomes ready times out into a dialog instead of holding the lock invisibly', async () => {
    const p = DesktopProcess.start(
      work.dir,
      'hidden',
      config('hidden', { osAccountKey: osAccount(), neverReady: true }),
      {
        LOTSEAL_DATA_DIR: join(work.dir, 'hidden-data'),
        LOTSEAL_READY_TIMEOUT_MS: '300',
      },
    );
    await p.answer('did not open', 'Quit');
    const d = await p.waitFor(
      (m) => m.type === 'dialog' && String(m['title']).includes('did not open'),
      'the not-ready dialog',
    );
    expect(d['buttons']).toEqual(['Wait', 'Reload', 'Quit', 'Open the log folder']);
    expect(String(d['detail'])).toMatch(/log file .*main-.*\.log/);
    expect(await p.exited).toBe(0);
  });

  it('a start that cannot succeed (no native binding in the install) says why, with the log file, and exits', async () => {
    const broken = join(work.dir, 'broken-install');
    mkdirSync(broken, { recursive: true });
    const p = DesktopProcess.start(
      work.dir,
      'broken',
      { ...config('broken', { osAccountKey: osAccount() }), resourcesPath: broken, locale: 'zh-CN' },
      { LOTSEAL_DATA_DIR: join(work.dir, 'broken-data') },
    );
    const d = await p.waitFor((m) => m.type === 'dialog', 'the fatal dialog');
    expect(d['title']).toBe('LotSeal 需要关闭');
    expect(String(d['detail'])).toContain('better_sqlite3.node');
    expect(String(d['detail'])).toMatch(/日志文件 .*main-.*\.log/);
    expect(await p.exited).toBe(1);
  });
});
