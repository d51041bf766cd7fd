/**
 * Relay configuration from command-line flags, then environment variables, then defaults.
 * The options themselves are declared once, in relay-option-table.ts; this module reads them.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from './config-error';
import { renderHelp } from './relay-option-docs';
import type { RelayOption } from './relay-option-kinds';
import { RELAY_OPTIONS, type RelayOptionTable } from './relay-option-table';
import { tokensConfigured } from './token-keys';

export { ConfigError } from './config-error';

type OptionValue<O> = O extends RelayOption<infer T> ? T : never;

/** One field per entry of the option table, with the type its kind parses to. */
export type RelayConfig = {
  readonly [K in keyof RelayOptionTable]: OptionValue<RelayOptionTable[K]>;
};

/** `--help`: every option, by section, and the `token` command. */
export const HELP = renderHelp();

type Env = Readonly<Record<string, string | undefined>>;

const FLAGS: NonNullable<ParseArgsConfig['options']> = {
  ...Object.fromEntries(
    Object.values(RELAY_OPTIONS).map((option: RelayOption<unknown>) => [
      option.flag,
      { type: option.valueName === null ? ('boolean' as const) : ('string' as const) },
    ]),
  ),
  help: { type: 'boolean' },
};

/** Parses argv and env into a config. Throws ConfigError with a readable message. */
export function loadConfig(argv: readonly string[], env: Env): RelayConfig | 'help' {
  const flags = parseFlags(argv);
  if (flags.help === true) return 'help';
  const config: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(RELAY_OPTIONS)) {
    config[key] = readOption(option, flags, env);
  }
  // Filled from the same table whose entries the type maps, one field per key.
  return config as RelayConfig;
}

type Flags = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

function parseFlags(argv: readonly string[]): Flags {
  try {
    return parseArgs({ args: [...argv], strict: true, options: FLAGS }).values;
  } catch (error) {
    // parseArgs explains unknown flags and missing values well; keep its words, as a ConfigError.
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      throw new ConfigError(error.message);
    }
    throw error;
  }
}

/** A flag wins over its variable; a switch given as a flag reads as on. */
function readOption(option: RelayOption<unknown>, flags: Flags, env: Env): unknown {
  const flag = flags[option.flag];
  if (typeof flag === 'boolean') return option.parse(String(flag), `--${option.flag}`);
  if (typeof flag === 'string') return option.parse(flag, `--${option.flag}`);
  if (option.env === null) return option.parse(undefined, `--${option.flag}`);
  return option.parse(env[option.env], option.env);
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
  if (config.adminToken !== null && config.adminToken.length < 32) {
    return 'WEFT_ADMIN_TOKEN must be at least 32 characters long';
  }
  if (config.adminToken !== null && !tokensConfigured(config)) {
    return 'WEFT_ADMIN_TOKEN revokes access tokens: set WEFT_AUTH_SECRET, WEFT_AUTH_PUBLIC_KEY_FILE or WEFT_AUTH_JWKS_FILE too';
  }
  if (!tokensConfigured(config) && !isLoopback(config.host) && !config.insecure) {
    return (
      `refusing to listen on ${config.host} without an auth secret: anyone who can reach it ` +
      'could read and change every document. Set WEFT_AUTH_SECRET (or a public key: ' +
      'WEFT_AUTH_PUBLIC_KEY_FILE, WEFT_AUTH_JWKS_FILE), or pass --insecure.'
    );
  }
  return null;
}
