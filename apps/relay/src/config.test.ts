import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, HELP, loadConfig, securityProblem, type RelayConfig } from './config';
import type { RelayOption } from './relay-option-kinds';
import { RELAY_OPTIONS } from './relay-option-table';

function configFrom(argv: readonly string[], env: Record<string, string> = {}): RelayConfig {
  const config = loadConfig(argv, env);
  if (config === 'help') throw new Error('unexpected help');
  return config;
}

/** The error loadConfig throws, so that a test can read its message. */
function configError(argv: readonly string[], env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify({ argv, env })}`);
}

const options = Object.entries(RELAY_OPTIONS) as [keyof RelayConfig, RelayOption<unknown>][];

/** A value the option accepts that is not its default, so reading it visibly changes the config. */
function sample(option: RelayOption<unknown>): { raw: string; value: unknown } {
  const { kind } = option;
  switch (kind.type) {
    case 'integer': {
      const unset = option.parse(undefined, 'default');
      const raw = kind.min + 1 === unset ? kind.min + 2 : kind.min + 1;
      return { raw: String(raw), value: raw };
    }
    case 'switch':
      return { raw: 'true', value: true };
    case 'text':
      return {
        raw: 'sample-text-long-enough-for-any-secret-check',
        value: 'sample-text-long-enough-for-any-secret-check',
      };
    case 'choice': {
      const other = kind.choices.find((choice) => choice !== option.parse(undefined, 'default'));
      return { raw: other ?? '', value: other };
    }
    case 'list':
      return {
        raw: ' https://a.example , https://b.example ',
        value: ['https://a.example', 'https://b.example'],
      };
    case 'path':
      return { raw: 'some/dir', value: resolve('some/dir') };
    case 'url': {
      const raw = `${kind.schemes[0] ?? 'https'}://weft.example/`;
      return { raw, value: raw };
    }
  }
}

