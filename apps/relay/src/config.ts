/**
 * Relay configuration from command-line flags, then environment variables, then defaults.
 * Every option is listed by `--help`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface RelayConfig {
  /** TCP port; 0 picks a free one. Env PORT. Default 4455. */
  readonly port: number;
  /** Interface to bind. Env HOST. Default 127.0.0.1 (loopback only). */
  readonly host: string;
  /** LevelDB directory. Env DATA_DIR. Default ./data. */
  readonly dataDir: string;
  /** fsync every write batch before acknowledging it. Env WEFT_FSYNC=1. Default off. */
  readonly fsync: boolean;
  /** Built web app to serve, or null to serve none. Env WEB_DIST. Default apps/web/dist. */
  readonly webDist: string | null;
  /** Milliseconds a document without connections stays loaded. Env WEFT_IDLE_UNLOAD_MS. */
  readonly idleUnloadMs: number;
  /** Compact a document's log once it holds this many updates. Env WEFT_COMPACT_UPDATES. */
  readonly compactUpdates: number;
  /** …or this many bytes of updates. Env WEFT_COMPACT_BYTES. */
  readonly compactBytes: number;
  /** Least milliseconds between two write batches of one document. Env WEFT_COMMIT_INTERVAL_MS. */
  readonly commitIntervalMs: number;
  /** Largest WebSocket frame accepted, in bytes. Env WEFT_MAX_FRAME_BYTES. Default 8 MiB. */
  readonly maxFrameBytes: number;
  /** Interval between heartbeat pings; a connection that misses one pong is dropped. */
  readonly heartbeatMs: number;
  /** pino log level. Env LOG_LEVEL. Default info. */
  readonly logLevel: string;
  /** HS256 secret for access tokens; null is local mode (no tokens). Env WEFT_AUTH_SECRET. */
  readonly authSecret: string | null;
  /** Allow a non-loopback bind without a secret. Flag --insecure only. */
  readonly insecure: boolean;
  /**
   * Bearer token that `GET /metrics` requires. Null: metrics are open in local mode and
   * refused in secured mode. Env WEFT_METRICS_TOKEN.
   */
  readonly metricsToken: string | null;
  /** Browser origins allowed to connect; null means the relay's own origin only. */
  readonly allowedOrigins: readonly string[] | null;
  /** Believe X-Forwarded-For (a reverse proxy is in front). Env WEFT_TRUST_PROXY=1. */
  readonly trustProxy: boolean;
  /** Open connections allowed from one client address. */
  readonly maxConnectionsPerAddress: number;
  /** Sustained frames per second per connection (bursts up to 4× pass). */
  readonly messagesPerSecond: number;
  /** Sustained bytes per second per connection (bursts up to 2 frames pass). */
  readonly bytesPerSecond: number;
  /** Base URL printed in share links by `weft token`. Env WEFT_PUBLIC_URL. */
  readonly publicUrl: string | null;
}

const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

