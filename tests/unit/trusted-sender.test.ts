import { describe, expect, it } from 'vitest';
import { createSenderCheck, isAppUrl, isTrustedSender, type AppLocation } from '../../src/main/electron/trusted-sender';

const built: AppLocation = { kind: 'file', indexUrl: 'file:///opt/LotSeal/resources/app.asar/out/renderer/index.html' };
const dev: AppLocation = { kind: 'dev', url: 'http://localhost:5173' };

const mainFrame = (url: string) => ({ url, parent: null });

describe('IPC sender validation', () => {
  it('accepts the app page in the main frame, with any hash or query', () => {
    expect(isTrustedSender(mainFrame(built.indexUrl), built)).toBe(true);
    expect(isTrustedSender(mainFrame(`${built.indexUrl}#/samples/42`), built)).toBe(true);
    expect(isTrustedSender(mainFrame(`${built.indexUrl}?lang=zh-CN`), built)).toBe(true);
  });

  it('refuses a sub-frame even when it shows the app page', () => {
    expect(isTrustedSender({ url: built.indexUrl, parent: { url: built.indexUrl } }, built)).toBe(false);
  });

  it('refuses a frame that is gone, or one whose main-frame status is unknown', () => {
    expect(isTrustedSender(null, built)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
    expect(isTrustedSender({ url: built.indexUrl }, built)).toBe(false);
  });

  it('refuses other file: pages, including look-alike paths', () => {
    for (const url of [
      'file:///opt/LotSeal/resources/app.asar/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///opt/LotSeal/resources/app.asar/out/renderer/index.html.evil',
      'file:///opt/LotSeal/resources/app.asar/out/renderer/index.html/',
      'file://evil-host/opt/LotSeal/resources/app.asar/out/renderer/index.html',
    ]) {
      expect(isTrustedSender(mainFrame(url), built), url).toBe(false);
    }
  });

  it('compares parsed paths, so dot segments that resolve to the app page are the app page', () => {
    const url = 'file:///opt/LotSeal/resources/app.asar/out/renderer/../renderer/index.html';
    expect(isAppUrl(url, built)).toBe(true);
  });

  it('refuses web pages and odd schemes in a built app', () => {
    for (const url of [
      'https://www.ecfr.gov/',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,hi',
      'not a url',
      '',
    ]) {
      expect(isTrustedSender(mainFrame(url), built), url).toBe(false);
    }
  });

  it('in development accepts the dev server origin only', () => {
    expect(isTrustedSender(mainFrame('http://localhost:5173/'), dev)).toBe(true);
    expect(isTrustedSender(mainFrame('http://localhost:5173/src/main.tsx#x'), dev)).toBe(true);
    for (const url of [
      'http://localhost:5174/',
      'https://localhost:5173/',
      'http://127.0.0.1:5173/',
      'http://localhost:5173@evil.example/',
      'http://user:pw@localhost:5173/',
      'http://evil.example/?http://localhost:5173',
      built.indexUrl,
    ]) {
      expect(isTrustedSender(mainFrame(url), dev), url).toBe(false);
    }
  });

  it('createSenderCheck binds the location', () => {
    const check = createSenderCheck(built);
    expect(check(mainFrame(built.indexUrl))).toBe(true);
    expect(check(mainFrame('https://example.com/'))).toBe(false);
  });
});
