/**
 * The admin API, protected by its own bearer token (`WEFT_ADMIN_TOKEN`), never by an access
 * token:
 *
 *   GET  /api/admin/revocations   { tokens: { <jti>: revokedAt }, subjects: { <sub>: before } }
 *   POST /api/admin/revocations   { "jti": "…" }: that token;
 *                                 { "sub": "…", "issuedBefore"?: <seconds> }: every token of
 *                                 that user issued before then (default: now)
 *                                 → 201 { revoked: { jti } | { sub, issuedBefore } }
 *
 * A revoked token is refused at the upgrade (401 "token revoked") and the relay closes its
 * open connections with 4401 at once; relays sharing the revocation file within a second.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from './request-identity';
import type { Revocations } from './revocations';
import { sameSecret } from './same-secret';
import { sendJson } from './static-files';

export interface AdminRoutesDeps {
  /** Null: no admin token configured, so the admin API answers 404. */
  readonly adminToken: string | null;
  readonly revocations: Revocations | null;
}

const MAX_BODY_BYTES = 4096;

export function isAdminPath(path: string): boolean {
  return path === '/api/admin' || path.startsWith('/api/admin/');
}

export function adminRoutes(deps: AdminRoutesDeps) {
  return async (path: string, request: IncomingMessage, response: ServerResponse) => {
    const { adminToken, revocations } = deps;
    if (adminToken === null || revocations === null) {
      sendJson(response, 404, { error: 'no admin API: WEFT_ADMIN_TOKEN is not set' });
      return;
    }
    const given = bearerToken(request);
    if (given === null || !sameSecret(given, adminToken)) {
      response.setHeader('www-authenticate', 'Bearer');
      sendJson(response, 401, { error: 'missing or wrong admin token' });
      return;
    }
    if (path !== '/api/admin/revocations') {
      sendJson(response, 404, { error: 'not found' });
      return;
    }
    if (request.method === 'GET') {
      sendJson(response, 200, revocations.list());
      return;
    }
    if (request.method !== 'POST') {
      sendJson(response, 405, { error: 'method not allowed' });
      return;
    }
    const body = await jsonBody(request);
    if (body === null) {
      sendJson(response, 400, { error: 'the body must be a JSON object of at most 4 KiB' });
      return;
    }
    const { jti, sub, issuedBefore } = body;
    if (typeof jti === 'string' && jti !== '' && sub === undefined) {
      await revocations.revokeToken(jti);
      sendJson(response, 201, { revoked: { jti } });
      return;
    }
    if (typeof sub === 'string' && sub !== '' && jti === undefined) {
      const before = issuedBefore ?? Math.floor(Date.now() / 1000);
      if (typeof before !== 'number' || !Number.isFinite(before)) {
        sendJson(response, 400, { error: 'issuedBefore must be seconds since the epoch' });
        return;
      }
      await revocations.revokeSubject(sub, before);
      sendJson(response, 201, { revoked: { sub, issuedBefore: before } });
      return;
    }
    sendJson(response, 400, {
      error: 'give either "jti" (one token) or "sub" with an optional "issuedBefore"',
    });
  };
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
