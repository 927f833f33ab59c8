import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A pair of connected pseudo-terminals made by socat: what one end writes, the other reads,
 * through the kernel's tty layer (the same code path as a USB-serial adapter). `unplug()`
 * kills socat (both ends go away, like pulling the cable); `plug()` makes the pair again
 * under the same names.
 */
export interface PtyPair {
  /** The app's end (the "instrument port"). */
  a: string;
  /** The instrument's end (the simulator opens it). */
  b: string;
  plug(): Promise<void>;
  unplug(): Promise<void>;
}

export async function ptyPair(dir: string, name = 'tty'): Promise<PtyPair> {
  const a = join(dir, `${name}-app`);
  const b = join(dir, `${name}-instrument`);
  let proc: ChildProcess | null = null;
  const plug = async (): Promise<void> => {
    proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    const until = Date.now() + 5000;
    while (!(existsSync(a) && existsSync(b))) {
      if (Date.now() > until) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const unplug = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    const until = Date.now() + 3000;
    while (existsSync(a) || existsSync(b)) {
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await plug();
  return { a, b, plug, unplug };
}

export async function waitFor<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
