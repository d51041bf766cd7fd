/**
 * Serves the built web app. Hashed assets are cached forever; index.html never, so a deploy
 * is picked up on the next load. Paths that are not files fall back to index.html (the app
 * routes `/d/<name>` itself).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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
  const webRoot = root === null ? null : resolve(root);
  return async (request, response) => {
    if (webRoot === null) {
      sendText(response, 404, 'This relay serves no web app.\n');
      return;
    }
    const index = join(webRoot, 'index.html');
    const requested = fileInRoot(webRoot, request.url ?? '/');
    const file = requested === null ? null : await existingFile(requested);
    const target = file ?? (await existingFile(index));
    if (target === null) {
      sendText(response, 404, 'The web app is not built yet: run `pnpm build`.\n');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control':
        target === index
          ? 'no-cache'
          : target.startsWith(join(webRoot, 'assets') + sep)
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

/**
 * The path under `root` that `url` names, or null when its path does not decode, holds a NUL
 * byte, or lands outside `root` once resolved: `..` however encoded (`%2e%2e`, `..%2f`, a
 * backslash where it separates), or a sibling whose name merely starts with root's name.
 * Absolute paths in the URL are taken relative to `root`.
 */
function fileInRoot(root: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://relay').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\u0000')) return null;
  const candidate = resolve(root, `.${sep}${pathname}`);
  const fromRoot = relative(root, candidate);
  const outside = fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
  return outside ? null : candidate;
}

async function existingFile(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? path : null;
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
