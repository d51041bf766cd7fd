/**
 * Serves the built web app. Hashed assets are cached forever; index.html never, so a deploy
 * is picked up on the next load. Paths that are not files fall back to index.html (the app
 * routes `/d/<name>` itself).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function staticFiles(root: string | null): StaticHandler {
  return async (request, response) => {
    if (root === null) {
      sendText(response, 404, 'This relay serves no web app.\n');
      return;
    }
    const pathname = safePathname(request.url ?? '/');
    const file = pathname === null ? null : await findFile(root, pathname);
    const target = file ?? (await findFile(root, '/index.html'));
    if (target === null) {
      sendText(response, 404, 'The web app is not built yet: run `pnpm build`.\n');
      return;
    }
    const isIndex = target.endsWith(`${sep}index.html`);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control': isIndex
        ? 'no-cache'
        : pathname?.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=0, must-revalidate',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(target).pipe(response);
  };
}

/** The decoded path of a URL, or null if it tries to leave the web root. */
function safePathname(url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://relay').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\u0000')) return null;
  const normalized = normalize(pathname);
  return normalized.split(/[\\/]/).includes('..') ? null : normalized;
}

async function findFile(root: string, pathname: string): Promise<string | null> {
  const candidate = join(root, pathname);
  if (!candidate.startsWith(root)) return null;
  try {
    const info = await stat(candidate);
    return info.isFile() ? candidate : null;
  } catch {
    return null;
  }
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}
