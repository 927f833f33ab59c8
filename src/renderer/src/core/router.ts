import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/audit?entity=user&id=alice`. Hash routing keeps every page
 * linkable in the harness (served over http) and in Electron (loaded from a file), without
 * a router dependency.
 */
export interface Route {
  /** First path segment: `audit` for `#/audit/anything`. Empty string = home. */
  readonly page: string;
  readonly path: string;
  readonly params: URLSearchParams;
}

export type RouteParams = Record<string, string | number | null | undefined>;

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', query = ''] = raw.split('?', 2);
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  const page = path.split('/')[1] ?? '';
  return { page, path, params: new URLSearchParams(query) };
}

export function href(path: string, params?: RouteParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

export function navigate(path: string, params?: RouteParams): void {
  window.location.hash = href(path, params);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

let cachedHash = '';
let cachedRoute: Route = parseHash('');

function snapshot(): Route {
  const h = window.location.hash;
  if (h !== cachedHash) {
    cachedHash = h;
    cachedRoute = parseHash(h);
  }
  return cachedRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}
