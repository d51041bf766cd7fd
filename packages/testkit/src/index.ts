export { waitUntil } from './wait';
export { tempDir } from './temp-dir';
export type { TempDir } from './temp-dir';
export { FaultyStore } from './faulty-store';
export { connectYjsClient, nextClose, typeAndSave } from './yjs-client';
export type { YjsClient, YjsClientOptions } from './yjs-client';
export { openRawSocket, upgradeStatus } from './raw-socket';
export type { RawSocket } from './raw-socket';
export { startRelayProcess } from './relay-process';
export type { RelayProcess, RelayProcessOptions } from './relay-process';
export { Random, seedFromEnv } from './random';
export { hostileFrames, HOSTILE_KINDS } from './hostile-frames';
export type { HostileFrame, HostileKind } from './hostile-frames';
export { TokenWriter, tokenBoundary, lostTokens } from './token-writer';
export { FlakyNetwork } from './flaky-network';
export {
  DEPLOY_NGINX_CLUSTER_CONF,
  DEPLOY_NGINX_CONF,
  renderSiteConfig,
  startNginx,
} from './nginx-process';
export type { NginxOptions, NginxProcess } from './nginx-process';
export { startPostgres } from './postgres-process';
export type { PostgresOptions, PostgresProcess } from './postgres-process';
export { startRedis } from './redis-process';
export type { RedisOptions, RedisProcess } from './redis-process';
