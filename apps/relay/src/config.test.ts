import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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
