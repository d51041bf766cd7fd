/** Turns the operator's configuration into the relay's runtime options. */
import { join } from 'node:path';
import type { TokenKeys } from './auth';
import type { RelayConfig } from './config';
import { createLogger } from './logger';
import { Revocations } from './revocations';
import { tokenKeysFrom, tokensConfigured } from './token-keys';
import type { ConnectionLimits } from './connection';
import type { RelayOptions } from './relay';

/** Presence entries are small JSON objects (name, colour, cursor); 4 KiB is generous. */
const MAX_AWARENESS_STATE_BYTES = 4096;
/** A tab needs one awareness id; a few more allow for reconnects with a new Y.Doc. */
const MAX_AWARENESS_CLIENTS = 8;
const HOUR_MS = 60 * 60 * 1000;

export function connectionLimits(config: {
  messagesPerSecond: number;
  bytesPerSecond: number;
  maxFrameBytes: number;
}): ConnectionLimits {
  return {
    messagesPerSecond: config.messagesPerSecond,
    messageBurst: config.messagesPerSecond * 4,
    bytesPerSecond: config.bytesPerSecond,
    // A reconnecting client may send one full-size frame (its offline edits) at once.
    byteBurst: Math.max(config.bytesPerSecond, config.maxFrameBytes * 2),
    maxAwarenessStateBytes: MAX_AWARENESS_STATE_BYTES,
    maxAwarenessClients: MAX_AWARENESS_CLIENTS,
  };
}

/**
 * `revocations`: the list to use (main.ts opens the PostgreSQL one when a database is
 * configured); by default the revocations file.
 */
export function relayOptionsFrom(config: RelayConfig, revocations?: Revocations): RelayOptions {
  return {
    port: config.port,
    host: config.host,
    webDist: config.webDist,
    maxFrameBytes: config.maxFrameBytes,
    heartbeatMs: config.heartbeatMs,
    idleUnloadMs: config.idleUnloadMs,
    compactUpdates: config.compactUpdates,
    compactBytes: config.compactBytes,
    commitIntervalMs: config.commitIntervalMs,
    maxPendingBytes: config.maxPendingBytes,
    loadTimeoutMs: config.loadTimeoutMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
    thinning: {
      keepAllMs: config.checkpointsAllHours * HOUR_MS,
      hourlyUntilMs:
        Math.max(config.checkpointsAllHours, config.checkpointsHourlyDays * 24) * HOUR_MS,
    },
    ...tokenOptionsFrom(config, revocations),
    metricsToken: config.metricsToken,
    allowedOrigins: config.allowedOrigins,
    allowedHosts: config.allowedHosts,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    limits: connectionLimits(config),
    trashRetentionMs: config.trashRetentionDays * 24 * HOUR_MS,
  };
}

/**
 * The token keys, the revocation list they consult (opened only when tokens are configured:
 * there is nothing to revoke in local mode) and the admin token that may add to it.
 */
function tokenOptionsFrom(
  config: RelayConfig,
  opened: Revocations | undefined,
): {
  authKey: TokenKeys | null;
  revocations: Revocations | null;
  adminToken: string | null;
} {
  if (!tokensConfigured(config)) return { authKey: null, revocations: null, adminToken: null };
  const file = config.revocationsFile ?? join(config.dataDir, 'revocations.json');
  const revocations = opened ?? Revocations.open(file, createLogger(config.logLevel));
  return {
    authKey: tokenKeysFrom(config, revocations),
    revocations,
    adminToken: config.adminToken,
  };
}
