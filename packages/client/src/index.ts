export { DocumentSession } from './document-session';
export type { DocumentSessionOptions } from './document-session';
export { SaveStatusTracker } from './save-status';
export type { SaveState, SaveStatus } from './save-status';
export { USER_COLORS, generateIdentity, loadIdentity, saveIdentity } from './user-identity';
export type { UserIdentity } from './user-identity';
