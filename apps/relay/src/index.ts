/**
 * `@weft/relay` as a library: `createRelay` serves standalone or inside an application's own
 * `http.Server` (README, "Embedding"); everything its options name is exported here.
 */
export { createRelay, startRelay } from './relay';
export type { CreateRelayOptions, Relay, RelayOptions, ShutdownReport } from './relay';
export type {
  ConnectionPayload,
  DocumentPayload,
  HookTimings,
  RelayHooks,
  StoredPayload,
} from './hooks';
export type { AuthenticatedUser, AuthenticateHook, AuthenticatePayload } from './authentication';
export { AuthError, signToken } from './auth';
export type { Principal, Role, TokenRequest } from './auth';
export { loadConfig, ConfigError } from './config';
export type { RelayConfig } from './config';
export { relayOptionsFrom } from './relay-options';
export { openStore } from './open-store';
export { CloseCode } from './connection';
export { createLogger, silentLogger } from './logger';
export { LevelDocStore, MemoryDocStore, PostgresDocStore } from '@weft/storage';
export type { DocStore } from '@weft/storage';
