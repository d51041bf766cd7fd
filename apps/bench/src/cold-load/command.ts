/**
 * `pnpm bench cold-load [--quick] [--servers LIST] [--out DIR] [--traces DIR]`: the
 * automerge-paper trace (259,778 edits) stored as one update per edit, then compacted; time
 * from connect to synced for a fresh client on a freshly started server (the document is not
 * in memory), before and after compaction, and the bytes stored. Writes cold-load.json/.svg.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { defaultResultsDir, defaultTracesDir } from '../lib/paths';
import { barChart, svgDocument } from '../lib/svg';
import { fmt, formatTable, type Cell } from '../lib/table';
import { environment, toJson, type Environment } from '../relay/results';
import { SERVER_NAMES, startServer, type ServerName, type ServerProcess } from '../relay/servers';
import { EditLog, YjsPeer } from '../relay/yjs-peer';
import {
  dirBytes,
  seedHocuspocus,
  seedWeft,
  seedWeftCompacted,
  seedYWebsocket,
} from './seed-stores';
import { traceDocument, type TraceDocument } from './trace-updates';

export const COLD_LOAD_USAGE = `Usage: pnpm bench cold-load [--quick] [--servers LIST] [--out DIR] [--traces DIR]

Stores the automerge-paper trace (259,778 edits) in each server's LevelDB as one update per
edit, starts the server, and times a fresh client from connect until its document holds the
whole text; then the same after compaction. Writes cold-load.json and cold-load.svg.

  --quick         the first 10,000 edits only; writes cold-load-quick.*
  --limit S       give a client S seconds to hold the whole document (default 180; quick 30)
  --servers LIST  comma-separated: weft, y-websocket, hocuspocus; default all
  --out DIR       where to write results (default apps/bench/results)
  --traces DIR    the editing traces (default ../shared/traces from the repository root)`;

const ROOM = 'automerge-paper';

export interface LoadTiming {
  /** Connect until the sync handshake completed (SyncStep2 applied). */
  readonly syncedMs: number;
  /** Connect until the client's text equals the whole document. */
  readonly completeMs: number;
  /** Server RSS once the document is loaded. */
  readonly serverRssBytes: number;
}

export interface Phase {
  /** Updates in the stored log (1 after compaction). */
  readonly storedUpdates: number;
  /** Bytes of update data stored (the values). */
  readonly storedValueBytes: number;
  /** Bytes of the LevelDB directory on disk. */
  readonly diskBytes: number;
  /** The first client after the server started: the document is loaded from disk. Null: not within the time limit. */
  readonly cold: LoadTiming | null;
  /** A second fresh client while the document is loaded. */
  readonly warm: LoadTiming | null;
  /** Milliseconds a client was given before the load counted as not finished. */
  readonly limitMs: number;
}

export interface ColdLoadRun {
  readonly server: ServerName;
  readonly loadAverage: number;
  /** Null for Hocuspocus, which never stores a per-update log. */
  readonly beforeCompaction: Phase | null;
  readonly afterCompaction: Phase;
  readonly notes: string;
}

export interface ColdLoadResults {
  readonly benchmark: 'cold-load';
  readonly environment: Environment;
  readonly trace: {
    name: string;
    edits: number;
    finalChars: number;
    updateBytes: number;
    stateBytes: number;
  };
  readonly notes: readonly string[];
  readonly runs: Partial<Record<ServerName, ColdLoadRun>>;
}

const progress = (message: string): void => {
  process.stderr.write(`[cold-load] ${message}\n`);
};

