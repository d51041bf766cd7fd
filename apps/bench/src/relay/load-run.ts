/**
 * One measured load step on a connected fleet, and one whole preset run on one server:
 * start it, connect every client, warm up, measure a window, drain, check convergence, and
 * (optionally) restart the server to check that what it stored matches the replicas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { quantile } from '../lib/measure';
import { drive } from './drive';
import { connectFleet, pool, type Fleet, type Topology } from './fleet';
import { machineBusySeconds } from './proc-stats';
import { settleMachine, type QuietCheck } from './quiet';
import { seededRandom } from './random';
import {
  serverOptions,
  startServer,
  type LaunchSettings,
  type ServerName,
  type ServerProcess,
} from './servers';
import { EditLog, YjsPeer } from './yjs-peer';

export interface Percentiles {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
  /** Measured (edit, replica) pairs. */
  readonly samples: number;
  /** Window edits a real replica still lacked after the drain: counted as infinitely late. */
  readonly missing: number;
}

export interface StepResult {
  readonly offeredEditsPerSecond: number;
  readonly achievedEditsPerSecond: number;
  readonly windowSeconds: number;
  /** Edits received by all clients per second during the window (fan-out throughput). */
  readonly deliveredPerSecond: number;
  /** Writer's edit -> a real replica's document changed, edits sent in the window (ms). */
  readonly fanoutMs: Percentiles;
  /** Writer's edit -> a saved acknowledgement covering it (Weft only), ms. */
  readonly savedAckMs: Percentiles | null;
  readonly serverCpuSeconds: number;
  /** Server CPU seconds per wall-clock second in the window (1 = one core busy). */
  readonly serverCores: number;
  readonly serverRssBytes: number;
  /** Weft only, from its /metrics over the window: frames sent and write batches per second. */
  readonly weftMetrics: {
    framesSentPerSecond: number;
    batchesPerSecond: number;
    updatesPerBatch: number;
    /** Share of the window spent in garbage collection. */
    gcShare: number;
    /** The relay's own event-loop delay over the window, p99 and max. */
    loopDelayP99Ms: number;
    loopDelayMaxMs: number;
  } | null;
  /** Write system calls (write, writev, sendmsg…) the server made per second in the window. */
  readonly serverWriteSyscallsPerSecond: number;
  readonly generatorCores: number;
  readonly generatorLoopDelayP99Ms: number;
  /** Cores busy with anything but the server and the generator during the window. */
  readonly otherCores: number;
  /** Deliveries still missing when the drain ended (all edits so far, all clients). */
  readonly undelivered: number;
  /** How long the drain took until nothing was missing (or the drain limit). */
  readonly drainMs: number;
}

export interface StepSettings {
  readonly editsPerSecond: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly drainMs: number;
}

function percentiles(samples: readonly number[], missing: number): Percentiles {
  const all = missing > 0 ? [...samples, ...Array<number>(missing).fill(Infinity)] : samples;
  const q = (p: number): number | null => {
    const v = quantile(all, p);
    return Number.isFinite(v) ? v : null;
  };
  return {
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: all.length === 0 ? null : q(1),
    samples: samples.length,
    missing,
  };
}

/** Window edits that some real replica has not received yet. */
function missingWindowEdits(fleet: Fleet): number {
  const log = fleet.log;
  let missing = 0;
  for (const room of fleet.rooms) {
    for (const peer of [...room.writers, ...room.readers]) {
      const state = peer.stateVector();
      for (const writer of room.writers) {
        if (writer === peer) continue;
        const sent = log.sentAt.get(writer.clientId) ?? [];
        for (let k = state.get(writer.clientId) ?? 0; k < sent.length; k++) {
          if (log.inWindow(sent[k] ?? -1)) missing++;
        }
      }
    }
  }
  return missing;
}

function missingWindowAcks(fleet: Fleet): number {
  const log = fleet.log;
  let missing = 0;
  for (const room of fleet.rooms) {
    for (const writer of room.writers) {
      const sent = log.sentAt.get(writer.clientId) ?? [];
      for (let k = writer.ackedClock; k < sent.length; k++) {
        if (log.inWindow(sent[k] ?? -1)) missing++;
      }
    }
  }
  return missing;
}

interface WeftCounters {
  readonly sent: number;
  readonly batches: number;
  readonly batched: number;
  /** Seconds spent in garbage collection, all kinds. */
  readonly gcSeconds: number;
  /** Event-loop delay since the previous scrape (prom-client resets it on each collect). */
  readonly loopDelayP99Seconds: number;
  readonly loopDelayMaxSeconds: number;
}

/** A few counters from Weft's Prometheus endpoint. */
async function weftCounters(server: ServerProcess): Promise<WeftCounters> {
  const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
  const value = (name: string): number =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const gcSeconds = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm)]
    .map((match) => Number(match[1]))
    .reduce((a, b) => a + b, 0);
  return {
    sent: value('weft_messages_sent_total'),
    batches: value('weft_persist_batch_updates_count'),
    batched: value('weft_persist_batch_updates_sum'),
    gcSeconds,
    loopDelayP99Seconds: value('nodejs_eventloop_lag_p99_seconds'),
    loopDelayMaxSeconds: value('nodejs_eventloop_lag_max_seconds'),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every client has every edit or `limitMs` passes; returns the time taken. */
export async function drain(fleet: Fleet, limitMs: number, acks: boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const acked = !acks || fleet.rooms.every((r) => r.writers.every((w) => w.isSaved()));
    if (fleet.deliveries() >= fleet.expectedDeliveries() && acked) break;
    await sleep(20);
  }
  return performance.now() - started;
}

