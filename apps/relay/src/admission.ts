/**
 * Decides, before any document is loaded, whether a WebSocket upgrade may proceed: the relay
 * is accepting, the browser origin is allowed, the document name is valid, and (in secured
 * mode) the token is valid and grants this document. `/api/access` asks the same questions
 * in the same order, so a page learns exactly why its socket would be refused.
 */
import type { IncomingMessage } from 'node:http';
import { docNameProblem } from '@weft/protocol';
import { AuthError, type AuthKey, type Principal } from './auth';
import { principalFor, type AuthenticationPolicy } from './authentication';
import { checkOrigin, clientAddress } from './request-identity';

export interface AdmissionPolicy extends AuthenticationPolicy {
  /** Token keys; null (and no `authenticate` hook) is local mode: everyone reads and writes. */
  readonly authKey: AuthKey | null;
  /** Browser origins allowed besides the relay's public one; `*` allows any. */
  readonly allowedOrigins: readonly string[] | null;
  /** A reverse proxy is in front: believe its X-Forwarded-* and Forwarded headers. */
  readonly trustProxy: boolean;
  /**
   * The URL browsers reach the relay at (`WEFT_PUBLIC_URL`); its origin is the one browsers
   * must come from. Null: derived from the request (see public-origin.ts).
   */
  readonly publicUrl: string | null;
}

/** Why an upgrade is refused; each has its own words in the web app. */
export type Refusal =
  | {
      readonly kind: 'origin';
      readonly status: 403;
      readonly reason: string;
      /** The origin browsers must come from; null when the relay cannot tell. */
      readonly publicOrigin: string | null;
    }
  | { readonly kind: 'name'; readonly status: 400; readonly reason: string }
  | { readonly kind: 'token'; readonly status: 401 | 403; readonly reason: string };

export type Admission =
  | {
      readonly ok: true;
      readonly docName: string;
      readonly principal: Principal;
      readonly address: string;
    }
  | ({ readonly ok: false } & Refusal);

/** Everyone in local mode: write access to every document, never expiring. */
export const LOCAL_PRINCIPAL: Principal = {
  userId: 'local',
  name: null,
  docPattern: '*',
  role: 'write',
  expiresAt: Number.POSITIVE_INFINITY,
};

/** Admission for a WebSocket upgrade to `/<docName>`. */
export function admit(request: IncomingMessage, policy: AdmissionPolicy): Promise<Admission> {
  const pathname = new URL(request.url ?? '/', 'http://relay').pathname;
  return admitTo(pathname.slice(1), request.headers.origin, request, policy);
}

/**
 * Admission of a socket from `origin` (undefined: not a browser) to the document whose
 * URL-encoded name is `encodedName`, with the token and address of `request`.
 */
export async function admitTo(
  encodedName: string,
  origin: string | undefined,
  request: IncomingMessage,
  policy: AdmissionPolicy,
): Promise<Admission> {
  const originCheck = checkOrigin(origin, request, policy);
  if (!originCheck.allowed) {
    return {
      ok: false,
      kind: 'origin',
      status: 403,
      reason: 'origin not allowed',
      publicOrigin: originCheck.publicOrigin,
    };
  }
  const docName = decodedName(encodedName);
  if (docName === null) {
    return {
      ok: false,
      kind: 'name',
      status: 400,
      reason: 'document name is not valid URL encoding',
    };
  }
  const problem = docNameProblem(docName);
  if (problem !== null) return { ok: false, kind: 'name', status: 400, reason: problem };

  let principal;
  try {
    principal = await principalFor(request, docName, policy, LOCAL_PRINCIPAL);
  } catch (error) {
    if (error instanceof AuthError)
      return { ok: false, kind: 'token', status: error.status, reason: error.message };
    throw error;
  }
  return { ok: true, docName, principal, address: clientAddress(request, policy.trustProxy) };
}

function decodedName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
