import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, securityProblem } from './config';

describe('relay configuration', () => {
  it('defaults to loopback on 4455 with ./data', () => {
    const config = loadConfig([], {});
    expect(config).not.toBe('help');
    if (config === 'help') return;
    expect(config.port).toBe(4455);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.fsync).toBe(false);
    expect(config.maxFrameBytes).toBe(8 * 1024 * 1024);
  });

  it('takes flags over environment variables', () => {
    const config = loadConfig(['--port', '5000', '--fsync'], { PORT: '6000', HOST: '0.0.0.0' });
    if (config === 'help') throw new Error('unexpected help');
    expect(config.port).toBe(5000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.fsync).toBe(true);
  });

  it('explains bad values instead of starting', () => {
    expect(() => loadConfig([], { PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig([], { PORT: '70000' })).toThrow(/port must be a whole number/);
    expect(() => loadConfig([], { WEFT_FSYNC: 'maybe' })).toThrow(/WEFT_FSYNC/);
    expect(() => loadConfig(['--no-such-flag'], {})).toThrow();
  });

  it('recognises --help', () => {
    expect(loadConfig(['--help'], {})).toBe('help');
  });
});

describe('security mode', () => {
  const base = (env: Record<string, string>, argv: string[] = []) => {
    const config = loadConfig(argv, env);
    if (config === 'help') throw new Error('unexpected help');
    return config;
  };

  it('runs in local mode on loopback without a secret', () => {
    expect(securityProblem(base({}))).toBeNull();
  });

  it('refuses a public bind without a secret unless --insecure is given', () => {
    expect(securityProblem(base({ HOST: '0.0.0.0' }))).toMatch(/refusing to listen on 0.0.0.0/);
    expect(securityProblem(base({ HOST: '0.0.0.0' }, ['--insecure']))).toBeNull();
    expect(securityProblem(base({ HOST: '0.0.0.0', WEFT_AUTH_SECRET: 's'.repeat(32) }))).toBeNull();
  });

  it('reads a metrics token and refuses one too short to guess safely', () => {
    const config = loadConfig(['--metrics-token', 'm'.repeat(16)], {});
    if (config === 'help') throw new Error('unexpected help');
    expect(config.metricsToken).toBe('m'.repeat(16));
    expect(securityProblem(config)).toBeNull();
    expect(securityProblem(base({ WEFT_METRICS_TOKEN: 'short' }))).toMatch(/at least 16/);
    expect(base({}).metricsToken).toBeNull();
  });

  it('refuses secrets too short for HS256', () => {
    expect(securityProblem(base({ WEFT_AUTH_SECRET: 'short' }))).toMatch(/at least 32/);
  });

  it('reads the origin allowlist as a comma-separated list', () => {
    expect(
      base({ WEFT_ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).allowedOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
  });
});
