/**
 * Every relay option, declared once. Flag parsing, environment variables, validation,
 * `RelayConfig` (one field per key), `--help` and the README's Configuration table all come
 * from here, so a new option is one entry. Flags and variable names are stable for operators:
 * add options, never rename one. After a change, `pnpm --filter @weft/relay options-table`
 * rewrites the README's table (a test fails until it has).
 */
import { fileURLToPath } from 'node:url';
import {
  choice,
  httpUrl,
  integer,
  list,
  onOff,
  optionalText,
  path,
  pathOrNone,
  postgresUrl,
  redisUrl,
  text,
} from './relay-option-kinds';

const MiB = 1024 * 1024;

export const RELAY_OPTIONS = {
  port: integer({
    flag: 'port',
    env: 'PORT',
    section: 'general',
    meaning: 'TCP port (0: any free port)',
    default: 4455,
    min: 0,
    max: 65535,
  }),
  host: text({
    flag: 'host',
    env: 'HOST',
    section: 'general',
    meaning: 'interface to bind',
    valueName: 'ADDR',
    default: '127.0.0.1',
  }),
  webDist: pathOrNone({
    flag: 'web-dist',
    env: 'WEB_DIST',
    section: 'general',
    meaning: 'built web app to serve (empty: serve none)',
    // Inside the relay's own package (the build copies apps/web/dist there), so an installed
    // relay finds it wherever it lives: beside the compiled files, or ../dist/web from src/.
    default: fileURLToPath(
      new URL(import.meta.url.endsWith('.ts') ? '../dist/web' : './web', import.meta.url),
    ),
    shownDefault: 'dist/web in the relay package',
  }),
  publicUrl: httpUrl({
    flag: 'public-url',
    env: 'WEFT_PUBLIC_URL',
    section: 'general',
    meaning: 'the URL browsers reach the relay at (origin check, share links)',
    whenUnset: 'none (from each request)',
  }),
  heartbeatMs: integer({
    flag: 'heartbeat-ms',
    env: 'WEFT_HEARTBEAT_MS',
    section: 'general',
    meaning: 'ping interval; a connection that misses a pong is dropped',
    default: 30_000,
    min: 10,
  }),
  logLevel: choice({
    flag: 'log-level',
    env: 'LOG_LEVEL',
    section: 'general',
    meaning: 'least level logged (pino), from trace to fatal, or silent',
    valueName: 'LEVEL',
    choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    default: 'info',
  }),

  dataDir: path({
    flag: 'data-dir',
    env: 'DATA_DIR',
    section: 'storage',
    meaning: 'LevelDB directory',
    default: 'data',
    shownDefault: './data',
  }),
  databaseUrl: postgresUrl({
    flag: 'database-url',
    env: 'WEFT_DATABASE_URL',
    section: 'storage',
    meaning: 'keep documents in this PostgreSQL database instead of LevelDB',
    whenUnset: 'none (LevelDB)',
  }),
  redisUrl: redisUrl({
    flag: 'redis-url',
    env: 'WEFT_REDIS_URL',
    section: 'storage',
    meaning: 'cluster mode: share updates and presence with other relays through this Redis',
    whenUnset: 'none (one relay)',
  }),
  fsync: onOff({
    flag: 'fsync',
    env: 'WEFT_FSYNC',
    section: 'storage',
    meaning: 'fsync each write batch before acknowledging it',
  }),
  commitIntervalMs: integer({
    flag: 'commit-interval-ms',
    env: 'WEFT_COMMIT_INTERVAL_MS',
    section: 'storage',
    meaning: "least time between one document's write batches",
    default: 50,
    min: 0,
  }),
  compactUpdates: integer({
    flag: 'compact-updates',
    env: 'WEFT_COMPACT_UPDATES',
    section: 'storage',
    meaning: 'compact a log of this many updates',
    default: 1000,
    min: 2,
  }),
  compactBytes: integer({
    flag: 'compact-bytes',
    env: 'WEFT_COMPACT_BYTES',
    section: 'storage',
    meaning: 'compact a log of this many bytes (4 MiB)',
    default: 4 * MiB,
    min: 1,
  }),
  idleUnloadMs: integer({
    flag: 'idle-unload-ms',
    env: 'WEFT_IDLE_UNLOAD_MS',
    section: 'storage',
    meaning: 'unload a document this long after its last user leaves',
    default: 30_000,
    min: 0,
  }),
  // A storage outage must not grow the relay without bound; writers keep their edits locally.
  maxPendingBytes: integer({
    flag: 'max-pending-bytes',
    env: 'WEFT_MAX_PENDING_BYTES',
    section: 'storage',
    meaning: 'bytes of one document awaiting storage before writers get 1013 (64 MiB)',
    default: 64 * MiB,
    min: 1024,
  }),
  loadTimeoutMs: integer({
    flag: 'load-timeout-ms',
    env: 'WEFT_LOAD_TIMEOUT_MS',
    section: 'storage',
    meaning: 'a document load taking longer fails and closes with 1011',
    default: 10_000,
    min: 1,
  }),
  shutdownTimeoutMs: integer({
    flag: 'shutdown-timeout-ms',
    env: 'WEFT_SHUTDOWN_TIMEOUT_MS',
    section: 'storage',
    meaning: 'shutdown waits this long for storage, then exits non-zero',
    default: 10_000,
    min: 1,
  }),

  // Version history (history/checkpointer.ts, history/checkpoint-thinning.ts).
  checkpointIntervalMs: integer({
    flag: 'checkpoint-interval-ms',
    env: 'WEFT_CHECKPOINT_INTERVAL_MS',
    section: 'history',
    meaning: 'least time between two checkpoints of a document being edited (10 minutes)',
    default: 10 * 60 * 1000,
    min: 1000,
  }),
  checkpointsAllHours: integer({
    flag: 'checkpoints-all-hours',
    env: 'WEFT_CHECKPOINTS_ALL_HOURS',
    section: 'history',
    meaning: 'keep every checkpoint this many hours; named versions and the latest always stay',
    default: 24,
    min: 0,
  }),
  checkpointsHourlyDays: integer({
    flag: 'checkpoints-hourly-days',
    env: 'WEFT_CHECKPOINTS_HOURLY_DAYS',
    section: 'history',
    meaning: 'then keep one per hour until this many days old; older, one per day',
    default: 30,
    min: 0,
  }),

  maxFrameBytes: integer({
    flag: 'max-frame-bytes',
    env: 'WEFT_MAX_FRAME_BYTES',
    section: 'limits',
    meaning: 'largest frame accepted (larger: close 1009; 8 MiB)',
    default: 8 * MiB,
    min: 1024,
  }),
  maxConnectionsPerAddress: integer({
    flag: 'max-connections-per-address',
    env: 'WEFT_MAX_CONNECTIONS_PER_ADDRESS',
    section: 'limits',
    meaning: 'open connections allowed from one client address',
    default: 256,
    min: 1,
  }),
  messagesPerSecond: integer({
    flag: 'messages-per-second',
    env: 'WEFT_MESSAGES_PER_SECOND',
    section: 'limits',
    meaning: "sustained frames per second per connection (bursts: 4 seconds' worth)",
    default: 300,
    min: 1,
  }),
  bytesPerSecond: integer({
    flag: 'bytes-per-second',
    env: 'WEFT_BYTES_PER_SECOND',
    section: 'limits',
    meaning: 'sustained bytes per second per connection (bursts: 2 largest frames)',
    default: MiB,
    min: 1024,
  }),

  authSecret: optionalText({
    flag: 'auth-secret',
    env: 'WEFT_AUTH_SECRET',
    section: 'security',
    meaning: 'HS256 secret for access tokens, at least 32 characters',
    valueName: 'SECRET',
    whenUnset: 'none (local mode)',
  }),
  insecure: onOff({
    flag: 'insecure',
    env: null,
    section: 'security',
    meaning: 'allow a non-loopback bind without a secret',
  }),
  metricsToken: optionalText({
    flag: 'metrics-token',
    env: 'WEFT_METRICS_TOKEN',
    section: 'security',
    meaning: 'bearer token GET /metrics requires, at least 16 characters',
    valueName: 'TOKEN',
    whenUnset: 'none (open in local mode, refused when secured)',
  }),
  allowedOrigins: list({
    flag: 'allowed-origins',
    env: 'WEFT_ALLOWED_ORIGINS',
    section: 'security',
    meaning: 'comma-separated browser origins that may connect',
    valueName: 'LIST',
    whenUnset: 'own origin only',
  }),
  trustProxy: onOff({
    flag: 'trust-proxy',
    env: 'WEFT_TRUST_PROXY',
    section: 'security',
    meaning: "believe a reverse proxy's Forwarded and X-Forwarded-* headers",
  }),
};

export type RelayOptionTable = typeof RELAY_OPTIONS;
