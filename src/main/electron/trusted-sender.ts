/**
 * Who may talk to the main process (style guide §4, VS Code's ValidatedIpcMain).
 *
 * Every IPC call is accepted only from the app's own page in the window's main frame: a
 * sub-frame, or a page the window was somehow navigated to, gets nothing, even though it
 * shares the preload. URLs are parsed with WHATWG URL and compared by component, never as
 * strings: `file:///opt/LotSeal/index.html.evil/..`, `http://localhost:5173@evil.example`
 * and a `file:` page from another folder all fail.
 *
 * Pure on purpose (no Electron import at run time) so the rules are unit tested
 * (tests/unit/trusted-sender.test.ts).
 */

/** Where the app's page is loaded from. */
export type AppLocation =
  /** Built app: `file:` URL of out/renderer/index.html (inside app.asar when packaged). */
  | { readonly kind: 'file'; readonly indexUrl: string }
  /** `electron-vite dev`: the renderer dev server (ELECTRON_RENDERER_URL). */
  | { readonly kind: 'dev'; readonly url: string };

/** The bits of Electron's WebFrameMain this check reads. */
export interface SenderFrameLike {
  readonly url: string;
  /** `null` for a main frame; a sub-frame has its parent frame here. */
  readonly parent?: unknown;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A percent-decoded URL path, or null when it cannot be decoded (never a throw). */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/**
 * A `file:` path on Windows: a drive letter (`/C:/…`) or a UNC share (`file://server/…`).
 * Windows compares such paths without case (`C:\Program Files\LotSeal` is
 * `c:\PROGRAM FILES\lotseal`), and Chromium may report the drive letter or a folder in a
 * different case than the one the app built its own URL from.
 */
function isWindowsFilePath(url: URL, decoded: string): boolean {
  return /^\/[A-Za-z]:[\\/]/.test(decoded) || (url.protocol === 'file:' && url.host !== '');
}

/** Path equality as the OS that owns the path compares it (docs/decisions.md D-040). */
export function samePath(a: string, b: string, windows: boolean): boolean {
  if (!windows) return a === b;
  const norm = (p: string): string => p.replace(/\\/g, '/').toUpperCase();
  return norm(a) === norm(b);
}

/** True when `url` is the app's own page (any query string or hash). Never throws. */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const candidate = parse(url);
  if (!candidate) return false;
  if (app.kind === 'file') {
    const index = parse(app.indexUrl);
    if (index === null || candidate.protocol !== 'file:' || index.protocol !== 'file:') return false;
    if (candidate.username !== '' || candidate.password !== '') return false;
    const want = decodedPath(index.pathname);
    const got = decodedPath(candidate.pathname);
    if (want === null || got === null) return false;
    const windows = isWindowsFilePath(index, want);
    // URL lower-cases host names, so a UNC server compares without case already.
    return candidate.host === index.host && samePath(got, want, windows);
  }
  const dev = parse(app.url);
  return (
    dev !== null &&
    (dev.protocol === 'http:' || dev.protocol === 'https:') &&
    candidate.origin === dev.origin &&
    candidate.username === '' &&
    candidate.password === ''
  );
}

/**
 * The sender check handed to the IPC registration: the frame must still exist, be the main
 * frame, and show the app's own page.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, app: AppLocation): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  // A frame object without `parent` is not a WebFrameMain we know how to judge.
  if (!('parent' in frame) || frame.parent !== null) return false;
  return isAppUrl(frame.url, app);
}

/**
 * What the navigation guard does with a navigation or redirect: only the app's own page may
 * load in an app window (a reload); anything else, including a URL that cannot be parsed or
 * decoded, is denied. Fails closed: any doubt is a denial.
 */
export function navigationAllowed(url: unknown, app: AppLocation): boolean {
  try {
    return typeof url === 'string' && isAppUrl(url, app);
  } catch {
    return false;
  }
}

/** `isTrustedSender` bound to one app location. */
export function createSenderCheck(app: AppLocation): (frame: SenderFrameLike | null | undefined) => boolean {
  return (frame) => isTrustedSender(frame, app);
}
