/**
 * Decides, before any document is loaded, whether a WebSocket upgrade may proceed: the relay
 * is accepting, the browser origin is allowed, the document name is valid, and (in secured
 * mode) the token is valid and grants this document.
 */
import type { IncomingMessage } from 'node:http';
import { docNameProblem } from '@weft/protocol';
import { AuthError, authorize, type Principal } from './auth';
import { clientAddress, originAllowed, tokenFromRequest } from './request-identity';

export interface AdmissionPolicy {
  /** HS256 key; null is local mode, where every connection may read and write. */
  readonly authKey: Uint8Array | null;
  readonly allowedOrigins: readonly string[] | null;
  readonly trustProxy: boolean;
}

export type Admission =
  | {
      readonly ok: true;
      readonly docName: string;
      readonly principal: Principal;
      readonly address: string;
    }
  | { readonly ok: false; readonly status: 400 | 401 | 403; readonly reason: string };

/** Everyone in local mode: write access to every document, never expiring. */
export const LOCAL_PRINCIPAL: Principal = {
  userId: 'local',
  name: null,
  docPattern: '*',
  role: 'write',
  expiresAt: Number.POSITIVE_INFINITY,
};

export async function admit(request: IncomingMessage, policy: AdmissionPolicy): Promise<Admission> {
  if (!originAllowed(request, policy.allowedOrigins)) {
    return { ok: false, status: 403, reason: 'origin not allowed' };
  }
  const docName = docNameFromUrl(request.url ?? '/');
  if (docName === null) {
    return { ok: false, status: 400, reason: 'document name is not valid URL encoding' };
  }
  const problem = docNameProblem(docName);
  if (problem !== null) return { ok: false, status: 400, reason: problem };

  let principal = LOCAL_PRINCIPAL;
  if (policy.authKey !== null) {
    try {
      principal = await authorize(tokenFromRequest(request), policy.authKey, docName);
    } catch (error) {
      if (error instanceof AuthError)
        return { ok: false, status: error.status, reason: error.message };
      throw error;
    }
  }
  return { ok: true, docName, principal, address: clientAddress(request, policy.trustProxy) };
}

function docNameFromUrl(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://relay').pathname.slice(1));
  } catch {
    return null;
  }
}
