import type { AppLocation } from './trusted-sender';

/**
 * The app's Content-Security-Policy (docs/decisions.md D-016). Pure, because it is used in
 * two places: the Electron session sets it as a header (security.ts), and the renderer
 * build writes it into index.html as a <meta> tag (electron.vite.config.ts), which is what
 * protects `file:` loads and the browser harness.
 */
export function contentSecurityPolicy(
  app: AppLocation | { readonly kind: 'built' },
  delivery: 'header' | 'meta' = 'header',
): string {
  let connect = "'self'";
  let script = "'self'";
  if (app.kind === 'dev') {
    // Vite's dev server: module fetches over http and HMR over ws on the same host:port.
    const dev = new URL(app.url);
    const wsProtocol = dev.protocol === 'https:' ? 'wss:' : 'ws:';
    connect += ` ${dev.origin} ${wsProtocol}//${dev.host}`;
    // Development only: @vitejs/plugin-react injects the React Refresh preamble as an inline
    // module script. Built apps never get 'unsafe-inline' for scripts.
    script += " 'unsafe-inline'";
  }
  const directives = [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
  ];
  // Browsers ignore frame-ancestors in a <meta> policy (and log a warning), so only the
  // header carries it.
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
