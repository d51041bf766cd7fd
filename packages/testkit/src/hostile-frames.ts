/**
 * Generators of hostile y-websocket frames for fuzzing the relay: random bytes, broken and
 * overlong varints, huge declared lengths, zero-length and text frames, mutations of valid
 * sync and awareness messages, and deeply nested (valid) Yjs content.
 */
import * as encoding from 'lib0/encoding';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Random } from './random';

export type HostileFrame = Uint8Array | string;

function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Valid frames to mutate: updates of several shapes, a sync step 1, awareness states. */
function validCorpus(random: Random): Uint8Array[] {
  const corpus: Uint8Array[] = [];
  const doc = new Y.Doc();
  doc.on('update', (update: Uint8Array) => {
    corpus.push(syncFrame(syncProtocol.messageYjsUpdate, update));
  });
  const text = doc.getText('content');
  for (let i = 0; i < 20; i++) {
    text.insert(random.int(0, text.length), random.text(random.int(1, 8)));
    if (text.length > 4 && random.bool(0.3)) text.delete(random.int(0, text.length - 2), 2);
  }
  doc.getMap('meta').set('title', random.text(6));
  corpus.push(syncFrame(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(doc)));
  corpus.push(syncFrame(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(doc)));
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name: random.text(5), color: '#123456' }, cursor: null });
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]));
  corpus.push(encoding.toUint8Array(encoder));
  awareness.destroy();
  return corpus;
}

/** A valid update holding Y.Maps nested `depth` deep under the root map `junk`. */
function nestedMapFrame(depth: number): Uint8Array {
  const doc = new Y.Doc();
  let map = doc.getMap('junk');
  for (let i = 0; i < depth; i++) {
    const child = new Y.Map<unknown>();
    map.set('child', child);
    map = child;
  }
  return syncFrame(syncProtocol.messageYjsUpdate, Y.encodeStateAsUpdate(doc));
}

function mutate(random: Random, frame: Uint8Array): Uint8Array {
  const copy = frame.slice();
  switch (random.int(0, 3)) {
    case 0: {
      const flips = random.int(1, 4);
      for (let i = 0; i < flips; i++) {
        const at = random.int(0, copy.length - 1);
        copy[at] = (copy[at] ?? 0) ^ (1 << random.int(0, 7));
      }
      return copy;
    }
    case 1:
      return copy.subarray(0, random.int(0, copy.length - 1));
    case 2: {
      const at = random.int(0, copy.length);
      return Uint8Array.from([
        ...copy.subarray(0, at),
        ...random.bytes(random.int(1, 8)),
        ...copy.subarray(at),
      ]);
    }
    default: {
      const at = random.int(1, copy.length - 1);
      copy[at] = random.pick([0, 0x7f, 0x80, 0xff]);
      return copy;
    }
  }
}

export type HostileKind =
  | 'random-bytes'
  | 'zero-length'
  | 'truncated-varint'
  | 'overlong-varint'
  | 'huge-length'
  | 'mutated-valid'
  | 'nested-maps'
  | 'text';

export const HOSTILE_KINDS: readonly HostileKind[] = [
  'random-bytes',
  'zero-length',
  'truncated-varint',
  'overlong-varint',
  'huge-length',
  'mutated-valid',
  'nested-maps',
  'text',
];

/** Makes hostile frames of the given kinds from a seeded source. */
export function hostileFrames(random: Random): (kind?: HostileKind) => HostileFrame {
  const corpus = validCorpus(random);
  const nested = nestedMapFrame(500);
  return (kind = random.pick(HOSTILE_KINDS)) => {
    switch (kind) {
      case 'random-bytes':
        return random.bytes(random.int(1, 64));
      case 'zero-length':
        return new Uint8Array(0);
      case 'truncated-varint':
        return Uint8Array.from([
          random.pick([0, 1]),
          ...Array.from({ length: random.int(1, 6) }, () => 0x80),
        ]);
      case 'overlong-varint':
        return Uint8Array.from([...Array.from({ length: random.int(10, 16) }, () => 0xff), 0x01]);
      case 'huge-length':
        return Uint8Array.from([
          random.pick([0, 1]),
          2,
          0xff,
          0xff,
          0xff,
          0xff,
          0x07,
          ...random.bytes(4),
        ]);
      case 'mutated-valid':
        return mutate(random, random.pick(corpus));
      case 'nested-maps':
        return nested;
      case 'text':
        return random.text(random.int(1, 20));
    }
  };
}
