/**
 * `pnpm bench relay [--preset small,medium,saturation] [--servers weft,y-websocket,hocuspocus]
 * [--quick] [--out DIR] [--cpu-prof DIR] [--window S] [--rate N]`: runs each preset against
 * each server, one server at a time, prints tables, and merges the results into relay.json
 * and relay.svg (relay-quick.* for --quick, so CI never overwrites the committed results).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { defaultResultsDir } from '../lib/paths';
import { formatClusterLoad, runClusterLoad, type ClusterLoadSettings } from './cluster-load';
import { planCpus, pinThisProcess } from './cpu-pinning';
import { runOnServer, type RunSettings, type ServerRun } from './load-run';
import { formatReport, renderChart } from './report';
import {
  environment,
  readPrevious,
  summariseRepeats,
  toJson,
  type LoadPreset,
  type RelayResults,
  type SaturationPreset,
} from './results';
import { saturate, type SaturationSettings } from './saturation';
import { SERVER_NAMES, type ServerName } from './servers';

export const RELAY_USAGE = `Usage: pnpm bench relay [options]

Starts Weft's relay, the y-websocket@2.1.0 reference server and Hocuspocus 3.4 (each with
LevelDB persistence, one after another) and loads each with R rooms x K clients, W writers per
room typing one character per edit at a fixed total rate. Prints a table per preset and merges
the results into relay.json and relay.svg.

  --preset LIST   comma-separated: small (10x10, 400 edits/s), medium (50x20, 2,000 edits/s),
                  saturation (50x20, rate x1.5 until p99 > 100 ms, then bisect); default all
                  cluster: Weft on PostgreSQL, one relay and a two-relay cluster with Redis
                  (20 documents x 2 writers, 400 edits/s): saved-ack and fan-out latency
                  within and across relays, throughput; written to relay-cluster.json
  --servers LIST  comma-separated: weft, y-websocket, hocuspocus; default all
  --quick         a few seconds per server for CI (3 rooms x 5 clients); writes relay-quick.*
                  and relay-cluster-quick.json
  --window S      measured seconds per load preset (default 20)
  --repeat N      run each load preset N times per server, servers taking turns, and report
                  the run with the median p99 (default: 3 for medium, 1 for small; 1 --quick)
  --rate N        total edits/s for small/medium instead of the preset's
  --seed N        edit sequence seed (default 1)
  --quiet-wait S  before each server, wait up to S seconds for other processes to use less
                  than 0.25 cores (default 180; 0 with --quick); the result records what it saw
  --no-pin        share every CPU between server and generator (default: the server runs on
                  CPU 0 alone and the generator on the others, when there are 2 or more)
  --cpu-prof DIR  start the servers with --cpu-prof, profiles written to DIR on exit
  --relay-dir DIR run Weft's relay from DIR (a copy of apps/relay) instead, for before/after
                  comparisons of relay changes
  --out DIR       where to write results (default apps/bench/results)`;

const PRESET_NAMES = ['small', 'medium', 'saturation', 'cluster'] as const;
type PresetName = (typeof PRESET_NAMES)[number];

/** What the load presets share; they differ in size and rate. */
const LOAD_COMMON = {
  writersPerRoom: 2,
  realReadersPerRoom: 1,
  warmupMs: 5000,
  windowMs: 20_000,
  drainMs: 10_000,
  seed: 1,
  checkRestart: true,
  quietWaitMs: 180_000,
} as const;

const LOAD: Record<'small' | 'medium', RunSettings> = {
  small: { ...LOAD_COMMON, rooms: 10, clientsPerRoom: 10, editsPerSecond: 400 },
  medium: { ...LOAD_COMMON, rooms: 50, clientsPerRoom: 20, editsPerSecond: 2000 },
};

const SATURATION: SaturationSettings = {
  rooms: 50,
  clientsPerRoom: 20,
  writersPerRoom: 2,
  realReadersPerRoom: 1,
  startRate: 2000,
  factor: 1.5,
  maxSteps: 10,
  bisections: 3,
  warmupMs: 2000,
  windowMs: 8000,
  drainMs: 5000,
  p99LimitMs: 100,
  seed: 1,
  quietWaitMs: 180_000,
};

