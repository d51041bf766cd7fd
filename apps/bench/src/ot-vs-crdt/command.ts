/**
 * `pnpm bench ot-vs-crdt [--quick] [--out DIR] [--traces DIR]`: runs every comparison, prints
 * tables, and writes ot-vs-crdt.json and ot-vs-crdt.svg (with a `-quick` suffix for --quick, so
 * a quick run never overwrites the committed full results).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { defaultResultsDir, defaultTracesDir, repoRoot } from '../lib/paths';
import {
  CONCURRENT_TRACES,
  loadConcurrent,
  loadSequential,
  SEQUENTIAL_TRACES,
} from '../lib/traces';
import { compareConcurrent } from './concurrent';
import { memoryAfterLoading } from './memory';
import { growth, offlineBase, offlineDivergence } from './offline';
import { formatReport, renderChart } from './report';
import type { Environment, OtVsCrdtResults } from './results';
import { replaySequential } from './sequential';
import { wireSizes } from './wire';

export const OT_VS_CRDT_USAGE = `Usage: pnpm bench ot-vs-crdt [--quick] [--out DIR] [--traces DIR]

Compares the @weft/ot engine with Yjs on the editing traces: sequential replay, concurrent
replay, offline divergence, bytes per keystroke, memory. Prints tables and writes
ot-vs-crdt.json and ot-vs-crdt.svg.

  --quick        small run for CI (truncated traces, small n); files get a -quick suffix
  --out DIR      where to write results (default apps/bench/results)
  --traces DIR   the editing traces (default ../shared/traces from the repository root)`;

interface Settings {
  readonly sequentialLimit: number;
  readonly concurrentLimit: number;
  readonly repeats: number;
  readonly budgetMs: number;
  readonly offlineNs: readonly number[];
  readonly opByOpLimit: number;
}

const FULL: Settings = {
  sequentialLimit: Infinity,
  concurrentLimit: Infinity,
  repeats: 3,
  budgetMs: 15_000,
  offlineNs: [100, 1000, 10_000],
  opByOpLimit: 1000,
};

const QUICK: Settings = {
  sequentialLimit: 3000,
  concurrentLimit: 4000,
  repeats: 1,
  budgetMs: 0,
  offlineNs: [100, 1000],
  opByOpLimit: 1000,
};

const NOTES = [
  'Times are CPU time of the Node process (process.cpuUsage(), user + system, including V8 background GC threads), not wall-clock: the 2-core machine was shared with other jobs, and CPU time is far less sensitive to that. Sequential runs also record the wall-clock median (wallMs). Each implementation is warmed up on a prefix first.',
  'Sequential: the implementations take turns, up to 3 rounds; an implementation that has spent 15 s stops repeating; the median is reported.',
  'Sequential ops are built from the trace patches before timing; Yjs makes one transaction per trace transaction.',
  'Memory is process.memoryUsage().heapUsed, read after two forced full GCs (node --expose-gc, or enabled at runtime via v8.setFlagsFromString) before and after building the structure, which is still referenced at the second reading; median of 5 builds after one unmeasured warm-up build.',
  'Concurrent traces through OT: each agent is an OtClient of one OtServer; a client receives server records as soon as its next transaction has seen them. A transaction whose causal history no client can hold is not replayed: the replay restarts at the next cut (a point where every later transaction has seen everything before), from the document there (read from the Yjs merge), and the skipped transactions are counted with the reason.',
  'Offline divergence bytes: OT counts every SubmitMessage and every record sent to the other replica as JSON, and acknowledgements as {revision, client, seq}; Yjs counts both state vectors and both updates.',
];

function versionOf(pkg: string): string {
  try {
    const file = join(repoRoot(), 'apps', 'bench', 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

/** Other work on the machine skews timings; the load average makes that visible. */
let loadAverageAtStart: number[] | null = null;

