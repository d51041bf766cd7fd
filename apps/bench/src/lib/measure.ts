/**
 * Timing and memory measurement. Times are CPU time of the process (see `time`). Memory is `process.memoryUsage().heapUsed` after forced full
 * garbage collections, read before and after building a structure that is still referenced at
 * the second reading; the difference is what that structure retains on the JS heap. (`external`
 * is left out: it is mostly Buffers from reading the traces, freed at unpredictable times, and
 * neither side keeps its document outside the heap.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = () => void;

/** `global.gc`, from `--expose-gc` if given, otherwise enabled at runtime through V8 flags. */
function findGc(): Gc {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as Gc | undefined;
  if (!gc) throw new Error('Cannot force garbage collection: run node with --expose-gc');
  return gc;
}

let gcFn: Gc | null = null;

export function forceGc(): void {
  gcFn ??= findGc();
  // Two passes: the first may only schedule finalisation of weakly held objects.
  gcFn();
  gcFn();
}

const heapBytes = (): number => process.memoryUsage().heapUsed;

/** Bytes retained by one value `build` returns (garbage it made along the way excluded). */
function retainedOnce(build: () => unknown): number {
  forceGc();
  const before = heapBytes();
  held.push(build()); // reachable from the module until the second reading is taken
  forceGc();
  const bytes = heapBytes() - before;
  held.length = 0;
  return bytes;
}

const held: unknown[] = [];

/**
 * Median bytes retained by what `build` returns, over `repeats` builds after one unmeasured
 * warm-up build (whose compiled code and caches would otherwise be counted once).
 */
export function retainedBytes(build: () => unknown, repeats = 5): number {
  build();
  const samples = Array.from({ length: repeats }, () => retainedOnce(build));
  return median(samples);
}

export interface Timing {
  /** CPU time of this process (user + system, all threads, so V8's GC helpers count too). */
  readonly cpuMs: number;
  readonly wallMs: number;
}

/**
 * Times `fn` both ways. CPU time is what the benchmark reports: on a shared machine it barely
 * moves when other jobs compete for the cores, while wall-clock time can double.
 */
export function time(fn: () => void): Timing {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  fn();
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

/** CPU milliseconds spent in `fn` (see `time`). */
export const timeMs = (fn: () => void): number => time(fn).cpuMs;

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0..1) by nearest rank; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** UTF-8 size of a string, e.g. a JSON message on the wire. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
