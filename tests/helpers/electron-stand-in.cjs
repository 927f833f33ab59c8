'use strict';
/**
 * A STAND-IN for the `electron` module — not Electron. It lets the built desktop main bundle
 * (out/main/index.js) run in plain Node so that tests/integration/desktop-shell.test.ts can
 * drive the desktop's MAIN-PROCESS code: its start-up order, IPC wiring, sender check, key
 * recovery, diagnostics, native binding, workers, backup/restore and document opening. It
 * tests that code, not Electron: no window is drawn, no renderer runs, and Electron's own
 * behaviour (Chromium, DPAPI, the print dialog) is checked by people with docs/desktop-test.md.
 *
 * Loaded with `node -r tests/helpers/electron-stand-in.cjs out/main/index.js`. `-r` also runs
 * in every worker thread, where it installs one thing only: a guard that refuses to load the
 * default better-sqlite3 build from node_modules, so a worker that did not receive the
 * desktop's native binding path fails loudly instead of silently loading the wrong ABI.
 *
 * What stands in for what (configured by the JSON file named in LOTSEAL_STAND_IN):
 *  - safeStorage: AES-256-GCM under a per-"OS account" key (`osAccountKey`), the way DPAPI
 *    binds a secret to one Windows account; `backend: 'basic_text'` is a Linux session without
 *    a keyring; decryption with another account's key fails as DPAPI does;
 *  - BrowserWindow.webContents.printToPDF: Debian's Chromium through playwright-core, on the
 *    file the window loaded, with the same page size and margins (a real PDF);
 *  - shell.openPath, webContents.print, dialog.showMessageBox: recorded; dialog answers are
 *    scripted by the test;
 *  - requestSingleInstanceLock: `lock: false` plays the second launch.
 *
 * The test talks to this process over Node's IPC channel: it invokes contract channels as the
 * renderer would (ipcRenderer.invoke → the handlers registered with ipcMain.handle, with a
 * sender frame), emits window events, and reads what was recorded.
 */
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
const nodeCrypto = require('node:crypto');
const { EventEmitter } = require('node:events');
const { isMainThread } = require('node:worker_threads');

const root = path.resolve(__dirname, '..', '..');
const defaultBinding = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

// --- every thread: the default native build of better-sqlite3 is not loadable --------------
const realDlopen = process.dlopen;
process.dlopen = function guardedDlopen(module, filename, ...rest) {
  if (path.resolve(filename) === defaultBinding) {
    throw new Error(
      `stand-in: the default better-sqlite3 build (${filename}) was loaded in a ${isMainThread ? 'main' : 'worker'} thread: the desktop's native binding did not reach it`,
    );
  }
  return realDlopen.call(this, module, filename, ...rest);
};

if (isMainThread && process.env.LOTSEAL_STAND_IN) {
  installElectron(JSON.parse(fs.readFileSync(process.env.LOTSEAL_STAND_IN, 'utf8')));
}

