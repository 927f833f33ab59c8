import { BrowserWindow } from 'electron';
import type { AppLocation } from './trusted-sender';

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly location: AppLocation;
  /** Developer tools only in unpackaged builds: a production workstation is validated as shipped. */
  readonly devTools: boolean;
}

/**
 * The one application window. Every web preference that matters is spelled out, even where
 * it is Electron's default, so a reviewer sees the security posture here and a default
 * changing upstream cannot loosen it (Electron security checklist items 2–4, 8, 12).
 */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'LotSeal',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (opts.location.kind === 'dev') {
    void win.loadURL(opts.location.url);
  } else {
    void win.loadURL(opts.location.indexUrl);
  }
  return win;
}
