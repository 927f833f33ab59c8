import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, crashReporter, type BrowserWindow, ipcMain, Menu, session } from 'electron';
import log from 'electron-log/main';
import type { EventName } from '../../shared/contract';
import { eventChannel } from '../../shared/contract/bridge';
import { localeFromLanguageTag, translate, type Locale } from '../../shared/i18n';
import { createAppCore, type AppCore, type CoreLog } from '../app/core';
import { refuseTestOnlyKdf } from '../identity';
import { setBusyTimeout, setNativeBinding, UI_BUSY_TIMEOUT_MS } from '../db/database';
import type { Dispatcher } from '../dispatcher/dispatcher';
import { registerIpc } from '../dispatcher/ipc';
import type { KeyProtector } from '../ledger/keys';
import { chooseDataDir, networkShareReason, profileName } from '../workstation/data-location';
import { probeHostKey } from '../workstation/host-key-access';
import { createKeyRecoveryDispatcher } from '../workstation/key-recovery-host';
import { readSiteSettings, SiteWorkstation } from '../remote/workstation';
import type { SiteServerConfig } from '../remote/site-link';
import { AppErrorException } from '../../shared/contract/errors';
import { Diagnostics } from './diagnostics';
import { ElectronDocumentViewer } from './document-viewer';
import { ElectronPdfPrinter } from './pdf-printer';
import { osProtection } from './safe-storage-key';
import { hardenSession, installNavigationGuards } from './security';
import { createSenderCheck, type AppLocation } from './trusted-sender';
import { createMainWindow } from './window';

/**
 * Desktop entry: lifecycle, window, security, diagnostics and IPC wiring around the same app
 * core the CLI and the browser harness use (style guide §1). No business logic lives here.
 *
 * Order matters: the data folder, the Chromium profile, the log and local crash dumps are
 * set before Electron is ready; the single-instance lock before anything opens the database.
 */

// --- Before ready -------------------------------------------------------------------------

// A packaged app always hashes and seals at the production scrypt cost (D-066).
if (app.isPackaged) refuseTestOnlyKdf();

// One ledger per machine (D-042): %ProgramData%\LotSeal, /var/lib/lotseal, or LOTSEAL_DATA_DIR.
const location = chooseDataDir({ platform: process.platform, env: process.env, home: app.getPath('home') });
const dataDir = location.dir;

// Chromium's profile (and the key store behind safeStorage) belongs to the OS account; one
// profile per data folder, so the single-instance lock is per account and data folder (D-019).
app.setPath('userData', path.join(app.getPath('appData'), 'LotSeal', profileName(dataDir)));

// Files in the shared per-machine folder stay writable by the folder's group (Linux: the
// .deb's `lotseal` group; Windows ACLs come from the installer).
if (process.platform !== 'win32' && location.source === 'machine') process.umask(0o007);

const logFile = configureLogging();

// Local crash dumps only, never uploaded (issue 24 §6): <data>/crashes, for IT to collect.
app.setPath('crashDumps', path.join(dataDir, 'crashes'));
crashReporter.start({ uploadToServer: false, compress: true, productName: 'LotSeal' });

const diagnostics = new Diagnostics({
  locale: () => systemLocale(),
  logFile: () => logFile,
  readyTimeoutMs: Number(process.env['LOTSEAL_READY_TIMEOUT_MS']) || 30_000,
});
diagnostics.catchProcessErrors();

// Every renderer sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Two processes of one account on one ledger: the second quits and the first shows itself.
  log.info('another LotSeal window is running for this data folder: handing over to it');
  app.quit();
} else {
  start();
}

// --- The running app ----------------------------------------------------------------------

/** The IPC handlers are registered once; the dispatcher behind them changes (key recovery → core). */
interface DispatcherRef {
  current: Pick<Dispatcher, 'call'> | null;
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  let core: AppCore | null = null;
  let showWhenReady = false;
  const target: DispatcherRef = { current: null };

  const appLocation = appLocationOf();
  installNavigationGuards(appLocation);

