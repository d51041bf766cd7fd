/**
 * How much a Yjs update (v1 encoding) advances the document's clocks, read from the struct
 * headers alone: cheap enough for the load generator's lightweight readers to run on every
 * frame. The benchmark's writers insert exactly one character per edit, so this is the number
 * of edits a frame carries, whether the server forwards updates one by one or merges them.
 *
 * Content types the writers never produce (`Any`, `Doc`) fall back to `Y.parseUpdateMeta`.
 *
 * @example
 *   countUpdateClock(update) // 3 for an update holding three one-character inserts
 */
import * as Y from 'yjs';

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  uint(): number {
    let value = 0;
    let mult = 1;
    for (;;) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new RangeError('truncated update');
      value += (byte & 0x7f) * mult;
      if (byte < 0x80) return value;
      mult *= 128;
    }
  }

  /** Skips an id (client, clock). */
  id(): void {
    this.uint();
    this.uint();
  }

  /** Skips a varString; returns its length in UTF-16 code units (Yjs's string length). */
  string(): number {
    const length = this.uint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.bytes.length) throw new RangeError('truncated update');
    for (let i = start; i < this.pos; i++) {
      if ((this.bytes[i] ?? 0) >= 0x80) {
        return new TextDecoder().decode(this.bytes.subarray(start, this.pos)).length;
      }
    }
    return length;
  }
}

class Unsupported extends Error {}

function contentLength(r: Reader, info: number): number {
  switch (info & BITS5) {
    case 1: // Deleted
      return r.uint();
    case 2: {
      // JSON
      const n = r.uint();
      for (let i = 0; i < n; i++) r.string();
      return n;
    }
    case 3: // Binary
      r.pos += r.uint();
      return 1;
    case 4: // String
      return r.string();
    case 5: // Embed
      r.string();
      return 1;
    case 6: // Format
      r.string();
      r.string();
      return 1;
    case 7: {
      // Type
      const ref = r.uint();
      if (ref === 3 || ref === 5) r.string();
      return 1;
    }
    default:
      throw new Unsupported();
  }
}

function fastCount(update: Uint8Array): number {
  const r = new Reader(update);
  let total = 0;
  const clients = r.uint();
  for (let c = 0; c < clients; c++) {
    const structs = r.uint();
    r.uint(); // client
    r.uint(); // first clock
    for (let s = 0; s < structs; s++) {
      const info = update[r.pos++];
      if (info === undefined) throw new RangeError('truncated update');
      const ref = info & BITS5;
      if (ref === 0) {
        total += r.uint(); // GC
      } else if (ref === 10) {
        r.uint(); // Skip: a gap, not content
      } else {
        if ((info & BIT8) !== 0) r.id(); // origin
        if ((info & BIT7) !== 0) r.id(); // right origin
        if ((info & (BIT7 | BIT8)) === 0) {
          // Parent: a root type's name, or the id of the item holding the type.
          if (r.uint() === 1) r.string();
          else r.id();
          if ((info & BIT6) !== 0) r.string(); // parent sub (map key)
        }
        total += contentLength(r, info);
      }
    }
  }
  return total;
}

/** Total clock advance (characters inserted, for text) the update carries. */
export function countUpdateClock(update: Uint8Array): number {
  try {
    return fastCount(update);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    const meta = Y.parseUpdateMeta(update);
    let total = 0;
    for (const [client, to] of meta.to) total += to - (meta.from.get(client) ?? 0);
    return total;
  }
}
