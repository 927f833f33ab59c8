import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../app/core';
import type { Connection, Dispatcher, DispatcherLog } from '../dispatcher/dispatcher';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.ico': 'image/x-icon',
};

/**
 * The harness's own Content-Security-Policy. The built index.html carries the desktop's
 * strict policy as a <meta> tag (connect-src 'self', nothing on 127.0.0.1: D-016); a meta
 * policy cannot be loosened by a header (both would be enforced), so the harness replaces the
 * meta policy in the index.html it serves with this one, and sends it as a header too. It
 * allows exactly this harness's WebSocket, nothing else.
 */
export function harnessCsp(origin: { host: string; port: number }, delivery: 'header' | 'meta' = 'header'): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsOrigins(origin).join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
  ];
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** The WebSocket origins a page of this harness may use (both loopback spellings on 127.0.0.1). */
function wsOrigins(origin: { host: string; port: number }): string[] {
  const hosts = origin.host === '127.0.0.1' || origin.host === 'localhost' ? ['127.0.0.1', 'localhost'] : [origin.host];
  return hosts.map((h) => `ws://${h}:${origin.port}`);
}

const META_CSP = /<meta\s+http-equiv=["']?Content-Security-Policy["']?\s+content="[^"]*"\s*\/?>/i;

/** index.html with its meta policy replaced by the harness's (or added when it has none). */
export function withHarnessCsp(html: string, csp: string): string {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}" />`;
  if (META_CSP.test(html)) return html.replace(META_CSP, tag);
  return html.replace(/<head>/i, `<head>\n    ${tag}`);
}