export async function measureStep(
  server: ServerProcess,
  fleet: Fleet,
  settings: StepSettings,
  random: () => number,
): Promise<StepResult> {
  const log = fleet.log;
  const acks = server.dialect === 'weft';
  if (settings.warmupMs > 0) await drive(fleet, settings.editsPerSecond, settings.warmupMs, random);

  log.fanoutMs.length = 0;
  log.savedMs.length = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const metrics0 = acks ? await weftCounters(server) : null;
  await fleet.refreshLightCounts();
  const delivered0 = fleet.deliveries();
  const cpu0 = server.cpuSeconds();
  const sys0 = server.syscalls();
  const own0 = fleet.generatorCpuSeconds();
  const machine0 = machineBusySeconds();
  log.windowStart = performance.now();
  log.windowEnd = Infinity;
  loop.enable();
  const driven = await drive(fleet, settings.editsPerSecond, settings.windowMs, random);
  log.windowEnd = performance.now();
  loop.disable();
  const seconds = (log.windowEnd - log.windowStart) / 1000;
  const cpu1 = server.cpuSeconds();
  const sys1 = server.syscalls();
  const own1 = fleet.generatorCpuSeconds();
  const machine1 = machineBusySeconds();
  await fleet.refreshLightCounts();
  const delivered1 = fleet.deliveries();
  const rss = server.memory().rss;
  const metrics1 = acks ? await weftCounters(server) : null;

  const drainMs = await drain(fleet, settings.drainMs, acks);
  return {
    offeredEditsPerSecond: settings.editsPerSecond,
    achievedEditsPerSecond: driven.edits / seconds,
    windowSeconds: seconds,
    deliveredPerSecond: (delivered1 - delivered0) / seconds,
    fanoutMs: percentiles(log.fanoutMs, missingWindowEdits(fleet)),
    savedAckMs: acks ? percentiles(log.savedMs, missingWindowAcks(fleet)) : null,
    serverCpuSeconds: cpu1 - cpu0,
    serverCores: (cpu1 - cpu0) / seconds,
    serverRssBytes: rss,
    weftMetrics:
      metrics0 && metrics1
        ? {
            framesSentPerSecond: (metrics1.sent - metrics0.sent) / seconds,
            batchesPerSecond: (metrics1.batches - metrics0.batches) / seconds,
            updatesPerBatch:
              (metrics1.batched - metrics0.batched) /
              Math.max(1, metrics1.batches - metrics0.batches),
            gcShare: (metrics1.gcSeconds - metrics0.gcSeconds) / seconds,
            loopDelayP99Ms: metrics1.loopDelayP99Seconds * 1000,
            loopDelayMaxMs: metrics1.loopDelayMaxSeconds * 1000,
          }
        : null,
    serverWriteSyscallsPerSecond: (sys1.writes - sys0.writes) / seconds,
    generatorCores: (own1 - own0) / seconds,
    generatorLoopDelayP99Ms: loop.percentile(99) / 1e6,
    otherCores: Math.max(0, (machine1 - machine0 - (cpu1 - cpu0) - (own1 - own0)) / seconds),
    undelivered: Math.max(0, fleet.expectedDeliveries() - fleet.deliveries()),
    drainMs,
  };
}

export interface Convergence {
  /** Every real replica of every room holds the same state and text. */
  readonly replicas: boolean;
  /** Every lightweight reader counted every edit of its room. */
  readonly lightReaders: boolean;
  /** A fresh client per room, connected after the load, syncs to the same text. */
  readonly freshClients: boolean;
  /** After a restart of the server on the same data directory, fresh clients see the same text; null when not checked. */
  readonly afterRestart: boolean | null;
}

function sameVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

/**
 * The text a fresh client sees in each room, waiting up to `patienceMs` for it to equal
 * `expected`: y-websocket's server answers a client before its LevelDB load has finished and
 * sends the stored content as a later update, so a first sync can be incomplete there.
 * Null for a room whose client could not sync within 30 s.
 */
async function freshTexts(
  server: ServerProcess,
  rooms: readonly string[],
  expected: readonly string[],
  patienceMs = 15_000,
): Promise<(string | null)[]> {
  return pool(rooms, 16, async (room, index) => {
    let peer: YjsPeer;
    try {
      peer = await YjsPeer.connect({
        dialect: server.dialect,
        wsUrl: server.wsUrl,
        room,
        log: new EditLog(),
        watched: () => [],
      });
    } catch {
      return null;
    }
    const started = performance.now();
    while (peer.text.toString() !== expected[index] && performance.now() - started < patienceMs) {
      await sleep(20);
    }
    const text = peer.text.toString();
    peer.close();
    return text;
  });
}

