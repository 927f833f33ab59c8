import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../src/shared/contract';

const root = resolve(__dirname, '..', '..');
export const STAND_IN = join(root, 'tests', 'helpers', 'electron-stand-in.cjs');
export const MAIN_BUNDLE = join(root, 'out', 'main', 'index.js');

export interface StandInConfig {
  home: string;
  appData: string;
  /** The "OS account": its AES key stands for DPAPI / the keyring (hex, 32 bytes). */
  osAccountKey?: string;
  backend?: 'keyring' | 'basic_text' | 'none';
  packaged?: boolean;
  resourcesPath?: string;
  lock?: boolean;
  neverReady?: boolean;
  locale?: string;
  openPathError?: string;
}

export interface StandInMessage {
  type: string;
  id?: number;
  result?: unknown;
  error?: string;
  [k: string]: unknown;
}

export function osAccount(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The built desktop main bundle in a Node process of its own, with the stand-in `electron`
 * module (tests/helpers/electron-stand-in.cjs), driven the way the renderer and the OS would.
 */
export class DesktopProcess {
  /** Every process started, so a failed test can end them all (afterAll → DesktopProcess.stopAll). */
  static readonly started: DesktopProcess[] = [];

  static async stopAll(): Promise<void> {
    await Promise.all(DesktopProcess.started.map((p) => p.stop()));
  }

  readonly messages: StandInMessage[] = [];
  private next = 1;
  private waiters: Array<{ test: (m: StandInMessage) => boolean; resolve: (m: StandInMessage) => void }> = [];
  stderr = '';
  stdout = '';
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: StandInMessage) => {
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.test(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  static start(workDir: string, name: string, config: StandInConfig, env: Record<string, string> = {}): DesktopProcess {
    const cfgFile = join(workDir, `${name}.stand-in.json`);
    writeFileSync(cfgFile, JSON.stringify(config));
    const child = spawn(process.execPath, ['-r', STAND_IN, MAIN_BUNDLE], {
      cwd: root,
      env: { ...process.env, LOTSEAL_STAND_IN: cfgFile, ELECTRON_RENDERER_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const p = new DesktopProcess(child);
    DesktopProcess.started.push(p);
    return p;
  }

  /** The first message (already received or still to come) that passes `test`. */
  waitFor(test: (m: StandInMessage) => boolean, what = 'a message'): Promise<StandInMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      this.waiters.push({ test, resolve: resolvePromise });
      void this.exited.then((code) =>
        reject(new Error(`desktop process exited (${code}) while waiting for ${what}\n${this.stderr.slice(-4000)}`)),
      );
    });
  }

  /** The next message after now that passes `test`. */
  next_(test: (m: StandInMessage) => boolean, what = 'a message'): Promise<StandInMessage> {
    const from = this.messages.length;
    return this.waitFor((m) => this.messages.indexOf(m) >= from && test(m), what);
  }

  private request(msg: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    const reply = this.waitFor((m) => m.type === 'result' && m.id === id, `the reply to ${String(msg['type'])}`);
    this.child.send({ ...msg, id });
    return reply.then((m) => {
      if (m.error) throw new Error(m.error);
      return m.result;
    });
  }

  /** The main window has loaded its page (the renderer would start calling now). */
  windowLoaded(): Promise<StandInMessage> {
    return this.waitFor(
      (m) => m.type === 'loaded' && String(m['url']).endsWith('/out/renderer/index.html'),
      'the main window',
    );
  }

  /** ipcRenderer.invoke from the main window (or another sender / frame). */
  invoke<K extends ChannelName>(
    channel: K,
    input: ChannelInput<K>,
    opts: { sender?: number; frame?: { url: string; parent: unknown } | null } = {},
  ): Promise<Result<ChannelOutput<K>>> {
    return this.request({ type: 'invoke', channel, input, ...opts }) as Promise<Result<ChannelOutput<K>>>;
  }

  async ok<K extends ChannelName>(
    channel: K,
    input: ChannelInput<K>,
    opts: { sender?: number } = {},
  ): Promise<ChannelOutput<K>> {
    const r = await this.invoke(channel, input, opts);
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.data;
  }

  windowEvent(on: 'window' | 'contents', event: string, args: unknown[] = []): Promise<unknown> {
    return this.request({ type: 'window-event', on, event, args });
  }

  /** Scripts the answer to the next dialog whose title or text contains `match`. */
  answer(match: string, button: string): Promise<unknown> {
    return this.request({ type: 'answer', match, button });
  }

  secondInstance(opts: { hidden?: boolean } = {}): Promise<unknown> {
    return this.request({ type: 'second-instance', ...opts });
  }

  state(): Promise<
    Record<string, unknown> & {
      dialogs: Array<{ title: string; detail?: string; buttons: string[] }>;
      openPath: string[];
      printed: Array<{ url: string }>;
      reloads: number;
      focused: number;
      crashReporter: unknown;
      paths: Record<string, string>;
      mainWindow: { visible: boolean; minimized: boolean } | null;
    }
  > {
    return this.request({ type: 'state' }) as never;
  }

  /** Waits for the job's last progress event (job.progress with finished). */
  job(jobId: string): Promise<{ error: string | null }> {
    return this.waitFor(
      (m) =>
        m.type === 'event' &&
        m['channel'] === 'event:job.progress' &&
        (m['payload'] as { jobId: string; finished: boolean }).jobId === jobId &&
        (m['payload'] as { finished: boolean }).finished,
      `job ${jobId}`,
    ).then((m) => m['payload'] as { error: string | null });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.send({ type: 'quit', id: 0 });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
