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
    // socat -d -d reports "starting data transfer loop" once both ends (and their links)
    // exist: wait for that line, not for a timer (a loaded machine starts socat late).
    const p = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    proc = p;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      p.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (/starting data transfer loop/.test(log)) resolve();
      });
      p.once('error', reject);
      p.once('exit', (code) => reject(new Error(`socat exited (${code}) before the pty pair was ready\n${log}`)));
    });
    if (!(existsSync(a) && existsSync(b))) throw new Error('socat did not create the pty pair');
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
