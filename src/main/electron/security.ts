import { app, type Session, type WebContents } from 'electron';
import log from 'electron-log/main';
import { contentSecurityPolicy } from './csp';
import { openExternalLink } from './external-links';
import { isAppUrl, navigationAllowed, type AppLocation } from './trusted-sender';

/**
 * Electron hardening that is not a BrowserWindow option (window.ts has those). Follows
 * Electron's security checklist; Actual's navigation-security test is the behaviour this
 * must keep: external links go to the OS browser, nothing replaces the app's page.
 */

/**
 * Session-wide: CSP on the app's own responses and no permissions at all. The app needs no
 * camera, microphone, geolocation, notifications, Web Serial or Web HID: instruments are
 * read by the main process (serialport), never by the page.
 *
 * webRequest does not see `file:` loads, so the renderer build also writes the policy into
 * index.html as a <meta> tag (electron.vite.config.ts); the header covers the dev server
 * and any future `app:` protocol.
 */
export function hardenSession(session: Session, location: AppLocation): void {
  const csp = contentSecurityPolicy(location);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, location) && !isSameOrigin(details.url, location)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`permission request denied: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function isSameOrigin(url: string, location: AppLocation): boolean {
  if (location.kind !== 'dev') return false;
  try {
    return new URL(url).origin === new URL(location.url).origin;
  } catch {
    return false;
  }
}

/**
 * Every WebContents, including ones created later: no navigation away from the app, no
 * new windows, no <webview>. Must be installed before the first window is created.
 */
export function installNavigationGuards(location: AppLocation): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, location));
}

function guardWebContents(contents: WebContents, location: AppLocation): void {
  // A reload of the app's own page (dev server full reload, Ctrl+R) is allowed; anything
  // else would replace the app with content that inherits the preload. The decision fails
  // closed: a URL that cannot be parsed or decoded is denied (navigationAllowed never throws).
  contents.on('will-navigate', (event) => {
    if (navigationAllowed(event.url, location)) return;
    event.preventDefault();
    log.warn(`navigation blocked: ${String(event.url).slice(0, 200)}`);
    routeToBrowser(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (navigationAllowed(event.url, location)) return;
    event.preventDefault();
    log.warn(`redirect blocked: ${String(event.url).slice(0, 200)}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    routeToBrowser(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview blocked');
  });
}

/** https links leave through the allowlisted helper (which refuses and logs the rest). */
function routeToBrowser(url: unknown): void {
  if (typeof url !== 'string' || !url.startsWith('https:')) return;
  void openExternalLink(url).catch((e: unknown) => log.warn('external link failed', e));
}