const CLUSTER: ClusterLoadSettings = {
  docs: 20,
  writersPerDoc: 2,
  editsPerSecond: 400,
  warmupMs: 3000,
  windowMs: 15_000,
  drainMs: 5000,
};
const QUICK_CLUSTER: ClusterLoadSettings = {
  docs: 2,
  writersPerDoc: 2,
  editsPerSecond: 40,
  warmupMs: 500,
  windowMs: 2000,
  drainMs: 2000,
};

const QUICK_TOPOLOGY = { rooms: 3, clientsPerRoom: 5, writersPerRoom: 2, realReadersPerRoom: 1 };
const QUICK_LOAD: RunSettings = {
  ...QUICK_TOPOLOGY,
  editsPerSecond: 60,
  warmupMs: 500,
  windowMs: 2000,
  drainMs: 3000,
  seed: 1,
  checkRestart: false,
  quietWaitMs: 0,
};
const QUICK_SATURATION: SaturationSettings = {
  ...QUICK_TOPOLOGY,
  startRate: 100,
  factor: 4,
  maxSteps: 2,
  bisections: 0,
  warmupMs: 300,
  windowMs: 1500,
  drainMs: 2000,
  p99LimitMs: 100,
  seed: 1,
  quietWaitMs: 0,
};

const NOTES = [
  'Each server runs as its own Node child process on 127.0.0.1 with LevelDB persistence in a fresh temporary directory; servers run one after another in the same invocation, and the load generator is two Node processes on the same machine (real Yjs clients in one, bare readers in the other). Unless --no-pin is given, each server runs on CPU 0 alone (taskset; settings.cpus) and the generator on the other CPUs, so that neither waits for the other and the latencies measure the server.',
  "Weft's relay runs with saved acknowledgements on (every client opts in with [100]) and with WEFT_MAX_CONNECTIONS_PER_ADDRESS=1000000, WEFT_MESSAGES_PER_SECOND=1000000 and WEFT_BYTES_PER_SECOND=1073741824, since every benchmark client comes from one address. y-websocket@2.1.0 runs bin/server.cjs with YPERSISTENCE (y-leveldb); Hocuspocus 3.4 runs with its Database extension over classic-level and default debounce (2 s, max 10 s). Neither reference server tells clients when an edit is durable.",
  "Writers and one reader per room hold real Yjs documents; the other readers are bare sockets that complete the sync handshake and count the edits in each update frame from its struct headers. Every edit inserts one character (sometimes replacing the one before), so a writer's edit k is its item with clock k.",
  'Edits are open-loop at a fixed total rate split evenly over writers with random phases. Fan-out latency runs from the writer creating the edit to a real replica (the other writer and the real readers) applying it; edits still missing after the drain count as infinitely late, so a p99 of "undelivered" means more than 1 % never arrived.',
  'Server CPU is utime+stime from /proc/<pid>/stat over the measured window; RSS from /proc/<pid>/status; RSS per connection is (RSS with all clients connected and idle - RSS before any client) / connections. Generator cores and event-loop delay p99 show whether the load generator kept up.',
  'Converged: every real replica holds the same state vector and text, every bare reader counted every edit, and a fresh client per room syncs to the same text; "+restart": after stopping the server (SIGTERM, 2 s after the last client left) and starting it on the same data, fresh clients see the same text (waiting up to 15 s, since y-websocket answers before its LevelDB load completes).',
];

function list<T extends string>(raw: string | undefined, all: readonly T[], what: string): T[] {
  if (raw === undefined) return [...all];
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(all as readonly string[]).includes(item))
      throw new Error(`Unknown ${what} "${item}" (one of ${all.join(', ')})`);
  }
  return items as T[];
}

const progress = (message: string): void => {
  process.stderr.write(`[relay] ${message}\n`);
};