function installElectron(config) {
  const recorded = {
    dialogs: [],
    openPath: [],
    printed: [],
    pdfs: 0,
    crashReporter: null,
    reloads: 0,
    shown: 0,
    focused: 0,
    windows: [],
    sent: [],
    quit: false,
    paths: {},
  };
  const send = (msg) => {
    if (process.send) process.send(msg);
  };
  const dialogAnswers = [];

  // ---- app
  const paths = Object.assign(
    {
      home: config.home,
      appData: config.appData,
      userData: path.join(config.appData, 'LotSeal'),
      temp: config.temp ?? require('node:os').tmpdir(),
      logs: path.join(config.appData, 'LotSeal', 'logs'),
      crashDumps: path.join(config.appData, 'LotSeal', 'Crashpad'),
    },
    config.paths ?? {},
  );
  let ready = false;
  const app = new EventEmitter();
  Object.assign(app, {
    name: 'LotSeal',
    isPackaged: config.packaged === true,
    getName: () => 'LotSeal',
    getVersion: () => '0.1.0',
    getAppPath: () => root,
    getPath: (name) => {
      if (!(name in paths)) throw new Error(`stand-in: app.getPath(${name}) not configured`);
      return paths[name];
    },
    setPath: (name, p) => {
      paths[name] = p;
      recorded.paths[name] = p;
    },
    isReady: () => ready,
    whenReady: () =>
      new Promise((resolve) => {
        setImmediate(() => {
          if (!ready) {
            ready = true;
            app.emit('ready');
          }
          resolve();
        });
      }),
    enableSandbox: () => undefined,
    requestSingleInstanceLock: () => config.lock !== false,
    getPreferredSystemLanguages: () => [config.locale ?? 'en-US'],
    getLocale: () => config.locale ?? 'en-US',
    quit: () => {
      recorded.quit = true;
      send({ type: 'quitting' });
      app.emit('will-quit', { preventDefault() {} });
      setImmediate(() => process.exit(0));
    },
    exit: (code) => {
      send({ type: 'exiting', code });
      process.exit(code ?? 0);
    },
    commandLine: { appendSwitch: () => undefined },
  });
  if (config.packaged) process.resourcesPath = config.resourcesPath;

  // ---- sessions
  const makeSession = () => ({
    webRequest: { onHeadersReceived: () => undefined, onBeforeRequest: () => undefined },
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
  });
  const session = { defaultSession: makeSession(), fromPartition: () => makeSession() };

  // ---- ipcMain
  const handlers = new Map();
  const ipcMain = {
    handle: (channel, fn) => handlers.set(channel, fn),
    on: () => undefined,
    removeHandler: (channel) => handlers.delete(channel),
  };

  // ---- windows
  let nextId = 1;
  const windows = [];
  let browser = null;
  /** The same choice as src/main/documents/chromium-path.ts (D-124): the setting, the headless shell, the full browser. */
  function chromiumPath() {
    if (process.env.LOTSEAL_CHROMIUM) return process.env.LOTSEAL_CHROMIUM;
    const fs = require('node:fs');
    return (
      ['/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell'].find((p) => fs.existsSync(p)) ??
      '/usr/bin/chromium'
    );
  }
  async function chromium() {
    if (!browser) {
      const { chromium: c } = require('playwright-core');
      browser = await c.launch({
        executablePath: chromiumPath(),
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    }
    return browser;
  }
  class WebContents extends EventEmitter {
    constructor(win) {
      super();
      this.id = nextId++;
      this.win = win;
      this.url = null;
      this.windowOpenHandler = null;
    }
    isDestroyed() {
      return this.win.destroyed;
    }
    send(channel, payload) {
      recorded.sent.push(channel);
      send({ type: 'event', contents: this.id, channel, payload });
    }
    setWindowOpenHandler(fn) {
      this.windowOpenHandler = fn;
    }
    reload() {
      recorded.reloads += 1;
      send({ type: 'reloaded', contents: this.id });
    }
    async printToPDF(opts) {
      const b = await chromium();
      const page = await (await b.newContext({ javaScriptEnabled: false, offline: true })).newPage();
      try {
        await page.goto(this.url);
        const inch = (n) => `${n}in`;
        const pdf = await page.pdf({
          width: inch(opts.pageSize.width),
          height: inch(opts.pageSize.height),
          landscape: opts.landscape,
          printBackground: opts.printBackground,
          margin: {
            top: inch(opts.margins.top),
            bottom: inch(opts.margins.bottom),
            left: inch(opts.margins.left),
            right: inch(opts.margins.right),
          },
        });
        recorded.pdfs += 1;
        return Buffer.from(pdf);
      } finally {
        await page.context().close();
      }
    }
    print(options, callback) {
      recorded.printed.push({ url: this.url, options });
      send({ type: 'printed', url: this.url });
      setImmediate(() => callback(config.printResult ?? true, config.printResult === false ? 'failed' : ''));
    }
  }
  class BrowserWindow extends EventEmitter {
    constructor(options) {
      super();
      this.options = options;
      this.destroyed = false;
      this.visible = false;
      this.minimized = false;
      this.webContents = new WebContents(this);
      windows.push(this);
      recorded.windows.push({
        id: this.webContents.id,
        preload: options.webPreferences?.preload ?? null,
        show: options.show,
      });
      app.emit('web-contents-created', {}, this.webContents);
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the window with the preload is the app's main window
      if (options.webPreferences?.preload) mainWindow = this;
      send({ type: 'window', contents: this.webContents.id, main: !!options.webPreferences?.preload });
    }
    static getAllWindows() {
      return windows.filter((w) => !w.destroyed);
    }
    async loadURL(url) {
      this.webContents.url = url;
      send({ type: 'loaded', contents: this.webContents.id, url });
      // The main window's page "loads": ready-to-show, unless the test plays a window that never does.
      if (!(this === mainWindow && config.neverReady)) {
        setImmediate(() => {
          this.webContents.emit('did-finish-load');
          this.emit('ready-to-show');
        });
      }
    }
    show() {
      this.visible = true;
      recorded.shown += 1;
    }
    hide() {
      this.visible = false;
    }
    isVisible() {
      return this.visible;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
    focus() {
      recorded.focused += 1;
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
      this.emit('closed');
    }
    close() {
      this.destroy();
    }
  }
  let mainWindow = null;

  // ---- safeStorage: one AES key per "OS account", as DPAPI binds a secret to an account
  const osKey = config.osAccountKey ? Buffer.from(config.osAccountKey, 'hex') : null;
  const safeStorage = {
    isEncryptionAvailable: () => config.backend !== 'none',
    getSelectedStorageBackend: () => (config.backend === 'basic_text' ? 'basic_text' : 'gnome_libsecret'),
    encryptString: (text) => {
      if (!osKey) throw new Error('stand-in: no OS account key');
      const iv = nodeCrypto.randomBytes(12);
      const c = nodeCrypto.createCipheriv('aes-256-gcm', osKey, iv);
      const data = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), data]);
    },
    decryptString: (buf) => {
      try {
        const d = nodeCrypto.createDecipheriv('aes-256-gcm', osKey, buf.subarray(0, 12));
        d.setAuthTag(buf.subarray(12, 28));
        return Buffer.concat([d.update(buf.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
    },
  };

  // ---- shell, dialog, crash reporter, menu
  const shell = {
    openPath: async (p) => {
      recorded.openPath.push(p);
      send({ type: 'openPath', path: p });
      return config.openPathError ?? '';
    },
    openExternal: async () => undefined,
  };
  const answer = (options) => {
    const entry = { title: options.message, detail: options.detail, buttons: options.buttons, kind: options.type };
    recorded.dialogs.push(entry);
    const idx = dialogAnswers.findIndex((a) => entry.title.includes(a.match) || (entry.detail ?? '').includes(a.match));
    const a = idx >= 0 ? dialogAnswers.splice(idx, 1)[0] : null;
    const response = a ? Math.max(0, options.buttons.indexOf(a.button)) : 0;
    send({ type: 'dialog', ...entry, response: options.buttons[response] });
    return response;
  };
  const dialog = {
    showMessageBox: async (a, b) => ({ response: answer(b ?? a), checkboxChecked: false }),
    showMessageBoxSync: (a, b) => answer(b ?? a),
    showErrorBox: (title, content) => {
      recorded.dialogs.push({ title, detail: content, buttons: [], kind: 'error' });
      send({ type: 'dialog', title, detail: content, buttons: [], kind: 'error' });
    },
  };
  const crashReporter = {
    start: (opts) => {
      recorded.crashReporter = opts;
    },
  };
  const Menu = { setApplicationMenu: () => undefined };

  const electron = {
    app,
    session,
    ipcMain,
    BrowserWindow,
    webContents: { getAllWebContents: () => windows.filter((w) => !w.destroyed).map((w) => w.webContents) },
    safeStorage,
    shell,
    dialog,
    crashReporter,
    Menu,
  };

  // `require('electron')` from the bundle and from electron-log/main gets this object.
  const electronPath = require.resolve('electron', { paths: [root] });
  const m = new Module(electronPath);
  m.filename = electronPath;
  m.loaded = true;
  m.exports = electron;
  require.cache[electronPath] = m;

  // ---- the test's side of the conversation
  process.on('message', async (msg) => {
    try {
      if (msg.type === 'invoke') {
        const fn = handlers.get(msg.channel);
        if (!fn) throw new Error(`no IPC handler for ${msg.channel}`);
        const frame =
          msg.frame === null ? null : (msg.frame ?? { url: mainWindow?.webContents.url ?? '', parent: null });
        const result = await fn(
          { sender: { id: msg.sender ?? mainWindow?.webContents.id ?? 1 }, senderFrame: frame },
          msg.input,
        );
        send({ type: 'result', id: msg.id, result });
      } else if (msg.type === 'window-event') {
        const target = msg.on === 'window' ? mainWindow : mainWindow.webContents;
        target.emit(msg.event, { preventDefault() {} }, ...(msg.args ?? []));
        send({ type: 'result', id: msg.id, result: null });
      } else if (msg.type === 'second-instance') {
        if (mainWindow) {
          mainWindow.minimized = true;
          mainWindow.visible = msg.hidden ? false : mainWindow.visible;
        }
        app.emit('second-instance', {}, [], root);
        send({ type: 'result', id: msg.id, result: null });
      } else if (msg.type === 'answer') {
        dialogAnswers.push({ match: msg.match, button: msg.button });
        send({ type: 'result', id: msg.id, result: null });
      } else if (msg.type === 'state') {
        send({
          type: 'result',
          id: msg.id,
          result: {
            ...recorded,
            mainWindow: mainWindow
              ? {
                  visible: mainWindow.visible,
                  minimized: mainWindow.minimized,
                  url: mainWindow.webContents.url,
                  id: mainWindow.webContents.id,
                }
              : null,
            handlers: handlers.size,
          },
        });
      } else if (msg.type === 'quit') {
        if (browser) await browser.close();
        app.quit();
      }
    } catch (e) {
      send({ type: 'result', id: msg.id, error: e && e.stack ? e.stack : String(e) });
    }
  });
  process.on('exit', () => {
    if (browser) browser.close().catch(() => undefined);
  });
}
