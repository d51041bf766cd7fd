/**
 * deploy/weft.service: systemd accepts it (`systemd-analyze verify` prints nothing, since it
 * reports unknown keys and bad values as warnings with status 0), and it runs the compiled
 * relay with plain Node and stops it the way its graceful shutdown expects. Skipped, saying
 * so, where systemd-analyze is not installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const unit = fileURLToPath(new URL('../../../deploy/weft.service', import.meta.url));
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/weft.service', () => {
  it.runIf(hasSystemdAnalyze)('passes systemd-analyze verify without a warning', () => {
    const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  });

  it('runs the compiled relay and gives its shutdown time to flush', () => {
    const text = readFileSync(unit, 'utf8');
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/node \S*apps\/relay\/dist\/main\.js$/m);
    expect(text).toMatch(/^KillSignal=SIGTERM$/m);
    // Longer than the relay's 10 s shutdown deadline, so systemd never SIGKILLs a flush.
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(text)?.[1]);
    expect(stopSeconds).toBeGreaterThan(10);
  });
});
