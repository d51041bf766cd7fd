/**
 * Reads the relay's answer to `GET /api/access/<doc>?origin=…` (apps/relay/src/http-routes.ts,
 * `describeAccess`): whether a socket this page would open is admitted, and if not, why.
 * Anything it does not recognise is `unknown`, never a refusal: only the relay's own words
 * may tell a user the relay refuses them.
 */
import type { AccessVerdict } from '@weft/client';

/**
 * @param origin the page origin that was asked about (`location.origin`).
 * @example
 *   verdictFromAnswer(403, { refusal: 'origin', publicOrigin: 'https://a' }, 'https://b');
 *   // { kind: 'origin', origin: 'https://b', publicOrigin: 'https://a' }
 */
export function verdictFromAnswer(status: number, body: unknown, origin: string): AccessVerdict {
  if (status >= 200 && status < 300) return 'granted';
  const answer = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const refusal = answer.refusal;
  if (status === 403 && refusal === 'origin') {
    return { kind: 'origin', origin, publicOrigin: stringOrNull(answer.publicOrigin) };
  }
  if (status === 429 && refusal === 'address-limit') {
    const limit = answer.limit;
    return { kind: 'address-limit', limit: typeof limit === 'number' ? limit : null };
  }
  if (status === 400 && refusal === 'name') {
    return { kind: 'name', reason: stringOrNull(answer.error) ?? 'the name is not valid' };
  }
  // A relay from before refusals were named answers 401/403 for tokens only.
  if (status === 401 || status === 403) return 'refused';
  return 'unknown';
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
