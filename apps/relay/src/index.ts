export { startRelay } from './relay';
export type { Relay, RelayOptions } from './relay';
export { loadConfig, ConfigError } from './config';
export type { RelayConfig } from './config';
export { CloseCode } from './connection';
export { createLogger, silentLogger } from './logger';
