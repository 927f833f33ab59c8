import { read as fsRead } from 'node:fs';
import { SerialPort } from 'serialport';

/**
 * Serial ports that notice a hang-up (D-070).
 *
 * When a USB-serial adapter is pulled, or the far end of a pseudo-terminal goes away, the
 * kernel hangs the tty up: every read returns 0 bytes (end of file). serialport 13's Unix
 * binding (@serialport/bindings-cpp, unixRead) treats a 0-byte read as "try again" and reads
 * again at once, for ever: the stream never errors or closes, the connection stays
 * "connected" and one libuv thread spins on reads. That is why "unplugging and replugging
 * recovers the connection" waited for an 'error' status that never came when nothing else
 * happened to close the port (issue 21 §6).
 *
 * Ports opened here read through a binding that takes the end of file for what it is on a
 * raw, non-blocking tty (no data is EAGAIN; 0 bytes is the hang-up): the read fails with a
 * disconnect error, serialport closes the port and emits 'close', and the connection manager
 * reconnects. Only the read changes; everything else is the platform binding. On Windows
 * (no file descriptor or poller on the port) the platform's own read is kept.
 */

type Binding = typeof SerialPort.binding;
type BindingPort = Awaited<ReturnType<Binding['open']>>;
type OpenOptions = Parameters<Binding['open']>[0];
type UnixPort = BindingPort & {
  fd: number | null;
  poller: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
};

const isUnixPort = (p: BindingPort): p is UnixPort => 'poller' in p && 'fd' in p;

const canceled = (): Error => Object.assign(new Error('Port is not open'), { canceled: true });

function readOnce(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fsRead(fd, buffer, offset, length, null, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** unixRead of bindings-cpp, except that 0 bytes is a hang-up instead of a reason to read again. */
async function hangUpAwareRead(
  port: UnixPort,
  buffer: Buffer,
  offset: number,
  length: number,
): Promise<{ buffer: Buffer; bytesRead: number }> {
  for (;;) {
    const fd = port.fd;
    if (fd === null) throw canceled();
    try {
      const bytesRead = await readOnce(fd, buffer, offset, length);
      if (bytesRead > 0) return { buffer, bytesRead };
      throw Object.assign(new Error('the port hung up (device unplugged or far end closed)'), {
        code: 'EHANGUP',
        disconnect: true,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
      if (port.fd === null) throw canceled();
      await new Promise<void>((resolve, reject) =>
        port.poller.once('readable', (err: Error | null) => (err ? reject(err) : resolve())),
      );
    }
  }
}

function hangUpAware(port: BindingPort): BindingPort {
  if (!isUnixPort(port)) return port;
  // Every member but read is the platform port's own (close() sets its fd to null, which
  // the read above sees).
  return new Proxy(port, {
    get(target, prop) {
      if (prop === 'read')
        return (buffer: Buffer, offset: number, length: number) => hangUpAwareRead(target, buffer, offset, length);
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const binding: Binding = {
  ...SerialPort.binding,
  list: () => SerialPort.binding.list(),
  open: async (options: OpenOptions) => hangUpAware(await SerialPort.binding.open(options as never)),
} as Binding;

export type SerialPortOptions = ConstructorParameters<typeof SerialPort>[0];

/** A SerialPort (autoOpen as the options say) whose reads report a hang-up as a disconnect. */
export function serialPort(options: SerialPortOptions): SerialPort {
  // SerialPort's constructor spreads the options over its detected binding: a binding given
  // here replaces it (the option is typed out of SerialPortOpenOptions, not out of the stream).
  return new SerialPort({ ...options, binding } as SerialPortOptions);
}
