/**
 * What the page says when the relay refuses it for a reason no access link can fix: plainly
 * what is refused, and what the operator must set. Never "Offline": the relay is reachable
 * and says no.
 */
import type { AccessRole, RelayRefusal } from '@weft/client';

export interface RefusalWords {
  readonly title: string;
  /** What the relay refuses, and what fixes it. */
  readonly body: string;
  /** What happens to the user's writing meanwhile; empty for readers. */
  readonly kept: string;
}

export function refusalWords(refusal: RelayRefusal, role: AccessRole): RefusalWords {
  const kept =
    role === 'read'
      ? ''
      : 'Keep writing: your edits are kept on this device and saved as soon as the relay accepts the connection.';
  switch (refusal.kind) {
    case 'origin': {
      const from = refusal.origin ?? 'this page';
      const own =
        refusal.publicOrigin === null
          ? 'it cannot tell its own public address from the request'
          : `its public address is ${refusal.publicOrigin}`;
      return {
        title: 'The relay refuses connections from this address',
        body:
          `The relay refuses connections from ${from} (${own}). ` +
          `The operator must set WEFT_PUBLIC_URL to ${from}, or add it to WEFT_ALLOWED_ORIGINS.`,
        kept,
      };
    }
    case 'address-limit': {
      const limit = refusal.limit === null ? '' : ` (it allows ${refusal.limit} from one address)`;
      return {
        title: 'The relay refuses more connections from your network',
        body:
          `The relay refuses more connections from your network address${limit}. ` +
          'If it is behind a reverse proxy, every visitor shares the proxy’s address: the operator must set WEFT_TRUST_PROXY=1 (--trust-proxy). ' +
          'Otherwise close other Weft tabs, or ask the operator to raise WEFT_MAX_CONNECTIONS_PER_ADDRESS.',
        kept,
      };
    }
    case 'name':
      return {
        title: 'The relay refuses this document name',
        body: `The relay refuses this document’s name: ${refusal.reason}. Open a document whose name it accepts.`,
        kept,
      };
  }
}
