import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../app/core';
import type { Connection } from '../dispatcher/dispatcher';

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

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export interface HarnessOptions {
  core: AppCore;
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

function tokenOk(req: IncomingMessage, token: string): boolean {
  const u = new URL(req.url ?? '/', 'http://127.0.0.1');
  const given = Buffer.from(u.searchParams.get('token') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The browser harness: the same services and contract as the desktop app, with the
 * renderer served on 127.0.0.1 and the contract carried over a WebSocket protected by a
 * random per-start token. Only the transport differs from Electron IPC.
 */
export function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The renderer is not built: run `npm run build` first.');
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const sockets = new Map<string, WebSocket>();
  let next = 0;
  server.on('upgrade', (req, socket, head) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === `http://${req.headers.host}`;
    if (u.pathname !== '/ws' || !tokenOk(req, token) || !sameOrigin) {
      opts.core.log.refused({ connectionId: 'ws', channel: 'connect', code: 'bad_sender', userId: null, detail: String(origin) });
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = { id: `ws-${++next}`, locale: 'en' };
      sockets.set(conn.id, ws);
      ws.on('message', (data) => {
        let msg: { t?: unknown; id?: unknown; channel?: unknown; input?: unknown; locale?: unknown };
        try {
          msg = JSON.parse(String(data));
        } catch {
          return;
        }
        if (msg.t !== 'call' || typeof msg.id !== 'number') return;
        if (msg.locale === 'zh-CN' || msg.locale === 'en') conn.locale = msg.locale;
        void opts.core.dispatcher.call(conn, msg.channel, msg.input).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id: msg.id, result }));
        });
      });
      ws.on('close', () => {
        sockets.delete(conn.id);
        opts.core.maybe()?.sessions.end(conn.id);
      });
    });
  });

  const unsubscribe = opts.core.dispatcher.onEvent((target, name, payload, mayReceive) => {
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