export const HELP = `Usage: weft-relay [options]

Options (flags override environment variables):
  --port N               TCP port, 0 for any free port       env PORT (default 4455)
  --host ADDR            interface to bind                    env HOST (default 127.0.0.1)
  --data-dir DIR         LevelDB data directory               env DATA_DIR (default ./data)
  --fsync                fsync each write before acking it    env WEFT_FSYNC=1 (default off)
  --web-dist DIR         built web app to serve ('' for none) env WEB_DIST (default apps/web/dist)
  --idle-unload-ms N     unload idle documents after N ms     env WEFT_IDLE_UNLOAD_MS (default 30000)
  --compact-updates N    compact a log of N updates           env WEFT_COMPACT_UPDATES (default 1000)
  --compact-bytes N      compact a log of N bytes             env WEFT_COMPACT_BYTES (default 4194304)
  --commit-interval-ms N min ms between a doc's writes        env WEFT_COMMIT_INTERVAL_MS (default 50)
  --max-frame-bytes N    largest accepted frame               env WEFT_MAX_FRAME_BYTES (default 8388608)
  --heartbeat-ms N       ping interval                        env WEFT_HEARTBEAT_MS (default 30000)
  --log-level LEVEL      trace|debug|info|warn|error          env LOG_LEVEL (default info)

Security:
  --auth-secret S        HS256 token secret (>= 32 chars)     env WEFT_AUTH_SECRET (default none: local mode)
  --insecure             allow a non-loopback bind without a secret
  --metrics-token T      bearer token for GET /metrics        env WEFT_METRICS_TOKEN (>= 16 chars;
                         default none: open in local mode, refused in secured mode)
  --allowed-origins L    comma-separated browser origins      env WEFT_ALLOWED_ORIGINS (default: own origin)
  --trust-proxy          believe X-Forwarded-For              env WEFT_TRUST_PROXY=1 (default off)
  --max-connections-per-address N                             env WEFT_MAX_CONNECTIONS_PER_ADDRESS (default 256)
  --messages-per-second N   per-connection frame rate         env WEFT_MESSAGES_PER_SECOND (default 300)
  --bytes-per-second N      per-connection byte rate          env WEFT_BYTES_PER_SECOND (default 1048576)
  --public-url URL       base URL for share links             env WEFT_PUBLIC_URL (default http://localhost:PORT)
  --help                 print this help

Commands:
  token --doc NAME|PREFIX* --role read|write [--ttl 1h] [--sub ID] [--name NAME]
                         print a signed access token and a share link (needs the secret)
`;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Parses argv and env into a config. Throws ConfigError with a readable message. */
export function loadConfig(argv: readonly string[], env: Env): RelayConfig | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      fsync: { type: 'boolean' },
      'web-dist': { type: 'string' },
      'idle-unload-ms': { type: 'string' },
      'compact-updates': { type: 'string' },
      'compact-bytes': { type: 'string' },
      'commit-interval-ms': { type: 'string' },
      'max-frame-bytes': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'log-level': { type: 'string' },
      'auth-secret': { type: 'string' },
      insecure: { type: 'boolean' },
      'metrics-token': { type: 'string' },
      'allowed-origins': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'max-connections-per-address': { type: 'string' },
      'messages-per-second': { type: 'string' },
      'bytes-per-second': { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const origins = values['allowed-origins'] ?? env.WEFT_ALLOWED_ORIGINS;
  const secret = values['auth-secret'] ?? env.WEFT_AUTH_SECRET;
  const metricsToken = values['metrics-token'] ?? env.WEFT_METRICS_TOKEN;
  if (values.help === true) return 'help';
  const webDist = values['web-dist'] ?? env.WEB_DIST ?? defaultWebDist;
  return {
    port: integer('port', values.port ?? env.PORT, 4455, 0, 65535),
    host: values.host ?? env.HOST ?? '127.0.0.1',
    dataDir: resolve(values['data-dir'] ?? env.DATA_DIR ?? 'data'),
    fsync: values.fsync ?? flag('WEFT_FSYNC', env.WEFT_FSYNC),
    webDist: webDist === '' ? null : resolve(webDist),
    idleUnloadMs: integer(
      'idle-unload-ms',
      values['idle-unload-ms'] ?? env.WEFT_IDLE_UNLOAD_MS,
      30_000,
      0,
    ),
    compactUpdates: integer(
      'compact-updates',
      values['compact-updates'] ?? env.WEFT_COMPACT_UPDATES,
      1000,
      2,
    ),
    compactBytes: integer(
      'compact-bytes',
      values['compact-bytes'] ?? env.WEFT_COMPACT_BYTES,
      4 * 1024 * 1024,
      1,
    ),
    commitIntervalMs: integer(
      'commit-interval-ms',
      values['commit-interval-ms'] ?? env.WEFT_COMMIT_INTERVAL_MS,
      50,
      0,
    ),
    maxFrameBytes: integer(
      'max-frame-bytes',
      values['max-frame-bytes'] ?? env.WEFT_MAX_FRAME_BYTES,
      8 * 1024 * 1024,
      1024,
    ),
    heartbeatMs: integer(
      'heartbeat-ms',
      values['heartbeat-ms'] ?? env.WEFT_HEARTBEAT_MS,
      30_000,
      10,
    ),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    authSecret: secret === undefined || secret === '' ? null : secret,
    insecure: values.insecure ?? false,
    metricsToken: metricsToken === undefined || metricsToken === '' ? null : metricsToken,
    allowedOrigins:
      origins === undefined || origins === ''
        ? null
        : origins
            .split(',')
            .map((origin) => origin.trim())
            .filter(Boolean),
    trustProxy: values['trust-proxy'] ?? flag('WEFT_TRUST_PROXY', env.WEFT_TRUST_PROXY),
    maxConnectionsPerAddress: integer(
      'max-connections-per-address',
      values['max-connections-per-address'] ?? env.WEFT_MAX_CONNECTIONS_PER_ADDRESS,
      256,
      1,
    ),
    messagesPerSecond: integer(
      'messages-per-second',
      values['messages-per-second'] ?? env.WEFT_MESSAGES_PER_SECOND,
      300,
      1,
    ),
    bytesPerSecond: integer(
      'bytes-per-second',
      values['bytes-per-second'] ?? env.WEFT_BYTES_PER_SECOND,
      1024 * 1024,
      1024,
    ),
    publicUrl: values['public-url'] ?? env.WEFT_PUBLIC_URL ?? null,
  };
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost' || host.startsWith('127.');
}

/**
 * Refuses configurations that would expose documents: a non-loopback bind without a secret
 * (unless --insecure says so explicitly) and secrets or tokens too short to be safe.
 */
export function securityProblem(config: RelayConfig): string | null {
  if (config.authSecret !== null && config.authSecret.length < 32) {
    return 'WEFT_AUTH_SECRET must be at least 32 characters long';
  }
  if (config.metricsToken !== null && config.metricsToken.length < 16) {
    return 'WEFT_METRICS_TOKEN must be at least 16 characters long';
  }
  if (config.authSecret === null && !isLoopback(config.host) && !config.insecure) {
    return (
      `refusing to listen on ${config.host} without an auth secret: anyone who can reach it ` +
      'could read and change every document. Set WEFT_AUTH_SECRET, or pass --insecure.'
    );
  }
  return null;
}

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new ConfigError(`${name} must be 1/true or 0/false, got "${raw}"`);
}
