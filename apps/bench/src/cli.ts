/**
 * Weft's benchmark CLI: `pnpm bench <benchmark> [options]`. Each benchmark is one entry in
 * BENCHMARKS; adding one means adding a module with a `run(argv)` and a line here.
 */
import { runOtVsCrdt, OT_VS_CRDT_USAGE } from './ot-vs-crdt/command';
import { runRelay, RELAY_USAGE } from './relay/command';
import { runColdLoad, COLD_LOAD_USAGE } from './cold-load/command';
import { runIdleConnections, IDLE_CONNECTIONS_USAGE } from './idle-connections/command';
import { runBrowserLatency, BROWSER_LATENCY_USAGE } from './browser/command';
import { runProfile, PROFILE_USAGE } from './profile/command';
import { runEditor, EDITOR_USAGE } from './editor/command';
import { runHistory, HISTORY_USAGE } from './history/command';

interface Benchmark {
  readonly summary: string;
  readonly usage: string;
  /** Runs the benchmark; throws (or rejects) to fail the command. */
  readonly run: (argv: readonly string[]) => Promise<void> | void;
}

const BENCHMARKS: Readonly<Record<string, Benchmark>> = {
  'ot-vs-crdt': {
    summary: 'Operational Transformation (@weft/ot) against the Yjs CRDT on real editing traces',
    usage: OT_VS_CRDT_USAGE,
    run: runOtVsCrdt,
  },
  relay: {
    summary: "Weft's relay against the y-websocket and Hocuspocus servers under load",
    usage: RELAY_USAGE,
    run: runRelay,
  },
  'cold-load': {
    summary:
      'Fresh-client load time of the automerge-paper document on each server, before and after compaction',
    usage: COLD_LOAD_USAGE,
    run: runColdLoad,
  },
  'idle-connections': {
    summary: 'Server memory per idle connection at 5,000 connections, for each server',
    usage: IDLE_CONNECTIONS_USAGE,
    run: runIdleConnections,
  },
  'browser-latency': {
    summary:
      'Keystroke-to-remote-render latency between Chromium users, idle and during 50 KB pastes',
    usage: BROWSER_LATENCY_USAGE,
    run: runBrowserLatency,
  },
  editor: {
    summary:
      "Weft's editor page against a bare y-codemirror.next page: keystroke latency, opening, JS shipped",
    usage: EDITOR_USAGE,
    run: runEditor,
  },
  history: {
    summary:
      'Version history: bytes per checkpoint of automerge-paper, time to list, read and restore',
    usage: HISTORY_USAGE,
    run: runHistory,
  },
  profile: {
    summary: 'Where a profiled server or page spent its time (.cpuprofile files from --cpu-prof)',
    usage: PROFILE_USAGE,
    run: runProfile,
  },
};

function help(): string {
  const names = Object.keys(BENCHMARKS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'Usage: pnpm bench <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${BENCHMARKS[n]?.summary ?? ''}`),
    '',
    'Run `pnpm bench <command> --help` for its options.',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(help());
    return name === undefined ? 1 : 0;
  }
  const benchmark = BENCHMARKS[name];
  if (!benchmark) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(benchmark.usage);
    return 0;
  }
  await benchmark.run(rest);
  return 0;
}

// `pnpm run bench -- …` may pass the separator through.
const argv = process.argv.slice(2);
main(argv[0] === '--' ? argv.slice(1) : argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
