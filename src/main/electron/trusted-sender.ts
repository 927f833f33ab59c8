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

/** True when `url` is the app's own page (any query string or hash). */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const candidate = parse(url);
  if (!candidate) return false;
  if (app.kind === 'file') {
    const index = parse(app.indexUrl);
    return (
      index !== null &&
      candidate.protocol === 'file:' &&
      index.protocol === 'file:' &&
      candidate.host === index.host &&
      candidate.username === '' &&
      candidate.password === '' &&
      decodeURIComponent(candidate.pathname) === decodeURIComponent(index.pathname)
    );
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

/** `isTrustedSender` bound to one app location. */
export function createSenderCheck(app: AppLocation): (frame: SenderFrameLike | null | undefined) => boolean {
  return (frame) => isTrustedSender(frame, app);
}
