/**
 * Gives the server under test a core of its own. On a small machine the load generator and
 * the server otherwise take turns on the same cores, and every fan-out latency includes time
 * one spent waiting for the other: the numbers then measure the scheduler as much as the
 * server. With pinning, each server process (all its threads: JavaScript, libuv's pool,
 * LevelDB's compaction) runs on CPU 0 only, and the generator (this process and the readers'
 * process it forks) on the other CPUs — the same split for every server in the run.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuPlan {
  /** CPU list (taskset syntax) for the server under test. */
  readonly server: string;
  /** CPU list for the load generator. */
  readonly generator: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The split to use, or null when the machine has one CPU or no `taskset`. */
export function planCpus(): CpuPlan | null {
  const cpus = availableParallelism();
  if (cpus < 2 || !hasTaskset()) return null;
  return { server: '0', generator: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** Moves every thread of this process (and so every child it starts later) onto `cpus`. */
export function pinThisProcess(cpus: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(process.pid)], {
    stdio: 'ignore',
  });
}

/** The command line that runs `file args` on `cpus` (taskset execs it: same pid). */
export function pinnedCommand(
  cpus: string | undefined,
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  if (cpus === undefined) return { file, args: [...args] };
  return { file: 'taskset', args: ['--cpu-list', cpus, file, ...args] };
}
