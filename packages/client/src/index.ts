export { DEFAULT_BACKOFF, backoffCeiling, fullJitterDelay } from './backoff';
export type { BackoffPolicy } from './backoff';
export {
  decodeAccessToken,
  docPatternMatches,
  isExpired,
  takeTokenFromFragment,
  tokenFromText,
} from './access-token';
export type { AccessClaims, AccessRole } from './access-token';
export { DocumentSession } from './document-session';
export type {
  AccessCheck,
  AccessProblem,
  AccessSnapshot,
  AccessVerdict,
  RelayRefusal,
  AwarenessUser,
  DocumentSessionOptions,
} from './document-session';
export { TITLE_MAX_LENGTH, TitleStore, metaMap, readTitle, writeTitle } from './document-title';
export { LocalCopy } from './local-copy';
export type { LocalCopyOptions, LocalCopyState } from './local-copy';
export { ManualNetworkSignal, alwaysOnline, browserNetworkSignal } from './network-signal';
export type { NetworkSignal } from './network-signal';
export { RelayConnection } from './relay-connection';
export type {
  ConnectionPhase,
  ConnectionSnapshot,
  RelayConnectionOptions,
} from './relay-connection';
export { AccessTokenStore } from './token-store';
export type { AccessTokenStoreOptions, KeyValueStorage, StoredToken } from './token-store';
export { SaveStatusTracker, deriveState } from './save-status';
export type { SaveState, SaveStatus, SaveStatusChannel } from './save-status';
export {
  USER_COLORS,
  generateIdentity,
  isIdentity,
  loadIdentity,
  saveIdentity,
} from './user-identity';
export type { UserIdentity } from './user-identity';
export { UnsavedEdits, countingWebSocket } from './unsaved-edits';