export async function runRelay(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, {
    flags: ['quick', 'no-pin'],
    valued: [
      'preset',
      'servers',
      'out',
      'cpu-prof',
      'window',
      'rate',
      'seed',
      'quiet-wait',
      'relay-dir',
      'repeat',
    ],
  });
  const quick = args.flags.has('quick');
  const presets = list<PresetName>(args.values.get('preset'), PRESET_NAMES, 'preset').filter(
    (p) => !quick || p !== 'medium',
  );
  const servers = list<ServerName>(args.values.get('servers'), SERVER_NAMES, 'server');
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const cpuProf = args.values.get('cpu-prof');
  const cpuProfDir = cpuProf === undefined ? undefined : resolve(cpuProf);
  const window = args.values.get('window');
  const rate = args.values.get('rate');
  const seed = Number(args.values.get('seed') ?? 1);
  const relayDirArg = args.values.get('relay-dir');
  const cpus = args.flags.has('no-pin') ? null : planCpus();
  if (cpus) pinThisProcess(cpus.generator);
  const extra = {
    ...(cpuProfDir ? { cpuProfDir } : {}),
    ...(relayDirArg === undefined ? {} : { relayDir: resolve(relayDirArg) }),
    ...(cpus ? { cpus: cpus.server } : {}),
  };
  const quietWait = args.values.get('quiet-wait');
  const quietWaitMs = quietWait === undefined ? undefined : Number(quietWait) * 1000;
  const file = join(outDir, quick ? 'relay-quick' : 'relay');
  mkdirSync(outDir, { recursive: true });
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });

  const previous = readPrevious(`${file}.json`) as RelayResults | null;
  const merged: Record<string, LoadPreset | SaturationPreset> = { ...(previous?.presets ?? {}) };
  const save = (): RelayResults => {
    const results: RelayResults = {
      benchmark: 'relay',
      environment: environment(),
      notes: NOTES,
      presets: merged,
    };
    writeFileSync(`${file}.json`, toJson(results));
    writeFileSync(`${file}.svg`, renderChart(results));
    return results;
  };

  for (const preset of presets) {
    if (preset === 'cluster') {
      const settings = quick ? QUICK_CLUSTER : CLUSTER;
      progress('cluster: Weft on PostgreSQL, one relay and two');
      const runs = await runClusterLoad(settings, progress);
      // relay-cluster-quick.json for --quick, which .gitignore's `*-quick.*` keeps out of git.
      const clusterFile = join(outDir, quick ? 'relay-cluster-quick.json' : 'relay-cluster.json');
      writeFileSync(clusterFile, toJson({ settings, runs }));
      console.log(`${formatClusterLoad(runs, settings)}\n`);
    } else if (preset === 'saturation') {
      const settings: SaturationSettings = {
        ...(quick ? QUICK_SATURATION : SATURATION),
        seed,
        ...(quietWaitMs === undefined ? {} : { quietWaitMs }),
        ...extra,
      };
      const old = merged[preset];
      const runs: SaturationPreset['runs'] = old?.kind === 'saturation' ? { ...old.runs } : {};
      for (const server of servers) {
        progress(`saturation: ${server}`);
        runs[server] = await saturate(server, settings, progress);
        merged[preset] = { kind: 'saturation', settings, runs };
        save();
      }
    } else {
      const base = quick ? QUICK_LOAD : LOAD[preset];
      const settings: RunSettings = {
        ...base,
        ...(window === undefined ? {} : { windowMs: Number(window) * 1000 }),
        ...(rate === undefined ? {} : { editsPerSecond: Number(rate) }),
        seed,
        ...(quietWaitMs === undefined ? {} : { quietWaitMs }),
        ...extra,
      };
      const old = merged[preset];
      const runs: LoadPreset['runs'] = old?.kind === 'load' ? { ...old.runs } : {};
      const repeats: NonNullable<LoadPreset['repeats']> =
        old?.kind === 'load' ? { ...old.repeats } : {};
      const times = quick ? 1 : Number(args.values.get('repeat') ?? (preset === 'medium' ? 3 : 1));
      const done = new Map<ServerName, ServerRun[]>();
      for (let round = 1; round <= times; round++) {
        for (const server of servers) {
          progress(`${preset}: ${server}${times > 1 ? ` (run ${round} of ${times})` : ''}`);
          const all = [...(done.get(server) ?? []), await runOnServer(server, settings, progress)];
          done.set(server, all);
          const { representative, summary } = summariseRepeats(all);
          runs[server] = representative;
          repeats[server] = summary;
          merged[preset] = { kind: 'load', settings, runs, repeats };
          save();
        }
      }
    }
  }
  const results = save();
  console.log(formatReport(results, quick));
  console.log(`\nWrote ${file}.json and ${file}.svg`);
}
