/**
 * Who a request speaks for: an application's `authenticate` hook (a cookie, a session, its own
 * login), beside the built-in token check. The same answer serves the WebSocket upgrade
 * (admission.ts), `/api/access`, the document list and the history routes.
 *
 * - The hook runs first. A user it returns is admitted as that user; `null` hands the request
 *   to the token check, and with no token check configured refuses it (401). A hook that
 *   throws refuses: with its status and reason when it throws an AuthError, else 401 (and the
 *   error is logged, never shown).
 * - Without a hook: the token check when tokens are configured (auth.ts), else local mode.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import {
  AuthError,
  authorize,
  docMatches,
  verifyToken,
  type AuthKey,
  type Principal,
} from './auth';
import { tokenFromRequest } from './request-identity';

/** A user the application vouches for. */
export interface AuthenticatedUser {
  readonly userId: string;
  readonly name?: string | null;
  readonly role: 'read' | 'write';
  /** An exact document name, or a prefix ending in `*`. Default: the document asked for. */
  readonly docs?: string;
  /** Seconds since the epoch when its connections are closed (4401). Default: never. */
  readonly expiresAt?: number;
}

export interface AuthenticatePayload {
  readonly request: IncomingMessage;
  /** The document asked for; null for the document list (`GET /api/docs`). */
  readonly docName: string | null;
  /** The access token the request carries, if any (query, subprotocol or bearer). */
  readonly token: string | null;
}

export type AuthenticateHook = (
  payload: AuthenticatePayload,
) => AuthenticatedUser | null | Promise<AuthenticatedUser | null>;

export interface AuthenticationPolicy {
  /** Token keys; null: no token check. */
  readonly authKey: AuthKey | null;
  readonly authenticate?: AuthenticateHook | undefined;
  /** Where a throwing hook is reported. */
  readonly log?: Logger | undefined;
}

/** Local mode: neither tokens nor a hook, so everyone may do everything. */
export function isOpen(policy: AuthenticationPolicy): boolean {
  return policy.authKey === null && policy.authenticate === undefined;
}

/**
 * The principal of `request` for `docName` (null: the document list, where the principal's
 * pattern filters what is shown), or the `local` principal when `policy` is open. Throws
 * AuthError (401 or 403) otherwise. `localPrincipal` is passed in to keep one identity.
 */
export async function principalFor(
  request: IncomingMessage,
  docName: string | null,
  policy: AuthenticationPolicy,
  localPrincipal: Principal,
): Promise<Principal> {
  const token = tokenFromRequest(request);
  if (policy.authenticate !== undefined) {
    const user = await askHook(policy, { request, docName, token });
    if (user !== null) return principalOfUser(user, docName);
    if (policy.authKey === null) throw new AuthError(401, 'not signed in');
  }
  if (policy.authKey === null) return localPrincipal;
  if (docName !== null) return authorize(token, policy.authKey, docName);
  if (token === null || token === '') throw new AuthError(401, 'missing token');
  return verifyToken(token, policy.authKey);
}

async function askHook(
  policy: AuthenticationPolicy,
  payload: AuthenticatePayload,
): Promise<AuthenticatedUser | null> {
  const hook = policy.authenticate;
  if (hook === undefined) return null;
  try {
    return await hook(payload);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    policy.log?.error({ err: error, doc: payload.docName }, 'authenticate hook failed');
    throw new AuthError(401, 'authentication failed');
  }
}

function principalOfUser(user: AuthenticatedUser, docName: string | null): Principal {
  if (typeof user.userId !== 'string' || user.userId === '') {
    throw new AuthError(401, 'authenticate hook returned a user without a userId');
  }
  // Checked although typed: an application written in JavaScript may return anything.
  const role: unknown = user.role;
  if (role !== 'read' && role !== 'write') {
    throw new AuthError(401, 'authenticate hook returned no valid role');
  }
  // No pattern and no document (the list): a pattern that matches no document name.
  const docPattern = user.docs ?? docName ?? '/';
  if (docName !== null && !docMatches(docPattern, docName)) {
    throw new AuthError(403, 'not allowed to open this document');
  }
  return {
    userId: user.userId,
    name: user.name ?? null,
    docPattern,
    role,
    // No tokenId or issuedAt: the application vouches for this user, no token does, so
    // revoking tokens (revocations.ts) never closes its connections.
    expiresAt: user.expiresAt ?? Number.POSITIVE_INFINITY,
  };
}
