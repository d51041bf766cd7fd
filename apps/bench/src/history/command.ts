/**
 * `pnpm bench history [--quick] [--stores LIST] [--every N] [--out DIR] [--traces DIR]`: what
 * version history costs. The automerge-paper trace replayed into a document of the relay's own
 * rooms, a checkpoint (the whole state, as the relay's Checkpointer stores it) every 1,000
 * edits into a real LevelDB and a real PostgreSQL; bytes per checkpoint and in total, and the
 * time to list, read and restore them. Writes history.json/.svg (quick: history-quick.*).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LevelDocStore, PostgresDocStore, type DocStore } from '@weft/storage';
import { traceDocument } from '../cold-load/trace-updates';
import { parseArgs } from '../lib/args';
import { defaultResultsDir, defaultTracesDir } from '../lib/paths';
import { environment, toJson, type Environment } from '../relay/results';
import { runOnStore, type CheckpointRun } from './checkpoint-run';
import { startPostgres } from './relay-parts';
import { historyChart, historyReport } from './report';

export const HISTORY_USAGE = `Usage: pnpm bench history [--quick] [--stores LIST] [--every N] [--out DIR] [--traces DIR]

Replays the automerge-paper trace (259,778 edits) into a document loaded by the relay's own
rooms, asks the room's Checkpointer for a checkpoint every N edits, and reports the bytes per
checkpoint (min, median, max) and in total, and the time to take, list, read and restore them
(restore: the relay's restoreVersion, a before-restore checkpoint and one forward change).
Writes history.json and history.svg.

  --quick         the first 10,000 edits only; writes history-quick.*
  --stores LIST   comma-separated: leveldb, postgres (a PostgreSQL started in a temporary
                  directory, as the tests do); default both
  --every N       edits between two checkpoints (default 1000)
  --out DIR       where to write results (default apps/bench/results)
  --traces DIR    the editing traces (default ../shared/traces from the repository root)`;

const STORES = ['leveldb', 'postgres'] as const;
type StoreName = (typeof STORES)[number];

export interface HistoryResults {
  readonly benchmark: 'history';
  readonly environment: Environment;
  readonly trace: { name: string; edits: number; finalChars: number };
  readonly every: number;
  readonly notes: readonly string[];
  readonly runs: readonly CheckpointRun[];
}

const NOTES = [
  "Each trace transaction is one update, applied to the live Y.Doc of a room that the relay's Rooms loaded on the store, with the relay's default options: the persister writes and compacts the log as it does for a user's edits.",
  "A checkpoint is room.checkpointer.checkpoint('interval'): Y.encodeStateAsUpdate of the document, stored by addCheckpoint once the log is flushed; 'take' is that whole call (state, flush, write, thinning), after the log of the edits since the previous checkpoint was written ('log write', timed apart: every edit pays it, checkpoint or not). Thinning never ran: every checkpoint is less than 24 hours old.",
  'List: listCheckpoints (what GET /api/docs/<name>/versions reads), median of 20. Read: loadCheckpoint and decoding the state to its text (what GET …/versions/<id> does), each checkpoint once. Restore: restoreVersion (what POST …/versions/<id>/restore runs): the before-restore checkpoint, one forward change by textChange, and the restored checkpoint; its text is checked.',
  'Times are wall-clock milliseconds on a machine shared with other jobs. LevelDB without fsync (the relay default); PostgreSQL with fsync on, on the same machine.',
];

const progress = (message: string): void => {
  process.stderr.write(`[history] ${message}\n`);
};

/** Opens `name` in a temporary place; `close` stops and deletes everything it made. */
async function openStore(name: StoreName): Promise<{ store: DocStore; close(): Promise<void> }> {
  if (name === 'leveldb') {
    const directory = mkdtempSync(join(tmpdir(), 'weft-bench-history-'));
    const store = await LevelDocStore.open({ directory });
    return {
      store,
      async close() {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const pg = await startPostgres();
  try {
    const store = await PostgresDocStore.open({ url: await pg.createDatabase('bench_history') });
    return {
      store,
      async close() {
        await store.close();
        await pg.remove();
      },
    };
  } catch (error) {
    await pg.remove();
    throw error;
  }
}

export async function runHistory(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, { flags: ['quick'], valued: ['stores', 'every', 'out', 'traces'] });
  const quick = args.flags.has('quick');
  const every = Number(args.values.get('every') ?? 1000);
  if (!Number.isInteger(every) || every < 1) throw new Error('--every needs a positive integer');
  const stores = args.values.get('stores')?.split(',') ?? [...STORES];
  for (const s of stores) {
    if (!(STORES as readonly string[]).includes(s)) throw new Error(`Unknown store "${s}"`);
  }
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const tracesDir = resolve(args.values.get('traces') ?? defaultTracesDir());
  const file = join(outDir, quick ? 'history-quick' : 'history');
  mkdirSync(outDir, { recursive: true });

  progress('building the updates from the trace');
  const trace = traceDocument(tracesDir, 'automerge-paper', quick ? 10_000 : Infinity);
  const runs: CheckpointRun[] = [];
  for (const name of stores as StoreName[]) {
    progress(`${name}: replaying ${trace.updates.length} edits`);
    const opened = await openStore(name);
    try {
      runs.push(await runOnStore(name, opened.store, trace, every, progress));
    } finally {
      await opened.close();
    }
  }
  const results: HistoryResults = {
    benchmark: 'history',
    environment: environment(),
    trace: { name: 'automerge-paper', edits: trace.updates.length, finalChars: trace.text.length },
    every,
    notes: NOTES,
    runs,
  };
  writeFileSync(`${file}.json`, toJson(results));
  writeFileSync(`${file}.svg`, historyChart(results));
  console.log(historyReport(results));
  console.log(`\nWrote ${file}.json and ${file}.svg`);
}
