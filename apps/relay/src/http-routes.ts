/**
 * The relay's HTTP endpoints: health and readiness probes, the document list, and the web
 * app for everything else.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocStore } from '@weft/storage';
import { docNameProblem } from '@weft/protocol';
import { AuthError, authorize, docMatches, verifyToken } from './auth';
import { listDocuments } from './doc-list';
import type { RelayMetrics } from './metrics';
import { bearerToken, tokenFromRequest } from './request-identity';
import type { Rooms } from './rooms';
import { sendJson, sendText, staticFiles } from './static-files';

export interface HttpRoutesDeps {
  readonly store: DocStore;
  readonly rooms: Rooms;
  readonly metrics: RelayMetrics;
  /** In secured mode every `/api/*` request needs a valid token; null is local mode. */
  readonly authKey: Uint8Array | null;
  /**
   * The bearer token `/metrics` requires. Without one, metrics are open in local mode and
   * refused in secured mode: they carry no document content, but traffic and error counts
   * are not for everyone on a public server.
   */
  readonly metricsToken: string | null;
  readonly webDist: string | null;
  /** False once the relay is shutting down (readiness probes then fail). */
  readonly isReady: () => boolean;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function httpRoutes(deps: HttpRoutesDeps): RequestHandler {
  const serveStatic = staticFiles(deps.webDist);
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (path === '/healthz') {
      sendJson(response, 200, { ok: true });
    } else if (path === '/readyz') {
      const ready = deps.isReady();
      sendJson(response, ready ? 200 : 503, { ready });
    } else if (path === '/metrics') {
      const refusal = metricsRefusal(request);
      if (refusal !== null) {
        response.setHeader('www-authenticate', 'Bearer');
        sendJson(response, 401, { error: refusal });
        return;
      }
      const body = await deps.metrics.render();
      response.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      response.end(body);
    } else if (path.startsWith('/api/')) {
      await handleApi(path, request, response);
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'method not allowed\n');
    } else {
      await serveStatic(request, response);
    }
  };

  /** Why this request may not read `/metrics`, or null when it may. */
  function metricsRefusal(request: IncomingMessage): string | null {
    if (deps.metricsToken === null) {
      return deps.authKey === null ? null : 'metrics need WEFT_METRICS_TOKEN on a secured relay';
    }
    const given = bearerToken(request);
    return given !== null && sameSecret(given, deps.metricsToken)
      ? null
      : 'missing or wrong metrics token';
  }

  async function handleApi(path: string, request: IncomingMessage, response: ServerResponse) {
    if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'method not allowed' });
      return;
    }
    try {
      if (path === '/api/docs') {
        await listVisibleDocs(request, response);
      } else if (path.startsWith('/api/access/')) {
        await describeAccess(path.slice('/api/access/'.length), request, response);
      } else {
        sendJson(response, 404, { error: 'not found' });
      }
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      sendJson(response, error.status, { error: error.message });
    }
  }

  /** `GET /api/docs`: in secured mode, only the documents the token grants. */
  async function listVisibleDocs(request: IncomingMessage, response: ServerResponse) {
    let visible: (name: string) => boolean = () => true;
    if (deps.authKey !== null) {
      const token = tokenFromRequest(request);
      if (token === null) throw new AuthError(401, 'missing token');
      const principal = await verifyToken(token, deps.authKey);
      visible = (name) => docMatches(principal.docPattern, name);
    }
    const docs = await listDocuments(deps.store, deps.rooms);
    sendJson(response, 200, { docs: docs.filter((doc) => visible(doc.name)) });
  }

  /**
   * `GET /api/access/<docName>`: what this request's token allows on one document (200 with
   * the role, or 401/403 exactly as a WebSocket upgrade would be refused). Browsers cannot
   * read the status of a refused upgrade, so the web app asks here after a failed attempt.
   */
  async function describeAccess(
    rawName: string,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      sendJson(response, 400, { error: 'document name is not valid URL encoding' });
      return;
    }
    const problem = docNameProblem(name);
    if (problem !== null) {
      sendJson(response, 400, { error: problem });
      return;
    }
    if (deps.authKey === null) {
      sendJson(response, 200, { role: 'write', expiresAt: null });
      return;
    }
    const principal = await authorize(tokenFromRequest(request), deps.authKey, name);
    sendJson(response, 200, { role: principal.role, expiresAt: principal.expiresAt });
  }
}

/** Compares two secrets in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
