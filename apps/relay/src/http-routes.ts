/**
 * The relay's HTTP endpoints: health and readiness probes, the document list, and the web
 * app for everything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocStore } from '@weft/storage';
import { adminRoutes, isAdminPath, type AdminRoutesDeps } from './admin-routes';
import { admitTo, LOCAL_PRINCIPAL, type AdmissionPolicy } from './admission';
import { AuthError, docMatches, type AuthKey } from './auth';
import { isOpen, principalFor, type AuthenticateHook } from './authentication';
import { listDocuments } from './doc-list';
import type { EventsRoute } from './events-route';
import { historyRoutes, isHistoryPath } from './history/history-routes';
import type { RelayMetrics } from './metrics';
import { bearerToken } from './request-identity';
import { sameSecret } from './same-secret';
import type { Rooms } from './rooms';
import { sendJson, sendText, staticFiles } from './static-files';
import type { Trash } from './trash';
import { isTrashPath, trashRoutes } from './trash-routes';

export interface HttpRoutesDeps extends Partial<AdminRoutesDeps> {
  readonly store: DocStore;
  readonly rooms: Rooms;
  /** People in a document on every relay, when a shared event feed knows (cluster mode). */
  readonly peopleIn?: ((name: string) => number | undefined) | undefined;
  readonly metrics: RelayMetrics;
  /** In secured mode every `/api/*` request needs a valid token; null is local mode. */
  readonly authKey: AuthKey | null;
  /** An embedding application's own check, beside tokens (authentication.ts). */
  readonly authenticate?: AuthenticateHook | undefined;
  /**
   * The bearer token `/metrics` requires. Without one, metrics are open in local mode and
   * refused in secured mode: they carry no document content, but traffic and error counts
   * are not for everyone on a public server.
   */
  readonly metricsToken: string | null;
  readonly webDist: string | null;
  /** What `/api/access` checks a socket against, as the upgrade does. */
  readonly admission: AdmissionPolicy & { readonly maxConnectionsPerAddress: number };
  /** Open sockets from one client address (as `clientAddress` names it). */
  readonly connectionsFrom: (address: string) => number;
  /**
   * Why the relay should not get new users now (shutting down, storage failing or not
   * answering), or null when it should; `/readyz` answers 503 with this reason.
   */
  readonly unreadiness: () => Promise<string | null>;
  /** `GET /api/events`, the live document list (events-route.ts). */
  readonly events?: EventsRoute | undefined;
  /** The trash (trash-routes.ts); without it, no trash routes. */
  readonly trash?: Trash | undefined;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export function httpRoutes(deps: HttpRoutesDeps): RequestHandler {
  const serveStatic = staticFiles(deps.webDist);
  const history = historyRoutes(deps);
  const trash = deps.trash ? trashRoutes({ ...deps, trash: deps.trash }) : null;
  const admin = adminRoutes({
    adminToken: deps.adminToken ?? null,
    revocations: deps.revocations ?? null,
  });
  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (path === '/healthz') {
      sendJson(response, 200, { ok: true });
    } else if (path === '/readyz') {
      const reason = await deps.unreadiness();
      if (reason === null) sendJson(response, 200, { ready: true });
      else sendJson(response, 503, { ready: false, reason });
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
      return isOpen(deps) ? null : 'metrics need WEFT_METRICS_TOKEN on a secured relay';
    }
    const given = bearerToken(request);
    return given !== null && sameSecret(given, deps.metricsToken)
      ? null
      : 'missing or wrong metrics token';
  }

  async function handleApi(path: string, request: IncomingMessage, response: ServerResponse) {
    if (isHistoryPath(path)) return history(path, request, response);
    if (trash && isTrashPath(path, request.method)) return trash(path, request, response);
    if (isAdminPath(path)) return admin(path, request, response);
    if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'method not allowed' });
      return;
    }
    try {
      if (path === '/api/docs') {
        await listVisibleDocs(request, response);
      } else if (path === '/api/events' && deps.events) {
        await deps.events.handle(request, response);
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
    if (!isOpen(deps)) {
      const principal = await principalFor(request, null, deps, LOCAL_PRINCIPAL);
      visible = (name) => docMatches(principal.docPattern, name);
    }
    const docs = await listDocuments(deps.store, deps.rooms, deps.peopleIn);
    sendJson(response, 200, { docs: docs.filter((doc) => visible(doc.name)) });
  }

  /**
   * `GET /api/access/<docName>[?origin=<origin>]`: whether a socket from this request (its
   * token and address) and from `origin` (the page's; a same-origin fetch carries no Origin
   * header, so the page says it) would be admitted. Browsers cannot read the status of a
   * refused upgrade, so the web app asks here after a failed attempt. Answers, each refusal
   * with `error` and `refusal` naming it:
   * - 200 `{ role, expiresAt }`: admitted (`expiresAt` null in local mode);
   * - 401/403 `refusal: 'token'`: the token, exactly as the upgrade would be refused;
   * - 403 `refusal: 'origin'`, with `publicOrigin`: the origin the relay accepts (null: it
   *   cannot tell from the request);
   * - 400 `refusal: 'name'`: the document name;
   * - 429 `refusal: 'address-limit'`, with `limit`: this address already holds the most
   *   connections allowed (the upgrade would be closed with 1008).
   */
  async function describeAccess(
    encodedName: string,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    const asked = new URL(request.url ?? '/', 'http://relay').searchParams.get('origin');
    const origin = asked ?? request.headers.origin;
    const admission = await admitTo(encodedName, origin, request, deps.admission);
    if (!admission.ok) {
      const details = admission.kind === 'origin' ? { publicOrigin: admission.publicOrigin } : {};
      sendJson(response, admission.status, {
        error: admission.reason,
        refusal: admission.kind,
        ...details,
      });
      return;
    }
    const limit = deps.admission.maxConnectionsPerAddress;
    if (deps.connectionsFrom(admission.address) >= limit) {
      sendJson(response, 429, {
        error: 'too many connections from this address',
        refusal: 'address-limit',
        limit,
      });
      return;
    }
    const { role, expiresAt } = admission.principal;
    sendJson(response, 200, { role, expiresAt: Number.isFinite(expiresAt) ? expiresAt : null });
  }
}
