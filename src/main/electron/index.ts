import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, type BrowserWindow, ipcMain, Menu, session } from 'electron';
import log from 'electron-log/main';
import type { EventName } from '../../shared/contract';
import { eventChannel } from '../../shared/contract/bridge';
import { createAppCore, type AppCore, type CoreLog } from '../app/core';
import { setNativeBinding } from '../db/database';
import { bufferCipherProtector } from '../ledger/keys';
import { registerIpc } from '../dispatcher/ipc';
import { ElectronPdfPrinter } from './pdf-printer';
import { createSafeStorageKeyProvider } from './safe-storage-key';
import { hardenSession, installNavigationGuards } from './security';
import { createSenderCheck, type AppLocation } from './trusted-sender';
import { createMainWindow } from './window';

/**
 * Desktop entry: lifecycle, window, security and IPC wiring around the same app core the
 * CLI and the browser harness use (style guide §1). No business logic lives here.
 */

// LOTSEAL_DATA_DIR moves everything, Chromium's profile included, so a test or a second
// site database gets its own single-instance lock too (the lock is keyed by userData).
const dataDir = process.env['LOTSEAL_DATA_DIR'] || app.getPath('userData');
app.setPath('userData', dataDir);

configureLogging(dataDir);

// Every renderer sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Two processes on one ledger would race for the hash chain's head: the second quits and
  // the first one comes to the front.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | null = null;
  let core: AppCore | null = null;

  const location = appLocation();
  installNavigationGuards(location);

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', () => {
    try {
      core?.close();
    } catch (error) {
      log.error('closing the app core failed', error);
    }
    core = null;
  });

  app
    .whenReady()
    .then(() => {
      if (app.isPackaged) Menu.setApplicationMenu(null);
      hardenSession(session.defaultSession, location);
      configureNativeBinding();

      core = startCore(dataDir);
      const { dispatcher } = core;

      const locale = systemLocale();
      const appCore = core;
      registerIpc(
        ipcMain,
        dispatcher,
        createSenderCheck(location),
        // The renderer sets its language with app.setLocale; until then, the OS language.
        (senderId) => appCore.localeOf(`wc-${senderId}`, locale),
        ({ channel, url }) => log.warn(`IPC refused: untrusted sender frame ${url ?? '(gone)'} on ${channel}`),
      );

      mainWindow = createMainWindow({
        preloadPath: path.join(__dirname, '../preload/index.cjs'),
        location,
        devTools: !app.isPackaged,
      });
      mainWindow.on('closed', () => {
        mainWindow = null;
      });

      // Events go to the window when addressed to everyone or to its connection
      // (registerIpc names a connection after the sender's webContents id).
      dispatcher.onEvent((target: { connectionId: string } | 'all', name: EventName, payload: unknown, mayReceive: (id: string) => boolean) => {
        const contents = mainWindow?.webContents;
        if (!contents || contents.isDestroyed()) return;
        if (target !== 'all' && target.connectionId !== `wc-${contents.id}`) return;
        if (!mayReceive(`wc-${contents.id}`)) return;
        contents.send(eventChannel(name), payload);
      });
    })
    .catch((error: unknown) => {
      log.error('LotSeal failed to start', error);
      app.exit(1);
    });
}

/**
 * The one call into the composition root, kept small so its options are easy to adjust.
 * The signing key is protected by the OS credential store (safe-storage-key.ts).
 */
function startCore(dir: string): AppCore {
  return createAppCore({
    dataDir: dir,
    hostKind: 'desktop',
    protector: bufferCipherProtector(createSafeStorageKeyProvider()),
    log: coreLog,
    schedule: true,
    // Documents print with this Electron's own Chromium (src/main/documents/pdf.ts).
    pdf: new ElectronPdfPrinter(),
  });
}

/** The core's log, into <dataDir>/logs with everything else. */
const coreLog: CoreLog = {
  refused: (info) => log.warn('refused', JSON.stringify(info)),
  error: (info) => log.error(`error in ${info.channel}`, info.error),
  info: (message, data) => (data === undefined ? log.info(message) : log.info(message, data)),
};

function appLocation(): AppLocation {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devUrl) return { kind: 'dev', url: devUrl };
  return { kind: 'file', indexUrl: pathToFileURL(path.join(__dirname, '../renderer/index.html')).href };
}

/**
 * better-sqlite3 is a native module built per ABI. node_modules holds the Node build (CLI,
 * tests); in development Electron loads a second build made for its own ABI by
 * scripts/build-electron-sqlite.mjs. Packaged apps use the default binding, which
 * electron-builder rebuilt for Electron (npmRebuild). docs/decisions.md D-015.
 */
function configureNativeBinding(): void {
  if (app.isPackaged) return;
  const binding = path.join(app.getAppPath(), 'build', 'electron-abi', 'better_sqlite3.node');
  if (!existsSync(binding)) {
    throw new Error(
      `${binding} is missing: run \`node scripts/build-electron-sqlite.mjs\` to build better-sqlite3 for Electron ${process.versions.electron}`,
    );
  }
  setNativeBinding(binding);
}

/** Messages the main process produces before anyone signs in follow the OS language. */
function systemLocale(): 'en' | 'zh-CN' {
  const preferred = app.getPreferredSystemLanguages()[0] ?? app.getLocale();
  return preferred.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function configureLogging(dir: string): void {
  log.transports.file.resolvePathFn = (vars) => path.join(dir, 'logs', vars.fileName ?? 'main.log');
  log.transports.file.level = 'info';
  log.errorHandler.startCatching({ showDialog: false });
  log.info(`LotSeal ${app.getVersion()} starting; data dir ${dir}`);
}
