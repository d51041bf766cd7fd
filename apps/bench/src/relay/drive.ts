/**
 * Open-loop editing at a fixed total rate: every writer edits at `rate / writers` per second
 * on its own schedule (a random phase), whether or not the server keeps up, so a slow server
 * shows as latency instead of quietly lowering the load.
 */
import type { Fleet } from './fleet';

export interface DriveResult {
  readonly edits: number;
  readonly ms: number;
}

export function drive(
  fleet: Fleet,
  editsPerSecond: number,
  durationMs: number,
  random: () => number,
): Promise<DriveResult> {
  const writers = fleet.rooms.flatMap((room) =>
    room.writers.map((peer, i) => ({ peer, room, i, phase: random(), done: 0 })),
  );
  const perWriterPerMs = editsPerSecond / writers.length / 1000;
  const start = performance.now();
  let edits = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      const elapsed = Math.min(now - start, durationMs);
      for (const w of writers) {
        const due = Math.floor(elapsed * perWriterPerMs + w.phase);
        while (w.done < due) {
          w.room.cursors[w.i] = w.peer.edit(random, w.room.cursors[w.i] ?? 0);
          w.done++;
          edits++;
        }
      }
      if (now - start >= durationMs) {
        clearInterval(timer);
        resolve({ edits, ms: now - start });
      }
    };
    const timer = setInterval(tick, 2);
  });
}
