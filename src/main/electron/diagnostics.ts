import { dirname } from 'node:path';
import { app, dialog, shell, type BrowserWindow, type MessageBoxOptions } from 'electron';
import log from 'electron-log/main';
import { translate, type Locale } from '../../shared/i18n';

/**
 * What a plant's IT person needs when the desktop misbehaves (issue 24 §6, D-043): every
 * failure is logged in <data>/logs, a fatal one is said in a dialog that names the log file,
 * and a window that crashed, failed to load, lost its preload or never became ready offers a
 * reload instead of leaving a dead or invisible window behind. Crash dumps stay local
 * (crashReporter without upload, index.ts).
 */
export interface DiagnosticsOptions {
  locale(): Locale;
  logFile(): string;
  /** How long a hidden window may take to become ready before the dialog (LOTSEAL_READY_TIMEOUT_MS). */
  readyTimeoutMs: number;
}

type Choice = 'reload' | 'quit' | 'wait' | 'ok' | 'log';

const CRASH_WINDOW_MS = 60_000;
const CRASH_LIMIT = 3;

export class Diagnostics {
  private crashes: number[] = [];
  private asking = false;

  constructor(private readonly opts: DiagnosticsOptions) {}

  private t(key: string, vars?: Record<string, unknown>): string {
    return translate(this.opts.locale(), `desktop.dialogs.${key}`, vars);
  }

  /** A message box with the log file named; resolves with the chosen action. */
  async ask(
    win: BrowserWindow | null,
    kind: 'error' | 'warning' | 'info',
    title: string,
    message: string,
    choices: Choice[],
  ): Promise<Choice> {
    const options: MessageBoxOptions = {
      type: kind,
      title: 'LotSeal',
      message: title,
      detail: `${message}\n\n${this.t('logHint', { file: this.opts.logFile() })}`,
      buttons: choices.map((c) => this.t(c === 'log' ? 'openLogFolder' : c)),
      defaultId: 0,
      cancelId: choices.indexOf('quit') >= 0 ? choices.indexOf('quit') : choices.length - 1,
      noLink: true,
    };
    const r =
      win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    const choice = choices[r.response] ?? 'quit';
    log.info(`dialog "${title}": ${choice}`);
    if (choice === 'log') {
      void shell.openPath(dirname(this.opts.logFile()));
      return this.ask(
        win,
        kind,
        title,
        message,
        choices.filter((c) => c !== 'log'),
      );
    }
    return choice;
  }

  /** A fatal error: logged, said with the log path, and the app ends. */
  fatal(error: unknown, what: 'fatalMessage' | 'startFailed' = 'fatalMessage'): void {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`fatal: ${message}`, error);
    const body = `${this.t(what, { message })}\n\n${this.t('logHint', { file: this.opts.logFile() })}`;
    try {
      if (app.isReady()) {
        dialog.showMessageBoxSync({
          type: 'error',
          title: 'LotSeal',
          message: this.t('fatalTitle'),
          detail: body,
          buttons: [this.t('quit')],
          noLink: true,
        });
      } else {
        dialog.showErrorBox(this.t('fatalTitle'), body);
      }
    } finally {
      app.exit(1);
    }
  }

  /** Uncaught exceptions end the app with a dialog; unhandled rejections are logged. */
  catchProcessErrors(): void {
    process.on('uncaughtException', (e) => this.fatal(e));
    process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', reason));
  }

  /**
   * Watches the main window: crash, failed load, preload error, unresponsive, and a window
   * that never becomes ready while it holds the single-instance lock.
   */
  watch(win: BrowserWindow, reload: () => void): void {
    const contents = win.webContents;
    const offer = async (title: string, message: string, choices: Choice[]): Promise<void> => {
      if (this.asking) return;
      this.asking = true;
      try {
        const c = await this.ask(win, 'error', title, message, choices);
        if (c === 'reload') reload();
        else if (c === 'quit') app.quit();
      } finally {
        this.asking = false;
      }
    };
    contents.on('render-process-gone', (_e, details) => {
      log.error('renderer process gone', details);
      if (details.reason === 'clean-exit') return;
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
      if (this.crashes.length >= CRASH_LIMIT) {
        void offer(this.t('rendererGoneTitle'), this.t('crashLoop', { count: this.crashes.length }), ['quit', 'log']);
        return;
      }
      void offer(this.t('rendererGoneTitle'), this.t('rendererGone', { reason: details.reason }), [
        'reload',
        'quit',
        'log',
      ]);
    });
    contents.on('did-fail-load', (_e, code, description, url, isMainFrame) => {
      // -3 is ERR_ABORTED: a navigation replaced by another (a reload), not a failure.
      if (!isMainFrame || code === -3) return;
      log.error(`page failed to load: ${code} ${description} ${url.slice(0, 200)}`);
      void offer(this.t('loadFailedTitle'), this.t('loadFailed', { code, description }), ['reload', 'quit', 'log']);
    });
    contents.on('preload-error', (_e, preloadPath, error) => {
      log.error(`preload ${preloadPath} failed`, error);
      void offer(this.t('preloadErrorTitle'), this.t('preloadError', { message: error.message }), [
        'reload',
        'quit',
        'log',
      ]);
    });
    win.on('unresponsive', () => {
      log.warn('window unresponsive');
      void offer(this.t('unresponsiveTitle'), this.t('unresponsive'), ['wait', 'reload', 'log']);
    });
    this.readyTimer(win, reload);
  }

  private readyTimer(win: BrowserWindow, reload: () => void): void {
    let ready = false;
    win.once('ready-to-show', () => {
      ready = true;
    });
    const arm = (): void => {
      const timer = setTimeout(() => {
        if (ready || win.isDestroyed()) return;
        log.error(`window not ready after ${this.opts.readyTimeoutMs} ms`);
        void this.ask(
          null,
          'error',
          this.t('notReadyTitle'),
          this.t('notReady', { seconds: Math.round(this.opts.readyTimeoutMs / 1000) }),
          ['wait', 'reload', 'quit', 'log'],
        ).then((c) => {
          if (ready || win.isDestroyed()) return;
          if (c === 'wait') arm();
          else if (c === 'reload') {
            reload();
            arm();
          } else app.quit();
        });
      }, this.opts.readyTimeoutMs);
      timer.unref?.();
    };
    arm();
  }
}