/** The largest WebSocket frame a call needs: a 20 MB attachment as base64 (28 MB) plus JSON. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

function badRequest(res: ServerResponse, why: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    .end(`Bad request: ${why}\n`);
}

/** The request's path, decoded; null when it is not a valid URL or percent-encoding. */
export function requestPath(rawUrl: string | undefined): string | null {
  try {
    const path = decodeURIComponent(new URL(rawUrl ?? '/', 'http://127.0.0.1').pathname);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

/**
 * What the harness serves: the embedded app core, or a site workstation's RemoteDispatcher
 * (src/main/remote/) that forwards to a site server. Only the dispatcher's shape matters here.
 */
export interface HarnessHost {
  dispatcher: Pick<Dispatcher, 'call' | 'onEvent'>;
  log: DispatcherLog;
  /** A socket closed: its session ends. */
  connectionClosed(connectionId: string): void;
}

/** The embedded core as a harness host. */
export function coreHost(core: AppCore): HarnessHost {
  return { dispatcher: core.dispatcher, log: core.log, connectionClosed: (id) => core.maybe()?.sessions.end(id) };
}

export interface HarnessOptions {
  /** The embedded core (the default) … */
  core?: AppCore;
  /** … or another backend with the dispatcher's shape (a site workstation). */
  backend?: HarnessHost;
  rendererDir: string;
  port: number;
  host?: string;
}

export interface Harness {
  server: Server;
  url: string;
  token: string;
  close(): Promise<void>;
}

function tokenOk(u: URL, token: string): boolean {
  const given = Buffer.from(u.searchParams.get('token') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function parseUrl(raw: string | undefined): URL | null {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

type Frame = { t: 'call'; id: number; channel: unknown; input: unknown; locale?: unknown };

/**
 * A WebSocket frame as the harness accepts it: a JSON object `{ t: 'call', id: <integer> … }`.
 * Anything else (not JSON, `null`, an array, a number, a string, a call without a numeric
 * id) is answered with an error frame and changes nothing (issue 18 §8).
 */
export function parseFrame(data: unknown): { ok: true; frame: Frame } | { ok: false; id: number | null; why: string } {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (Buffer.isBuffer(data)) text = data.toString('utf8');
  else if (Array.isArray(data) && data.every((b) => Buffer.isBuffer(b)))
    text = Buffer.concat(data as Buffer[]).toString('utf8');
  else if (data instanceof ArrayBuffer) text = Buffer.from(data).toString('utf8');
  else return { ok: false, id: null, why: 'unreadable frame' };
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { ok: false, id: null, why: 'not JSON' };
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg))
    return { ok: false, id: null, why: 'not an object' };
  const m = msg as Record<string, unknown>;
  const id = typeof m['id'] === 'number' && Number.isSafeInteger(m['id']) ? m['id'] : null;
  if (m['t'] !== 'call') return { ok: false, id, why: 'not a call' };
  if (id === null) return { ok: false, id: null, why: 'no numeric id' };
  return { ok: true, frame: { t: 'call', id, channel: m['channel'], input: m['input'], locale: m['locale'] } };
}

/**
 * The browser harness: the same services and contract as the desktop app, with the
 * renderer served on 127.0.0.1 and the contract carried over a WebSocket protected by a
 * random per-start token. Only the transport differs from Electron IPC.
 */
export function startHarness(opts: HarnessOptions): Promise<Harness> {
  const served = opts.backend ?? (opts.core ? coreHost(opts.core) : null);
  if (!served) throw new Error('startHarness needs a core or a host');
  const token = randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  const host = opts.host ?? '127.0.0.1';
  // Filled in once the port is known (the CSP names the exact WebSocket origin).
  let csp = { header: '', meta: '' };
  const server = createServer((req, res) => {
    try {
      serve(req, res);
    } catch (e) {
      // Nothing a request carries may end the process (issue 18 §8).
      served.log.error({ channel: 'harness.http', error: e });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = requestPath(req.url);
    if (path === null) {
      badRequest(res, 'the address is not a valid URL');
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The renderer is not built: run `npm run build` first.');
      return;
    }
    const headers = {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp.header,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    };
    if (extname(file) === '.html') {
      const body = withHarnessCsp(readFileSync(file, 'utf8'), csp.meta);
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sockets = new Map<string, WebSocket>();
  let next = 0;
  server.on('upgrade', (req, socket, head) => {
    // A reset socket must not become an uncaught 'error' (it would end the process).
    socket.on('error', () => socket.destroy());
    const u = parseUrl(req.url);
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === `http://${req.headers.host}`;
    if (!u || u.pathname !== '/ws' || !tokenOk(u, token) || !sameOrigin) {
      served.log.refused({
        connectionId: 'ws',
        channel: 'connect',
        code: 'bad_sender',
        userId: null,
        detail: String(origin),
      });
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { id: `ws-${++next}`, locale: 'en' };
      sockets.set(conn.id, ws);
      const reply = (frame: unknown): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      };
      // A frame over MAX_FRAME_BYTES closes this socket (1009) with an 'error' here: without a
      // listener that error would end the process.
      ws.on('error', (e) => {
        served.log.refused({
          connectionId: conn.id,
          channel: 'frame',
          code: 'invalid_input',
          userId: null,
          detail: e.message,
        });
      });
      ws.on('message', (data) => {
        const parsed = parseFrame(data);
        if (!parsed.ok) {
          served.log.refused({
            connectionId: conn.id,
            channel: 'frame',
            code: 'invalid_input',
            userId: null,
            detail: parsed.why,
          });
          reply({
            t: 'error',
            id: parsed.id,
            error: { code: 'invalid_input', messageKey: 'errors.bad_frame', details: { reason: parsed.why } },
          });
          return;
        }
        const msg = parsed.frame;
        if (msg.locale === 'zh-CN' || msg.locale === 'en') conn.locale = msg.locale;
        served.dispatcher
          .call(conn, msg.channel, msg.input)
          .then((result) => reply({ t: 'result', id: msg.id, result }))
          .catch((e: unknown) => {
            served.log.error({ channel: 'harness.ws', error: e });
            reply({
              t: 'result',
              id: msg.id,
              result: { ok: false, error: { code: 'internal', messageKey: 'errors.internal' } },
            });
          });
      });
      ws.on('close', () => {
        sockets.delete(conn.id);
        served.connectionClosed(conn.id);
      });
    });
  });

  const unsubscribe = served.dispatcher.onEvent((target, name, payload, mayReceive) => {
    const frame = JSON.stringify({ t: 'event', name, payload });
    if (target === 'all') {
      for (const [id, ws] of sockets) if (ws.readyState === ws.OPEN && mayReceive(id)) ws.send(frame);
    } else {
      const ws = sockets.get(target.connectionId);
      if (ws && ws.readyState === ws.OPEN && mayReceive(target.connectionId)) ws.send(frame);
    }
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.port;
      csp = { header: harnessCsp({ host, port }, 'header'), meta: harnessCsp({ host, port }, 'meta') };
      resolvePromise({
        server,
        token,
        url: `http://${host}:${port}/#token=${token}`,
        close: () =>
          new Promise<void>((r) => {
            unsubscribe();
            for (const ws of sockets.values()) ws.terminate();
            wss.close();
            server.close(() => r());
          }),
      });
    });
  });
}