  // A second launch shows this window: restored, shown even if it never became ready
  // (the not-ready dialog explains why), and focused.
  app.on('second-instance', () => {
    log.info('second launch: showing the first window');
    if (!mainWindow || mainWindow.isDestroyed()) {
      showWhenReady = true;
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    if (!mainWindow.isVisible()) mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', () => {
    void station?.close();
    try {
      core?.close();
    } catch (error) {
      log.error('closing the app core failed', error);
    }
    core = null;
  });

  // A site workstation (D-100): <data>/site.json names the server; then no database opens here.
  let site: SiteServerConfig | null = null;
  let station: SiteWorkstation | null = null;
  const sendEvent: Parameters<Dispatcher['onEvent']>[0] = (to, name: EventName, payload, mayReceive) => {
    const contents = mainWindow?.webContents;
    if (!contents || contents.isDestroyed()) return;
    if (to !== 'all' && to.connectionId !== `wc-${contents.id}`) return;
    if (!mayReceive(`wc-${contents.id}`)) return;
    contents.send(eventChannel(name), payload);
  };
  const startSite = (protector: KeyProtector, server: SiteServerConfig): void => {
    station = new SiteWorkstation({
      dataDir,
      hostKind: 'desktop',
      protector,
      server,
      log: coreLog,
      viewer: new ElectronDocumentViewer(() => mainWindow),
    });
    station.dispatcher.onEvent(sendEvent);
    target.current = station.dispatcher;
    log.info(`site workstation of ${server.url} (host key ${station.key.fingerprint})`);
  };
  const startWorkstation = (protector: KeyProtector): void => {
    if (site) startSite(protector, site);
    else core = startCore(protector);
  };

  const startCore = (protector: KeyProtector): AppCore => {
    const c = createAppCore({
      dataDir,
      hostKind: 'desktop',
      protector,
      log: coreLog,
      schedule: true,
      // Documents print with this Electron's own Chromium (src/main/documents/pdf.ts) and
      // open in the system viewer (documents.open, D-041).
      pdf: new ElectronPdfPrinter(),
      viewer: new ElectronDocumentViewer(() => mainWindow),
      ...(app.isPackaged ? { resourcesDir: path.join(process.resourcesPath, 'resources') } : {}),
    });
    // Events go to the window when addressed to everyone or to its connection
    // (registerIpc names a connection after the sender's webContents id).
    c.dispatcher.onEvent(sendEvent);
    target.current = c.dispatcher;
    return c;
  };

  app
    .whenReady()
    .then(async () => {
      if (app.isPackaged) Menu.setApplicationMenu(null);

      // A WAL database on a network share can be corrupted: refuse it, say why (D-042).
      const share = networkShareReason(dataDir, { platform: process.platform });
      if (share) {
        log.error(`data folder refused: ${share}`);
        await diagnostics.ask(
          null,
          'error',
          t('networkShareTitle'),
          t('networkShare', { dir: dataDir, reason: share, machineDir: location.machineDir }),
          ['quit'],
        );
        app.exit(2);
        return;
      }
      const unusable = dataDirProblem(dataDir);
      if (unusable) {
        log.error(`data folder unusable: ${unusable}`);
        await diagnostics.ask(null, 'error', t('dataDirTitle'), t('dataDir', { dir: dataDir, reason: unusable }), [
          'quit',
        ]);
        app.exit(2);
        return;
      }

      try {
        site = readSiteSettings(dataDir);
      } catch (e) {
        const reason =
          e instanceof AppErrorException ? translate(systemLocale(), e.error.messageKey, e.error.details) : String(e);
        log.error(`site settings refused: ${reason}`);
        await diagnostics.ask(null, 'error', t('dataDirTitle'), reason, ['quit']);
        app.exit(2);
        return;
      }

      hardenSession(session.defaultSession, appLocation);
      configureNativeBinding();
      // This thread is the UI: another program's write lock answers "busy" within ~100 ms
      // instead of freezing the window for SQLite's default 5 s (D-043).
      setBusyTimeout(UI_BUSY_TIMEOUT_MS);

      const locale = systemLocale();
      registerIpc(
        ipcMain,
        {
          call: (conn, channel, input) =>
            target.current
              ? target.current.call(conn, channel, input)
              : Promise.resolve({
                  ok: false,
                  error: { code: 'not_initialized', messageKey: 'errors.not_initialized' },
                }),
        },
        createSenderCheck(appLocation),
        // The renderer sets its language with app.setLocale; until then, the OS language.
        (senderId) =>
          station?.dispatcher.localeOf(`wc-${senderId}`, locale) ?? core?.localeOf(`wc-${senderId}`, locale) ?? locale,
        ({ channel, url }) => log.warn(`IPC refused: untrusted sender frame ${url ?? '(gone)'} on ${channel}`),
      );

      // The key first: a key that cannot be opened starts the recovery, never a silent exit.
      const probe = probeHostKey(dataDir, 'desktop', osProtection());
      if (probe.ok) {
        startWorkstation(probe.protector);
      } else {
        log.warn(`the workstation key cannot be opened (${probe.problem.reason}): ${probe.problem.detail}`);
        target.current = createKeyRecoveryDispatcher({
          dataDir,
          kind: 'desktop',
          host: hostname(),
          version: app.getVersion(),
          problem: probe.problem,
          os: osProtection,
          log: coreLog,
          logFile,
          shareKeyWithGroup: location.source === 'machine',
          onOpened: (protector, how) => {
            log.info(`workstation key ${how}: starting`);
            startWorkstation(protector);
            // The window asks app.status again and shows sign-in (or the admin's next step).
            setImmediate(() => mainWindow?.webContents.reload());
          },
        });
      }

      mainWindow = createMainWindow({
        preloadPath: path.join(__dirname, '../preload/index.cjs'),
        location: appLocation,
        devTools: !app.isPackaged,
      });
      const win = mainWindow;
      diagnostics.watch(win, () => win.webContents.reload());
      if (showWhenReady) win.once('ready-to-show', () => win.focus());
      win.on('closed', () => {
        mainWindow = null;
      });

      if (location.source === 'legacy') {
        void diagnostics.ask(
          win,
          'info',
          t('legacyTitle'),
          t('legacy', { dir: dataDir, machineDir: location.machineDir }),
          ['ok'],
        );
      }
    })
    .catch((error: unknown) => diagnostics.fatal(error, 'startFailed'));
}

function t(key: string, vars?: Record<string, unknown>): string {
  return translate(systemLocale(), `desktop.dialogs.${key}`, vars);
}

/** The core's log, into <dataDir>/logs with everything else. */
const coreLog: CoreLog = {
  refused: (info) => log.warn('refused', JSON.stringify(info)),
  error: (info) => log.error(`error in ${info.channel}`, info.error),
  info: (message, data) => (data === undefined ? log.info(message) : log.info(message, data)),
};

function appLocationOf(): AppLocation {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devUrl) return { kind: 'dev', url: devUrl };
  return { kind: 'file', indexUrl: pathToFileURL(path.join(__dirname, '../renderer/index.html')).href };
}

