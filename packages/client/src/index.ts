export { DEFAULT_BACKOFF, backoffCeiling, fullJitterDelay } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export {
  decodeAccessToken,
  docPatternMatches,
  isExpired,
  takeTokenFromFragment,
  tokenFromText,
} from './access-token.js';
export type { AccessClaims, AccessRole } from './access-token.js';
export { DocumentSession } from './document-session.js';
export type {
  AccessCheck,
  AccessProblem,
  AccessSnapshot,
  AccessVerdict,
  RelayRefusal,
  AwarenessUser,
  DocumentSessionOptions,
} from './document-session.js';
export { TITLE_MAX_LENGTH, TitleStore, metaMap, readTitle, writeTitle } from './document-title.js';
export { LocalCopy } from './local-copy.js';
export { localCopyDatabaseName, openLocalCopyDatabaseEarly } from './local-copy-database.js';
export type { LocalCopyOptions, LocalCopyState } from './local-copy.js';
export { ManualNetworkSignal, alwaysOnline, browserNetworkSignal } from './network-signal.js';
export type { NetworkSignal } from './network-signal.js';
export { RelayConnection } from './relay-connection.js';
export type {
  ConnectionPhase,
  ConnectionSnapshot,
  RelayConnectionOptions,
} from './relay-connection.js';
export { AccessTokenStore } from './token-store.js';
export type { AccessTokenStoreOptions, KeyValueStorage, StoredToken } from './token-store.js';
export { SaveStatusTracker, deriveState } from './save-status.js';
export type { SaveState, SaveStatus, SaveStatusChannel } from './save-status.js';
export {
  USER_COLORS,
  generateIdentity,
  isIdentity,
  loadIdentity,
  saveIdentity,
} from './user-identity.js';
export type { UserIdentity } from './user-identity.js';
export { UnsavedEdits, countingWebSocket } from './unsaved-edits.js';