export async function checkReplicas(
  server: ServerProcess,
  fleet: Fleet,
): Promise<Omit<Convergence, 'afterRestart'>> {
  let replicas = true;
  let lightReaders = true;
  await fleet.refreshLightCounts();
  for (const room of fleet.rooms) {
    const peers = [...room.writers, ...room.readers];
    const first = peers[0];
    if (!first) continue;
    const vector = first.stateVector();
    const text = first.text.toString();
    for (const peer of peers) {
      if (!sameVector(peer.stateVector(), vector) || peer.text.toString() !== text)
        replicas = false;
    }
    let roomEdits = 0;
    for (const writer of room.writers)
      roomEdits += fleet.log.sentAt.get(writer.clientId)?.length ?? 0;
    if (room.lightEdits.some((edits) => edits !== roomEdits)) lightReaders = false;
  }
  const expected = fleet.rooms.map((room) => room.writers[0]?.text.toString() ?? '');
  const texts = await freshTexts(
    server,
    fleet.rooms.map((r) => r.name),
    expected,
  );
  const freshClients = texts.every((text, i) => text === expected[i]);
  return { replicas, lightReaders, freshClients };
}

export interface RunSettings extends Topology, StepSettings, LaunchSettings {
  readonly seed: number;
  readonly checkRestart: boolean;
  /** Wait up to this long for a quiet machine before starting each server. */
  readonly quietWaitMs: number;
}

export interface ServerRun {
  readonly server: ServerName;
  readonly date: string;
  /** 1-minute load average of the machine when the run started (other work skews numbers). */
  readonly loadAverage: number;
  /** Other processes' CPU use just before the run (see quiet.ts). */
  readonly quietCheck: QuietCheck;
  readonly connections: number;
  readonly connectMs: number;
  readonly rssBaselineBytes: number;
  readonly rssConnectedBytes: number;
  readonly rssPeakBytes: number;
  /** (RSS with every client connected, before load - RSS before any client) / connections. */
  readonly rssPerConnectionBytes: number;
  readonly step: StepResult;
  readonly convergence: Convergence;
}

export async function runOnServer(
  name: ServerName,
  settings: RunSettings,
  progress: (message: string) => void,
): Promise<ServerRun> {
  const { quietCheck, loadAverage } = await settleMachine(settings.quietWaitMs, progress);
  const dataDir = mkdtempSync(join(tmpdir(), `weft-bench-${name}-`));
  const options = serverOptions(dataDir, settings);
  let server = await startServer(name, options);
  try {
    await sleep(1000);
    const baseline = server.memory().rss;
    progress(`${name}: connecting ${settings.rooms * settings.clientsPerRoom} clients`);
    const fleet = await connectFleet(server, settings);
    await sleep(1000);
    const connected = server.memory().rss;
    progress(
      `${name}: ${settings.editsPerSecond} edits/s for ${(settings.warmupMs + settings.windowMs) / 1000} s`,
    );
    const step = await measureStep(server, fleet, settings, seededRandom(settings.seed));
    progress(
      `${name}: delivered ${Math.round(step.deliveredPerSecond)}/s, p50 ${String(step.fanoutMs.p50?.toFixed(1))} ms, ` +
        `p99 ${String(step.fanoutMs.p99?.toFixed(1))} ms, server ${step.serverCores.toFixed(2)} cores, ` +
        `${Math.round(step.serverWriteSyscallsPerSecond)} writes/s${step.weftMetrics ? `, ${Math.round(step.weftMetrics.framesSentPerSecond)} frames/s, ${Math.round(step.weftMetrics.batchesPerSecond)} batches/s, gc ${(step.weftMetrics.gcShare * 100).toFixed(1)} %, relay loop delay p99/max ${step.weftMetrics.loopDelayP99Ms.toFixed(1)}/${step.weftMetrics.loopDelayMaxMs.toFixed(1)} ms` : ''}, generator ${step.generatorCores.toFixed(2)} cores, other ${step.otherCores.toFixed(2)} cores, undelivered ${step.undelivered}`,
    );
    const replicas = await checkReplicas(server, fleet);
    const peak = server.memory().peakRss;
    let afterRestart: boolean | null = null;
    if (settings.checkRestart) {
      const texts = fleet.rooms.map((room) => room.writers[0]?.text.toString() ?? '');
      fleet.close();
      await sleep(2000);
      await server.stop();
      server = await startServer(name, options);
      const reloaded = await freshTexts(
        server,
        fleet.rooms.map((r) => r.name),
        texts,
      );
      afterRestart = reloaded.every((text, i) => text === texts[i]);
    } else {
      fleet.close();
    }
    return {
      server: name,
      date: new Date().toISOString(),
      loadAverage,
      quietCheck,
      connections: fleet.connections,
      connectMs: fleet.connectMs,
      rssBaselineBytes: baseline,
      rssConnectedBytes: connected,
      rssPeakBytes: peak,
      rssPerConnectionBytes: (connected - baseline) / fleet.connections,
      step,
      convergence: { ...replicas, afterRestart },
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