/**
 * better-sqlite3 is a native module built per ABI. node_modules holds the Node build (CLI,
 * tests). The desktop always loads a build made for Electron's ABI, passed explicitly (and
 * to every worker, src/main/workers/spawn.ts): packaged, resources/native/better_sqlite3.node
 * (scripts/build-electron-native.mjs, put there by electron-builder); in development,
 * build/electron-abi/better_sqlite3.node (scripts/build-electron-sqlite.mjs). D-015, D-038.
 */
function configureNativeBinding(): void {
  const binding = app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'build', 'electron-abi', 'better_sqlite3.node');
  if (!existsSync(binding)) {
    throw new Error(
      app.isPackaged
        ? `${binding} is missing: this installation is incomplete; reinstall LotSeal`
        : `${binding} is missing: run \`node scripts/build-electron-sqlite.mjs\` to build better-sqlite3 for Electron ${process.versions.electron}`,
    );
  }
  setNativeBinding(binding);
  log.info(`better-sqlite3 binding: ${binding}`);
}

/** Why the data folder cannot hold the ledger (cannot be created or written), or null. */
function dataDirProblem(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Messages the main process produces before anyone signs in follow the OS language. */
function systemLocale(): Locale {
  try {
    return localeFromLanguageTag(app.getPreferredSystemLanguages()[0] ?? app.getLocale());
  } catch {
    return 'en';
  }
}

function configureLogging(): string {
  // The shared data folder's logs/, or the account's profile when that folder is not writable.
  let dir = path.join(dataDir, 'logs');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch {
    dir = path.join(app.getPath('userData'), 'logs');
  }
  const file = path.join(dir, `main-${safeName(userInfo().username)}.log`);
  log.transports.file.resolvePathFn = () => file;
  log.transports.file.level = 'info';
  log.info(
    `LotSeal ${app.getVersion()} starting; data folder ${dataDir} (${location.source}); Chromium profile ${app.getPath('userData')}`,
  );
  return file;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'user';
}
