import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSenderCheck,
  isAppUrl,
  isTrustedSender,
  navigationAllowed,
  samePath,
  type AppLocation,
} from '../../src/main/electron/trusted-sender';

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

describe('Windows paths (D-040)', () => {
  const win: AppLocation = {
    kind: 'file',
    indexUrl: 'file:///C:/Program%20Files/LotSeal/resources/app.asar/out/renderer/index.html',
  };
  it('compares a Windows file path as Windows does: without case', () => {
    for (const url of [
      'file:///c:/Program%20Files/LotSeal/resources/app.asar/out/renderer/index.html',
      'file:///C:/PROGRAM%20FILES/lotseal/resources/APP.ASAR/out/renderer/Index.HTML#/samples',
      'file:///C:/Program Files/LotSeal/resources/app.asar/out/renderer/index.html',
    ]) {
      expect(isTrustedSender(mainFrame(url), win), url).toBe(true);
    }
  });
  it('still refuses another file, another drive or a UNC share', () => {
    for (const url of [
      'file:///D:/Program%20Files/LotSeal/resources/app.asar/out/renderer/index.html',
      'file:///C:/Program%20Files/LotSeal/resources/app.asar/out/renderer/other.html',
      'file://evil/C:/Program%20Files/LotSeal/resources/app.asar/out/renderer/index.html',
    ]) {
      expect(isTrustedSender(mainFrame(url), win), url).toBe(false);
    }
  });
  it('a UNC install compares its server and path without case', () => {
    const unc: AppLocation = { kind: 'file', indexUrl: 'file://labserver/apps/LotSeal/out/renderer/index.html' };
    expect(isAppUrl('file://LABSERVER/Apps/lotseal/out/renderer/index.html', unc)).toBe(true);
    expect(isAppUrl('file://other/apps/LotSeal/out/renderer/index.html', unc)).toBe(false);
  });
  it('POSIX paths stay case-sensitive', () => {
    expect(isAppUrl('file:///opt/lotseal/resources/app.asar/out/renderer/index.html', built)).toBe(false);
    expect(samePath('/opt/A', '/opt/a', false)).toBe(false);
    expect(samePath('/C:/A\\b', '/c:/a/B', true)).toBe(true);
  });
});

describe('navigation guard fails closed (issue 18 §8)', () => {
  it('refuses URLs it cannot parse or decode, without throwing', () => {
    for (const url of [
      'file:///opt/LotSeal/resources/app.asar/out/renderer/%E0%A4%A',
      'file:///opt/LotSeal/resources/app.asar/out/renderer/index.html%',
      'file:///C:/%ZZ/index.html',
      '%E0%A4%A',
      'http://[::1',
      '',
      null,
      undefined,
      42,
      {},
    ]) {
      expect(navigationAllowed(url, built)).toBe(false);
      expect(navigationAllowed(url, dev)).toBe(false);
    }
  });
  it('allows the app page (a reload) and nothing else, for any string', () => {
    expect(navigationAllowed(built.indexUrl, built)).toBe(true);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.string().map((s) => `file:///opt/${s}`),
        ),
        (url) => {
          const allowed = navigationAllowed(url, built);
          // Anything allowed must be the app's index page in its folder.
          if (allowed) expect(new URL(url).pathname).toMatch(/\/out\/renderer\/index\.html$/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