/** Text the option must refuse; empty for kinds that take any text. */
function badValues(option: RelayOption<unknown>): string[] {
  const { kind } = option;
  switch (kind.type) {
    case 'integer':
      return [
        'eighty',
        '1e3',
        ' 8',
        '2.5',
        String(kind.min - 1),
        ...(kind.max === null ? [] : [String(kind.max + 1)]),
      ];
    case 'switch':
      return ['maybe', 'yes'];
    case 'choice':
      return ['loud'];
    case 'url':
      return ['not a url', 'ftp://weft.example/'];
    case 'text':
    case 'list':
    case 'path':
      return [];
  }
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('relay configuration', () => {
  it('defaults to loopback on 4455 with ./data', () => {
    const config = configFrom([]);
    expect(config.port).toBe(4455);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(resolve('data'));
    expect(config.fsync).toBe(false);
    expect(config.maxFrameBytes).toBe(8 * 1024 * 1024);
    expect(config.webDist?.endsWith('/apps/relay/dist/web')).toBe(true);
    expect(config.logLevel).toBe('info');
  });

  it('bounds pending bytes, loads and shutdown by default', () => {
    const config = configFrom([]);
    expect(config.maxPendingBytes).toBe(64 * 1024 * 1024);
    expect(config.loadTimeoutMs).toBe(10_000);
    expect(config.shutdownTimeoutMs).toBe(10_000);
    expect(configError(['--max-pending-bytes', '1023']).message).toMatch(/at least 1024/);
    expect(configError([], { WEFT_LOAD_TIMEOUT_MS: '0' }).message).toMatch(/^WEFT_LOAD_TIMEOUT_MS/);
    expect(configError([], { WEFT_SHUTDOWN_TIMEOUT_MS: '0' }).message).toMatch(/at least 1,/);
  });

  it('takes flags over environment variables', () => {
    const config = configFrom(['--port', '5000', '--fsync'], { PORT: '6000', HOST: '0.0.0.0' });
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.fsync).toBe(true);
  });

  it('treats an empty variable as unset, except WEB_DIST, where empty means no web app', () => {
    expect(configFrom([], { PORT: '', DATA_DIR: '' }).port).toBe(4455);
    expect(configFrom([], { DATA_DIR: '' }).dataDir).toBe(resolve('data'));
    expect(configFrom([], { WEB_DIST: '' }).webDist).toBeNull();
    expect(configFrom(['--web-dist', '']).webDist).toBeNull();
  });

  it.each(options)('reads %s from its flag and from its variable', (key, option) => {
    const { raw, value } = sample(option);
    const argv = option.kind.type === 'switch' ? [`--${option.flag}`] : [`--${option.flag}`, raw];
    expect(configFrom([])[key]).not.toEqual(value);
    expect(configFrom(argv)[key]).toEqual(value);
    if (option.env !== null) expect(configFrom([], { [option.env]: raw })[key]).toEqual(value);
  });

  it.each(options)('refuses bad values of %s, naming the flag or variable', (_key, option) => {
    for (const bad of badValues(option)) {
      const message = (source: string) =>
        new RegExp(`^${escaped(source)} must .*, got "${escaped(bad)}"$`);
      if (option.kind.type !== 'switch') {
        // `--flag=value`, so that a bad value starting with a dash is not read as a flag.
        expect(configError([`--${option.flag}=${bad}`]).message).toMatch(
          message(`--${option.flag}`),
        );
      }
      if (option.env !== null) {
        expect(configError([], { [option.env]: bad }).message).toMatch(message(option.env));
      }
    }
  });

  it('refuses switches given a value on the command line, and unknown flags', () => {
    expect(configError(['--fsync=maybe']).message).toMatch(/--fsync/);
    expect(configError(['--no-such-flag']).message).toMatch(/--no-such-flag/);
    expect(configError(['--port']).message).toMatch(/--port/);
  });

  it('lets only the flag set --insecure, never the environment', () => {
    expect(RELAY_OPTIONS.insecure.env).toBeNull();
    expect(configFrom([], { WEFT_INSECURE: '1', INSECURE: '1' }).insecure).toBe(false);
    expect(configFrom(['--insecure']).insecure).toBe(true);
  });

  it('gives every option its own flag and its own variable', () => {
    const flags = options.map(([, option]) => option.flag);
    const envs = options.flatMap(([, option]) => (option.env === null ? [] : [option.env]));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
    expect(flags).not.toContain('help');
  });

  it('recognises --help, even when a variable holds a bad value', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
    expect(loadConfig(['--help'], { PORT: 'eighty' })).toBe('help');
  });

  it('lists every flag, variable and the token command in --help', () => {
    for (const [, option] of options) {
      expect(HELP).toContain(`--${option.flag}`);
      if (option.env !== null) expect(HELP).toContain(option.env);
    }
    expect(HELP).toContain('--help');
    expect(HELP).toMatch(/token --doc NAME\|PREFIX\* --role read\|write/);
  });
});

describe('security mode', () => {
  it('runs in local mode on loopback without a secret', () => {
    expect(securityProblem(configFrom([]))).toBeNull();
  });

  it('refuses a public bind without a secret unless --insecure is given', () => {
    expect(securityProblem(configFrom([], { HOST: '0.0.0.0' }))).toMatch(
      /refusing to listen on 0.0.0.0/,
    );
    expect(securityProblem(configFrom(['--insecure'], { HOST: '0.0.0.0' }))).toBeNull();
    expect(
      securityProblem(configFrom([], { HOST: '0.0.0.0', WEFT_AUTH_SECRET: 's'.repeat(32) })),
    ).toBeNull();
  });

  it('reads a metrics token and refuses one too short to guess safely', () => {
    const config = configFrom(['--metrics-token', 'm'.repeat(16)]);
    expect(config.metricsToken).toBe('m'.repeat(16));
    expect(securityProblem(config)).toBeNull();
    expect(securityProblem(configFrom([], { WEFT_METRICS_TOKEN: 'short' }))).toMatch(/at least 16/);
    expect(configFrom([]).metricsToken).toBeNull();
  });

  it('refuses secrets too short for HS256', () => {
    expect(securityProblem(configFrom([], { WEFT_AUTH_SECRET: 'short' }))).toMatch(/at least 32/);
  });

  it('reads the origin allowlist as a comma-separated list', () => {
    expect(
      configFrom([], { WEFT_ALLOWED_ORIGINS: 'https://a.example, https://b.example' })
        .allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(configFrom([], { WEFT_ALLOWED_ORIGINS: ' , ' }).allowedOrigins).toBeNull();
  });
});
