/**
 * One run of the history benchmark on one store: the trace's updates applied, as a client's
 * would be, to the live document of a room the relay's own `Rooms` loaded on that store (so
 * the persister writes and compacts the log exactly as it does for a user), with the room's
 * Checkpointer asked for a checkpoint after every `every` edits; then the time to list the
 * checkpoints, to read each one (load plus decode, what `GET …/versions/<id>` does), and to
 * restore a few through `restoreVersion`, the relay's restore path (a before-restore
 * checkpoint, then one forward change by `textChange`, then the restored checkpoint).
 */
import type { CheckpointInfo, DocStore } from '@weft/storage';
import * as Y from 'yjs';
import type { TraceDocument } from '../cold-load/trace-updates';
import { median } from '../lib/measure';
import {
  contentOfCheckpoint,
  loadConfig,
  RelayMetrics,
  relayOptionsFrom,
  restoreVersion,
  Rooms,
  silentLogger,
  type Room,
} from './relay-parts';

const DOC = 'automerge-paper';
const AUTHOR = { id: 'bench', name: 'Benchmark' };
/** Longer than any run, so the relay's own interval timer never adds a checkpoint of its own. */
const NO_INTERVAL_MS = 24 * 60 * 60 * 1000;
const LIST_REPEATS = 20;

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface RestoreTiming {
  /** Which checkpoint was restored (1 = the one after the first `every` edits). */
  readonly checkpoint: number;
  readonly restoredChars: number;
  /** Characters of the text before the restore. */
  readonly fromChars: number;
  /** The whole `restoreVersion` call: both checkpoints stored, the change applied. */
  readonly ms: number;
  /** Bytes of the one Yjs update the forward change produced. */
  readonly changeBytes: number;
}

export interface CheckpointRun {
  readonly store: string;
  readonly checkpoints: number;
  readonly bytes: Spread & { readonly total: number };
  /** Bytes of each checkpoint, oldest first. */
  readonly perCheckpointBytes: readonly number[];
  /** Writing the log of the edits since the previous checkpoint, before asking for one. */
  readonly logFlushMs: Spread;
  /** Asking the Checkpointer for one until it is stored and thinning ran (the log written). */
  readonly takeMs: Spread;
  /** `listCheckpoints` of all of them, median of LIST_REPEATS. */
  readonly listMs: number;
  /** Load and decode to text, each checkpoint once. */
  readonly readMs: Spread;
  readonly readLastMs: number;
  readonly restores: readonly RestoreTiming[];
}

export const spread = (values: readonly number[]): Spread => ({
  min: Math.min(...values),
  median: median(values),
  max: Math.max(...values),
});

/** Times `task`, in wall-clock milliseconds (storage is I/O, not CPU). */
async function timed<T>(task: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await task();
  return { value, ms: performance.now() - started };
}

