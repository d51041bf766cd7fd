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
  /** Largest WebSocket frame accepted, in bytes. Env WEFT_MAX_FRAME_BYTES. Default 8 MiB. */
  readonly maxFrameBytes: number;
  /** Interval between heartbeat pings; a connection that misses one pong is dropped. */
  readonly heartbeatMs: number;
  /** pino log level. Env LOG_LEVEL. Default info. */
  readonly logLevel: string;
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
  --max-frame-bytes N    largest accepted frame               env WEFT_MAX_FRAME_BYTES (default 8388608)
  --heartbeat-ms N       ping interval                        env WEFT_HEARTBEAT_MS (default 30000)
  --log-level LEVEL      trace|debug|info|warn|error          env LOG_LEVEL (default info)
  --help                 print this help
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
      'max-frame-bytes': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
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
  };
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
