/**
 * The benchmark shares its machine; other work running at the same time skews every number.
 * `waitForQuiet` waits (up to a limit) until the machine's other processes use less than
 * `maxBusyCores` over a 2-second sample, and reports what it saw, so a result can say whether
 * it was measured on a quiet machine.
 */
import { loadavg } from 'node:os';
import { machineBusySeconds } from './proc-stats';

export interface QuietCheck {
  readonly waitedMs: number;
  /** Cores busy in the last sample before the run started. */
  readonly busyCores: number;
  readonly quiet: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForQuiet(
  limitMs: number,
  maxBusyCores = 0.25,
  progress: (message: string) => void = () => undefined,
): Promise<QuietCheck> {
  const started = performance.now();
  let busyCores = 0;
  let warned = false;
  for (;;) {
    const before = machineBusySeconds();
    await sleep(limitMs > 0 ? 2000 : 500);
    busyCores = (machineBusySeconds() - before) / (limitMs > 0 ? 2 : 0.5);
    const waitedMs = performance.now() - started;
    if (busyCores < maxBusyCores) return { waitedMs, busyCores, quiet: true };
    if (waitedMs >= limitMs) return { waitedMs, busyCores, quiet: false };
    if (!warned) {
      progress(
        `machine busy (${busyCores.toFixed(2)} cores in use by other processes); waiting up to ${Math.round(limitMs / 1000)} s`,
      );
      warned = true;
    }
  }
}

/**
 * What every benchmark run starts with: waiting (up to `limitMs`) for the machine to be quiet,
 * then the one-minute load average it starts under, both kept in the results.
 */
export async function settleMachine(
  limitMs: number,
  progress: (message: string) => void,
): Promise<{ quietCheck: QuietCheck; loadAverage: number }> {
  const quietCheck = await waitForQuiet(limitMs, 0.25, progress);
  return { quietCheck, loadAverage: loadavg()[0] ?? 0 };
}
