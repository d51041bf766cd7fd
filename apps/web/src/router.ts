/**
 * A minimal history-API router: the app has two routes, `/` and `/d/<docName>`, so a
 * routing library would be more code to read than this.
 */
import { useSyncExternalStore } from 'react';

export type Route = { readonly page: 'list' } | { readonly page: 'doc'; readonly docName: string };

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const getPathname = (): string => window.location.pathname;

export function parseRoute(pathname: string): Route {
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname);
  if (match?.[1] !== undefined) {
    try {
      return { page: 'doc', docName: decodeURIComponent(match[1]) };
    } catch {
      return { page: 'list' };
    }
  }
  return { page: 'list' };
}

export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, getPathname));
}

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function docPath(docName: string): string {
  return `/d/${encodeURIComponent(docName)}`;
}
