/**
 * The browser harness's HTTP and WebSocket surface under fuzzing (issue 18 §8): malformed
 * URLs (invalid percent-encoding, NUL, traversal, junk request targets) get a 4xx, malformed
 * frames (not JSON, `null`, arrays, numbers, strings, calls without an id, random channels
 * and inputs, a frame over the size limit) get an error reply or a closed socket, the
 * process stays up and serves the next client, and nothing is written: the database files
 * and the audit trail are exactly as before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channelNames } from '../../src/shared/contract';
import { tempDir } from '../helpers/core';

let t: ReturnType<typeof tempDir>;
let child: ChildProcess;
let base: URL;
let token: string;
let dataDir: string;
let stderr = '';

const STRICT_META = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'" />`;

beforeAll(async () => {
  t = tempDir('lotseal-fuzz-');
  dataDir = join(t.dir, 'data');
  const renderer = join(t.dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  // A built renderer's index.html carries the desktop's strict policy; the harness must swap it.
  writeFileSync(
    join(renderer, 'index.html'),
    `<!doctype html><html><head>${STRICT_META}<title>x</title></head><body></body></html>`,
  );
  writeFileSync(join(renderer, 'app.js'), 'console.log(1)');
  child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/harness-fuzz-target.ts', dataDir, renderer], {
    cwd: resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /URL (\S+)/.exec(out);
      if (m?.[1]) res(m[1]);
    });
    child.once('exit', (code) => rej(new Error(`harness exited ${code}: ${stderr}`)));
  });
  child.stdout?.resume();
  base = new URL(url);
  token = /token=([^&]+)/.exec(base.hash)![1]!;
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  t?.cleanup();
});

/** Every file of the data folder that a write would change, by SHA-256 (-shm holds read marks). */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!p.endsWith('-shm'))
        out[p.slice(dataDir.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dataDir);
  return out;
}

function head(): number {
  const db = new Database(join(dataDir, 'lotseal.db'), { readonly: true });
  try {
    return (db.prepare('SELECT max(seq) AS s FROM audit_entry').get() as { s: number }).s;
  } finally {
    db.close();
  }
}

/** A raw HTTP request with any request target; resolves with the status code (0: closed without one). */
function rawRequest(target: string, method = 'GET'): Promise<number> {
  return new Promise((res) => {
    const s = connect(Number(base.port), base.hostname);
    let data = '';
    s.setTimeout(20_000, () => s.destroy());
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => res(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    s.end(`${method} ${target} HTTP/1.1\r\nHost: ${base.host}\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

function httpGet(path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((res, rej) => {
    get({ host: base.hostname, port: base.port, path }, (r) => {
      let body = '';
      r.on('data', (d: Buffer) => (body += d.toString()));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body }));
    }).on('error', rej);
  });
}

function openSocket(): Promise<WebSocket> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(`ws://${base.host}/ws?token=${encodeURIComponent(token)}`, {
      origin: `http://${base.host}`,
    });
    ws.once('open', () => res(ws));
    ws.once('error', rej);
  });
}

/** Sends one frame and waits for the reply to it (every frame gets one) or the socket's close. */
function exchange(
  ws: WebSocket,
  frame: string | Buffer,
): Promise<{ reply: Record<string, unknown> | null; closed: boolean }> {
  return new Promise((res) => {
    const onMessage = (d: WebSocket.RawData): void => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if (m['t'] === 'event') return;
      done({ reply: m, closed: false });
    };
    const onClose = (): void => done({ reply: null, closed: true });
    const done = (r: { reply: Record<string, unknown> | null; closed: boolean }): void => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      res(r);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(frame);
  });
}

const json = fc.jsonValue({ maxDepth: 3 });
const frameArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'null',
    '[]',
    '0',
    '-1',
    '1e309',
    '"call"',
    'true',
    '{',
    '{"t":"call"}',
    '{"t":"call","id":"1"}',
    '{"t":"call","id":1.5}',
    '[{"t":"call","id":1}]',
    '{"t":null,"id":null}',
  ),
  json.map((v) => JSON.stringify(v)),
  fc
    .record({
      t: fc.oneof(fc.constant('call'), fc.string({ maxLength: 8 })),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)),
      // Every channel except the sign-in ones, whose refusal is a recorded event by design.
      channel: fc.oneof(
        fc.constantFrom(...channelNames.filter((c) => !c.startsWith('auth.'))),
        fc.string({ maxLength: 40 }),
      ),
      input: json,
      locale: fc.oneof(fc.constantFrom('en', 'zh-CN'), json),
    })
    .map((v) => JSON.stringify(v)),
);

describe('harness under malformed input', () => {
  it('answers malformed URLs with 4xx, frames with error replies, stays up and writes nothing', async () => {
    const before = snapshot();
    const seqBefore = head();

    // The request that used to end the process without a token (issue 18).
    expect(await rawRequest('/%E0%A4%A')).toBe(400);
    for (const target of [
      '/%',
      '/%zz',
      '/a%00b',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fkeys',
      '*',
      'http://[::1',
      `/${'a'.repeat(10_000)}`,
    ]) {
      expect([400, 403, 404, 414, 431, 200]).toContain(await rawRequest(target));
    }
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^\/[\x21-\x7e]{0,80}$/),
        fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'),
        async (path, method) => {
          const status = await rawRequest(path, method);
          expect([200, 400, 403, 405]).toContain(status);
        },
      ),
      { numRuns: 150 },
    );

    const ws = await openSocket();
    for (const frame of ['null', '[]', '42', '"x"', '{"t":"call","channel":"app.status"}', 'not json']) {
      const r = await exchange(ws, frame);
      expect(r.reply).toMatchObject({ t: 'error', error: { code: 'invalid_input', messageKey: 'errors.bad_frame' } });
    }
    await fc.assert(
      fc.asyncProperty(frameArb, async (frame) => {
        const r = await exchange(ws, frame);
        expect(r.closed).toBe(false);
        expect(['error', 'result']).toContain(r.reply?.['t']);
        if (r.reply?.['t'] === 'result')
          expect((r.reply['result'] as { ok: boolean }).ok === false || r.reply['result'] !== null).toBe(true);
      }),
      { numRuns: 400 },
    );

    // A frame over the limit closes that socket (1009), not the process.
    const big = await exchange(ws, Buffer.alloc(33 * 1024 * 1024, 0x20));
    expect(big.closed).toBe(true);

    // Still serving: the page (with the harness's own policy) and a new socket.
    const page = await httpGet('/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain(`ws://127.0.0.1:${base.port}`);
    expect(page.body).not.toContain(STRICT_META);
    expect(page.body).toContain(`connect-src 'self' ws://127.0.0.1:${base.port}`);
    const ws2 = await openSocket();
    const status = await exchange(ws2, JSON.stringify({ t: 'call', id: 1, channel: 'app.status', input: {} }));
    expect(status.reply).toMatchObject({ t: 'result', id: 1, result: { ok: true, data: { initialized: true } } });
    ws2.close();

    expect(child.exitCode).toBeNull();
    expect(head()).toBe(seqBefore);
    expect(snapshot()).toEqual(before);
    expect(stderr).not.toMatch(/uncaught|TypeError|URIError/i);
  });
});
