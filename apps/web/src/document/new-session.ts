/** The session of a document page: its relay, this user, the best stored token. */
import { DocumentSession } from '@weft/client';
import { accessTokens, checkAccess } from '../access/tokens';
import { identityStore } from '../identity';
import { relayWebSocketUrl } from '../relay-url';

/** `storedCopyKnownEmpty`: from `openLocalCopyDatabaseEarly`, on a first visit. */
export function newSession(
  docName: string,
  storedCopyKnownEmpty?: Promise<boolean>,
): DocumentSession {
  return new DocumentSession({
    ...(storedCopyKnownEmpty ? { storedCopyKnownEmpty } : {}),
    relayUrl: relayWebSocketUrl(),
    docName,
    user: identityStore().getSnapshot(),
    persistLocally: true,
    token: accessTokens().forDoc(docName)?.token ?? null,
    checkAccess: (token) => checkAccess(token, docName),
  });
}