export async function runOnStore(
  storeName: string,
  store: DocStore,
  trace: TraceDocument,
  every: number,
  progress: (message: string) => void,
): Promise<CheckpointRun> {
  const config = loadConfig(['--checkpoint-interval-ms', String(NO_INTERVAL_MS)], {});
  if (config === 'help') throw new Error('unreachable: no --help given');
  const rooms = new Rooms(
    store,
    relayOptionsFrom(config),
    silentLogger(),
    new RelayMetrics({ processMetrics: false }),
  );
  const room = await rooms.acquire(DOC);
  try {
    const taken = await replayWithCheckpoints(room, trace, every, progress);
    const list = await timeList(store);
    progress(`${storeName}: ${list.length} checkpoints listed`);
    const reads = await timeReads(store, list);
    const restores = await timeRestores(rooms, store, room, taken);
    return {
      store: storeName,
      checkpoints: taken.length,
      bytes: {
        ...spread(taken.map((t) => t.info.bytes)),
        total: sum(taken.map((t) => t.info.bytes)),
      },
      perCheckpointBytes: taken.map((t) => t.info.bytes),
      logFlushMs: spread(taken.map((t) => t.flushMs)),
      takeMs: spread(taken.map((t) => t.ms)),
      listMs: list.ms,
      readMs: spread(reads),
      readLastMs: reads.at(-1) ?? Number.NaN,
      restores,
    };
  } finally {
    rooms.release(room);
    await rooms.closeAll();
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

interface Taken {
  readonly info: CheckpointInfo;
  readonly ms: number;
  readonly flushMs: number;
}

async function replayWithCheckpoints(
  room: Room,
  trace: TraceDocument,
  every: number,
  progress: (message: string) => void,
): Promise<Taken[]> {
  const taken: Taken[] = [];
  for (let i = 0; i < trace.updates.length; i++) {
    // Any origin but the persister's own "already stored": queued and written like a client's.
    Y.applyUpdate(room.doc, trace.updates[i] ?? new Uint8Array(), 'bench-client');
    const edits = i + 1;
    if (edits % every !== 0 && edits !== trace.updates.length) continue;
    // The log's own write first: every edit pays it, checkpoint or not, so it is timed apart.
    const flush = await timed(() => room.persister.flush());
    const { value: info, ms } = await timed(() => room.checkpointer.checkpoint('interval'));
    taken.push({ info, ms, flushMs: flush.ms });
    if (taken.length % 50 === 0) progress(`${edits} edits, ${taken.length} checkpoints`);
  }
  if (room.doc.getText('content').toString() !== trace.text) {
    throw new Error('the room does not hold the replayed text');
  }
  return taken;
}

async function timeList(store: DocStore): Promise<CheckpointInfo[] & { ms: number }> {
  const times: number[] = [];
  let list: CheckpointInfo[] = [];
  for (let i = 0; i < LIST_REPEATS; i++) {
    const { value, ms } = await timed(() => store.listCheckpoints(DOC));
    list = value;
    times.push(ms);
  }
  return Object.assign(list, { ms: median(times) });
}

/** Each checkpoint read and decoded once, oldest first (so the last is the largest). */
async function timeReads(
  store: DocStore,
  newestFirst: readonly CheckpointInfo[],
): Promise<number[]> {
  const times: number[] = [];
  for (const info of [...newestFirst].reverse()) {
    const { ms } = await timed(async () => {
      const checkpoint = await store.loadCheckpoint(DOC, info.id);
      if (checkpoint === null) throw new Error(`checkpoint ${info.id} is listed but not stored`);
      return contentOfCheckpoint(checkpoint);
    });
    times.push(ms);
  }
  return times;
}

/**
 * Restores the middle checkpoint, then the first, then the last (back to the whole paper):
 * a large deletion, a small one and a large insertion, each checked to give the version's text.
 */
async function timeRestores(
  rooms: Rooms,
  store: DocStore,
  room: Room,
  taken: readonly Taken[],
): Promise<RestoreTiming[]> {
  const picks = [Math.floor((taken.length - 1) / 2), 0, taken.length - 1];
  const timings: RestoreTiming[] = [];
  for (const index of picks) {
    const target = taken[index];
    if (target === undefined) continue;
    const fromChars = room.doc.getText('content').length;
    const changes: Uint8Array[] = [];
    const capture = (update: Uint8Array): void => {
      changes.push(update);
    };
    room.doc.on('update', capture);
    const { value: result, ms } = await timed(() =>
      restoreVersion(rooms, store, DOC, target.info.id, AUTHOR),
    );
    room.doc.off('update', capture);
    if (!result.ok) throw new Error(`checkpoint ${target.info.id} could not be restored`);
    const version = await store.loadCheckpoint(DOC, target.info.id);
    const expected = version === null ? null : contentOfCheckpoint(version).text;
    if (room.doc.getText('content').toString() !== expected) {
      throw new Error(`restoring checkpoint ${target.info.id} did not give its text`);
    }
    if (changes.length !== 1) throw new Error(`a restore made ${changes.length} changes, not 1`);
    timings.push({
      checkpoint: index + 1,
      restoredChars: target.info.chars,
      fromChars,
      ms,
      changeBytes: changes[0]?.byteLength ?? 0,
    });
  }
  return timings;
}