/** Times one fresh client; null when it does not hold the whole text within `limitMs`. */
async function timeLoad(
  server: ServerProcess,
  expected: string,
  limitMs: number,
): Promise<LoadTiming | null> {
  const started = performance.now();
  let peer: YjsPeer;
  try {
    peer = await YjsPeer.connect({
      dialect: server.dialect,
      wsUrl: server.wsUrl,
      room: ROOM,
      log: new EditLog(),
      watched: () => [],
      timeoutMs: limitMs,
    });
  } catch {
    return null;
  }
  const syncedMs = performance.now() - started;
  try {
    while (peer.text.length !== expected.length || peer.text.toString() !== expected) {
      if (performance.now() - started > limitMs) return null;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return {
      syncedMs,
      completeMs: performance.now() - started,
      serverRssBytes: server.memory().rss,
    };
  } finally {
    peer.close();
  }
}

async function measurePhase(
  name: ServerName,
  dataDir: string,
  doc: TraceDocument,
  stored: { updates: number; valueBytes: number },
  limitMs: number,
): Promise<Phase> {
  const diskBytes = dirBytes(dataDir);
  const server = await startServer(name, { dataDir });
  try {
    const cold = await timeLoad(server, doc.text, limitMs);
    const warm = cold ? await timeLoad(server, doc.text, limitMs) : null;
    const show = (t: LoadTiming | null): string =>
      t ? `${fmt(t.completeMs, 0)} ms` : `not within ${limitMs / 1000} s`;
    progress(`${name}: ${stored.updates} stored updates: cold ${show(cold)}, warm ${show(warm)}`);
    return {
      storedUpdates: stored.updates,
      storedValueBytes: stored.valueBytes,
      diskBytes,
      cold,
      warm,
      limitMs,
    };
  } finally {
    // y-leveldb compacts while loading and does not wait for its deletes: let them land.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await server.stop();
  }
}

async function runServer(
  name: ServerName,
  doc: TraceDocument,
  limitMs: number,
): Promise<ColdLoadRun> {
  const loadAverage = loadavg()[0] ?? 0;
  const dataDir = mkdtempSync(join(tmpdir(), `weft-bench-cold-${name}-`));
  const log = { updates: doc.updates.length, valueBytes: doc.updateBytes };
  const compacted = { updates: 1, valueBytes: doc.state.byteLength };
  try {
    switch (name) {
      case 'weft': {
        progress('weft: writing the log');
        await seedWeft(dataDir, ROOM, doc.updates);
        const before = await measurePhase(name, dataDir, doc, log, limitMs);
        rmSync(dataDir, { recursive: true, force: true });
        progress('weft: writing the log with compaction every 1,000 updates');
        const bytes = await seedWeftCompacted(dataDir, ROOM, doc.updates);
        const after = await measurePhase(
          name,
          dataDir,
          doc,
          { updates: 1, valueBytes: bytes },
          limitMs,
        );
        return {
          server: name,
          loadAverage,
          beforeCompaction: before,
          afterCompaction: after,
          notes:
            "before: the whole log of single-edit updates, as if compaction had never run; after: the same appends, compacted as the relay does (to the live document's state) whenever the log reached 1,000 updates (the relay's default), plus a final compaction",
        };
      }
      case 'y-websocket': {
        progress('y-websocket: writing the log through y-leveldb storeUpdate');
        await seedYWebsocket(dataDir, ROOM, doc.updates, (done) =>
          progress(`y-websocket: ${done} updates stored`),
        );
        const before = await measurePhase(name, dataDir, doc, log, limitMs);
        const after = await measurePhase(name, dataDir, doc, compacted, limitMs);
        return {
          server: name,
          loadAverage,
          beforeCompaction: before,
          afterCompaction: after,
          notes:
            'y-leveldb compacts a log of more than 500 updates during the first load, so the second start loads the compacted document',
        };
      }
      case 'hocuspocus': {
        await seedHocuspocus(dataDir, ROOM, doc.state);
        const after = await measurePhase(name, dataDir, doc, compacted, limitMs);
        return {
          server: name,
          loadAverage,
          beforeCompaction: null,
          afterCompaction: after,
          notes:
            'the Database extension stores the whole state on every store, so there is no per-update log',
        };
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const NOTES = [
  "Each trace transaction is one Yjs transaction and one update; the document is built once in the benchmark process and written into each server's LevelDB with that server stopped, in the layout the server itself writes (Weft: LevelDocStore append in batches of 1,000; y-websocket: y-leveldb storeUpdate per update; Hocuspocus: the encoded state under the document name).",
  'Cold: the first client after the server process started, so the server reads the document from disk. Warm: a second fresh client right after. Times run from opening the WebSocket until the client\'s Y.Text equals the whole final text ("synced" is when the sync handshake completed; y-websocket answers before its load finishes and sends the content later).',
  "Disk bytes are the LevelDB directory as left by the writer (LevelDB's own log and tables); value bytes are the stored updates.",
];

export async function runColdLoad(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { flags: ['quick'], valued: ['servers', 'out', 'traces', 'limit'] });
  const quick = args.flags.has('quick');
  const limitMs = Number(args.values.get('limit') ?? (quick ? 30 : 180)) * 1000;
  const servers = (args.values.get('servers')?.split(',') ?? [...SERVER_NAMES]) as ServerName[];
  for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`Unknown server "${s}"`);
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const tracesDir = resolve(args.values.get('traces') ?? defaultTracesDir());
  const file = join(outDir, quick ? 'cold-load-quick' : 'cold-load');
  mkdirSync(outDir, { recursive: true });

  progress('building the document from the trace');
  const doc = traceDocument(tracesDir, 'automerge-paper', quick ? 10_000 : Infinity);
  const runs: ColdLoadResults['runs'] = {};
  for (const server of servers) runs[server] = await runServer(server, doc, limitMs);
  const results: ColdLoadResults = {
    benchmark: 'cold-load',
    environment: environment(),
    trace: {
      name: 'automerge-paper',
      edits: doc.updates.length,
      finalChars: doc.text.length,
      updateBytes: doc.updateBytes,
      stateBytes: doc.state.byteLength,
    },
    notes: NOTES,
    runs,
  };
  writeFileSync(`${file}.json`, toJson(results));
  writeFileSync(`${file}.svg`, chart(results));
  console.log(report(results));
  console.log(`\nWrote ${file}.json and ${file}.svg`);
}

function report(results: ColdLoadResults): string {
  const rows: Cell[][] = [];
  for (const server of SERVER_NAMES) {
    const run = results.runs[server];
    if (!run) continue;
    for (const [label, phase] of [
      ['before compaction', run.beforeCompaction],
      ['after compaction', run.afterCompaction],
    ] as const) {
      if (!phase) {
        rows.push([server, label, '-', '-', '-', '-', '-', '-']);
        continue;
      }
      rows.push([
        server,
        label,
        phase.storedUpdates,
        Number((phase.storedValueBytes / 2 ** 20).toFixed(2)),
        Number((phase.diskBytes / 2 ** 20).toFixed(2)),
        phase.cold ? Math.round(phase.cold.syncedMs) : `> ${phase.limitMs / 1000} s`,
        phase.cold ? Math.round(phase.cold.completeMs) : `> ${phase.limitMs / 1000} s`,
        phase.warm ? Math.round(phase.warm.completeMs) : '-',
      ]);
    }
  }
  const t = results.trace;
  return [
    `cold load: ${t.name}, ${fmt(t.edits)} edits, ${fmt(t.finalChars)} characters, updates ${fmt(t.updateBytes / 2 ** 20, 2)} MB, state ${fmt(t.stateBytes / 1024, 1)} KB`,
    formatTable(
      [
        'server',
        'stored as',
        'updates',
        'values MB',
        'disk MB',
        'cold synced ms',
        'cold complete ms',
        'warm complete ms',
      ],
      rows,
    ),
  ].join('\n');
}

function chart(results: ColdLoadResults): string {
  const servers = SERVER_NAMES.filter((s) => results.runs[s]);
  const groups = ['before compaction', 'after compaction'];
  const values = (f: (p: Phase) => number) =>
    servers.map((s) => {
      const run = results.runs[s];
      return {
        name: s,
        values: [
          run?.beforeCompaction ? f(run.beforeCompaction) : null,
          run ? f(run.afterCompaction) : null,
        ],
      };
    });
  const W = 420;
  const H = 260;
  return svgDocument(2 * W + 30, H + 20, 'Cold load of automerge-paper', [
    barChart(
      { x: 10, y: 10, width: W, height: H },
      {
        title: 'Cold load: connect to whole document (ms; limit if not loaded)',
        yLabel: 'ms',
        groups,
        series: values((p) => p.cold?.completeMs ?? p.limitMs),
        log: true,
      },
    ),
    barChart(
      { x: W + 20, y: 10, width: W, height: H },
      {
        title: 'Stored on disk (MB)',
        yLabel: 'MB',
        groups,
        series: values((p) => p.diskBytes / 2 ** 20),
        log: true,
      },
    ),
  ]);
}
