/**
 * What the document API's route modules (trash-routes.ts, history/history-routes.ts) share:
 * a route answers `{ status, body }` or throws a refusal, which is answered as `{ error }`
 * with its status; and the access a request has to one document, under the same rules as
 * the WebSocket (everyone may do everything in local mode).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_PRINCIPAL } from './admission';
import { AuthError, type Principal } from './auth';
import { principalFor, type AuthenticationPolicy } from './authentication';
import { sendJson } from './static-files';

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** A refusal with its HTTP status, answered as `{ error }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A handler that answers what `route` returns as JSON, and an HttpError or AuthError it
 * throws as `{ error }` with its status; any other error is the caller's.
 */
export function jsonRoutes(route: (path: string, request: IncomingMessage) => Promise<ApiAnswer>) {
  return async (path: string, request: IncomingMessage, response: ServerResponse) => {
    try {
      const answer = await route(path, request);
      sendJson(response, answer.status, answer.body);
    } catch (error) {
      if (error instanceof HttpError || error instanceof AuthError) {
        sendJson(response, error.status, { error: error.message });
        return;
      }
      throw error;
    }
  };
}

/** The principal `request` speaks for, if it has `role` on `docName`; else AuthError. */
export async function docAccess(
  request: IncomingMessage,
  docName: string,
  policy: AuthenticationPolicy,
  role: 'read' | 'write',
): Promise<Principal> {
  const principal = await principalFor(request, docName, policy, LOCAL_PRINCIPAL);
  if (role === 'write' && principal.role !== 'write') {
    throw new AuthError(403, 'this token may read the document but not change it');
  }
  return principal;
}
