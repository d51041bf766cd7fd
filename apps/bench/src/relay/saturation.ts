/**
 * Saturation search: on one topology, raise the total edit rate step by step (×`factor`)
 * until a step is not sustained (or, if the first step already fails, lower it until one is),
 * then bisect between the last sustained rate and the first failed one. A step is sustained
 * when fan-out p99 ≤ `p99LimitMs` (edits still undelivered after the drain count as
 * infinitely late), the generator achieved ≥ 95 % of the offered
 * rate, and nothing was left undelivered. The server and clients are reused across sustained
 * steps and started afresh after a failed one, whose backlog would skew the next.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectFleet, type Fleet, type Topology } from './fleet';
import { measureStep, type StepResult } from './load-run';
import { settleMachine, type QuietCheck } from './quiet';
import { seededRandom } from './random';
import {
  serverOptions,
  startServer,
  type LaunchSettings,
  type ServerName,
  type ServerProcess,
} from './servers';

export interface SaturationSettings extends Topology, LaunchSettings {
  readonly startRate: number;
  readonly factor: number;
  readonly maxSteps: number;
  readonly bisections: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly drainMs: number;
  readonly p99LimitMs: number;
  readonly seed: number;
  readonly quietWaitMs: number;
}

export interface SaturationStep extends StepResult {
  readonly sustained: boolean;
  /** The generator itself was busy (≥ 0.9 cores or event-loop p99 delay > 20 ms). */
  readonly generatorLimited: boolean;
}

export interface SaturationRun {
  readonly server: ServerName;
  readonly date: string;
  /** 1-minute load average of the machine when the search started. */
  readonly loadAverage: number;
  readonly quietCheck: QuietCheck;
  readonly steps: readonly SaturationStep[];
  /** Highest sustained total edit rate, edits/s (0 if even the first step failed). */
  readonly maxSustainedEditsPerSecond: number;
  /** True if the search stopped at maxSteps while still passing: the real limit is higher. */
  readonly capped: boolean;
}

export function isSustained(step: StepResult, p99LimitMs: number): boolean {
  return (
    step.fanoutMs.p99 !== null &&
    step.fanoutMs.p99 <= p99LimitMs &&
    step.achievedEditsPerSecond >= 0.95 * step.offeredEditsPerSecond &&
    step.undelivered === 0
  );
}

export async function saturate(
  name: ServerName,
  settings: SaturationSettings,
  progress: (message: string) => void,
): Promise<SaturationRun> {
  const { quietCheck, loadAverage } = await settleMachine(settings.quietWaitMs, progress);
  const random = seededRandom(settings.seed);
  const steps: SaturationStep[] = [];
  let session: { server: ServerProcess; fleet: Fleet; dataDir: string } | null = null;

  const open = async (): Promise<{ server: ServerProcess; fleet: Fleet }> => {
    if (session) return session;
    const dataDir = mkdtempSync(join(tmpdir(), `weft-bench-sat-${name}-`));
    const server = await startServer(name, serverOptions(dataDir, settings));
    const fleet = await connectFleet(server, settings);
    session = { server, fleet, dataDir };
    return session;
  };
  const close = async (): Promise<void> => {
    if (!session) return;
    const { server, fleet, dataDir } = session;
    session = null;
    fleet.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const step = async (rate: number): Promise<boolean> => {
    const { server, fleet } = await open();
    const result = await measureStep(
      server,
      fleet,
      {
        editsPerSecond: Math.round(rate),
        warmupMs: settings.warmupMs,
        windowMs: settings.windowMs,
        drainMs: settings.drainMs,
      },
      random,
    );
    const sustained = isSustained(result, settings.p99LimitMs);
    const generatorLimited = result.generatorCores >= 0.9 || result.generatorLoopDelayP99Ms > 20;
    steps.push({ ...result, sustained, generatorLimited });
    const p99 =
      result.fanoutMs.p99 === null ? 'undelivered' : `${result.fanoutMs.p99.toFixed(1)} ms`;
    progress(
      `${name}: ${Math.round(rate)} edits/s -> p99 ${p99}, server ${result.serverCores.toFixed(2)} cores, ` +
        `generator ${result.generatorCores.toFixed(2)} cores, other ${result.otherCores.toFixed(2)} cores: ${sustained ? 'sustained' : 'not sustained'}`,
    );
    if (!sustained) await close();
    return sustained;
  };

  try {
    let passed = 0;
    let failed = 0;
    let rate = settings.startRate;
    for (let i = 0; i < settings.maxSteps; i++) {
      if (await step(rate)) {
        passed = rate;
        if (failed > 0) break; // came down from a failure: the limit is bracketed
        rate *= settings.factor;
      } else {
        failed = rate;
        if (passed > 0) break;
        rate /= settings.factor; // even the start rate failed: search downwards
      }
    }
    const capped = failed === 0;
    if (!capped) {
      for (let i = 0; i < settings.bisections && passed > 0; i++) {
        const mid = (passed + failed) / 2;
        if (await step(mid)) passed = mid;
        else failed = mid;
      }
    }
    return {
      server: name,
      date: new Date().toISOString(),
      loadAverage,
      quietCheck,
      steps,
      maxSustainedEditsPerSecond: Math.round(passed),
      capped,
    };
  } finally {
    await close();
  }
}
