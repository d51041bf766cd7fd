/**
 * One end-of-turn pass for the whole relay. Work registered with `atEndOfTurn` (each room's
 * broadcast of the updates it received this turn) runs once the turn's I/O callbacks are done,
 * and then every socket held with `holdWrites` is uncorked, so all the frames a connection got
 * in one turn (updates from several writers, a saved acknowledgement) leave in one `writev`
 * system call instead of one each.
 *
 * Under light load a turn carries one frame and nothing changes but a few microseconds; under
 * heavy load turns grow and so do the batches. System calls were the relay's largest cost in
 * the CPU profile of the `medium` benchmark (over half the busy time in `writev`).
 */
/** A stream whose writes can be held back (a socket). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

const tasks: (() => void)[] = [];
const corked = new Set<Corkable>();
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(endTurn);
}

function endTurn(): void {
  scheduled = false;
  // Tasks send frames, which hold more sockets; those are uncorked in this same pass.
  for (let i = 0; i < tasks.length; i++) tasks[i]?.();
  tasks.length = 0;
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** Runs `task` once this turn's I/O callbacks have run, before held writes are released. */
export function atEndOfTurn(task: () => void): void {
  tasks.push(task);
  schedule();
}

/** Holds `socket`'s writes until the end of this turn. */
export function holdWrites(socket: Corkable): void {
  if (corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  schedule();
}