function environment(): Environment {
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? '?',
    cpus: cpus().length,
    versions: { yjs: versionOf('yjs'), 'ot-text-unicode': versionOf('ot-text-unicode') },
    loadAverageAtStart: loadAverageAtStart ?? loadavg(),
    loadAverageAtEnd: loadavg(),
  };
}

const progress = (message: string): void => {
  process.stderr.write(`[ot-vs-crdt] ${message}\n`);
};

export function runOtVsCrdt(argv: readonly string[]): void {
  const args = parseArgs(argv, { flags: ['quick'], valued: ['out', 'traces'] });
  const quick = args.flags.has('quick');
  const settings = quick ? QUICK : FULL;
  const tracesDir = resolve(args.values.get('traces') ?? defaultTracesDir());
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const started = Date.now();
  loadAverageAtStart = loadavg();

  // One sequential trace in memory at a time: a large idle heap would slow every GC and blur
  // both the timings and the memory readings.
  const perTrace = SEQUENTIAL_TRACES.map((name) => {
    const trace = loadSequential(tracesDir, name, settings.sequentialLimit);
    progress(`sequential replay: ${name}`);
    const result = replaySequential(trace, settings);
    progress(`bytes per keystroke: ${name}`);
    const wire = wireSizes(trace);
    progress(`memory: ${name}`);
    return { result, wire, memory: memoryAfterLoading(trace) };
  });
  const concurrent = CONCURRENT_TRACES.map((name) => {
    progress(`concurrent replay: ${name}`);
    return compareConcurrent(loadConcurrent(tracesDir, name, settings.concurrentLimit));
  });
  const base = offlineBase();
  const points = settings.offlineNs.map((n) => {
    progress(`offline divergence: n = ${n}`);
    return offlineDivergence(n, base, settings.opByOpLimit);
  });

  const results: OtVsCrdtResults = {
    benchmark: 'ot-vs-crdt',
    quick,
    environment: environment(),
    notes: NOTES,
    sequential: perTrace.map((t) => t.result),
    concurrent,
    offline: {
      baseChars: base.length,
      points,
      growth: points.slice(1).map((p, i) => {
        const q = points[i] ?? p;
        return {
          from: q.n,
          to: p.n,
          otReconcileMs: growth(q.n, q.ot.reconcileMs, p.n, p.ot.reconcileMs),
          otBytes: growth(q.n, q.ot.bytes, p.n, p.ot.bytes),
          yjsReconcileMs: growth(q.n, q.yjs.reconcileMs, p.n, p.yjs.reconcileMs),
          yjsBytes: growth(q.n, q.yjs.bytes, p.n, p.yjs.bytes),
        };
      }),
    },
    wire: perTrace.map((t) => t.wire),
    memory: perTrace.map((t) => t.memory),
  };

  console.log(`# OT vs CRDT${quick ? ' (quick run: truncated traces, small n)' : ''}`);
  console.log(formatReport(results));
  mkdirSync(outDir, { recursive: true });
  const stem = quick ? 'ot-vs-crdt-quick' : 'ot-vs-crdt';
  writeFileSync(join(outDir, `${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, `${stem}.svg`), renderChart(results));
  console.log(
    `\nWrote ${join(outDir, `${stem}.json`)} and ${stem}.svg in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const failures = [
    ...results.sequential.flatMap((s) =>
      s.runs.filter((r) => !r.correct).map((r) => `${s.trace}: ${r.impl}`),
    ),
    ...results.offline.points.flatMap((p) =>
      [p.ot, p.yjs, p.otOpByOp]
        .filter((side) => side && !side.converged)
        .map(() => `offline n=${p.n}`),
    ),
    ...results.concurrent
      .filter((c) => c.yjs.matchesEndContent === false)
      .map((c) => `${c.trace}: Yjs result differs`),
    ...results.concurrent
      .filter((c) => c.ot.matchesEndContent === false)
      .map((c) => `${c.trace}: OT result differs`),
  ];
  if (failures.length > 0) throw new Error(`Wrong results: ${failures.join('; ')}`);
}
