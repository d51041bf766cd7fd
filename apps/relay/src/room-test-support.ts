/**
 * Rooms without sockets, for unit tests: a room on a memory store, a member that records what
 * it is sent, and single-edit updates from a chosen client.
 */
import { decodeSavedAck, MessageType } from '@weft/protocol';
import { MemoryDocStore } from '@weft/storage';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { silentLogger } from './logger';
import { RelayMetrics } from './metrics';
import { Room, type RoomMember } from './room';
import type { SharedFrame } from './shared-frame';

export function testRoom(name: string): Room {
  return new Room(name, null, {
    store: new MemoryDocStore(),
    options: { compactUpdates: 1000, compactBytes: 1 << 22 },
    log: silentLogger(),
    metrics: new RelayMetrics({ processMetrics: false }),
  });
}

/** An update in which client `clientID` typed `text` into an empty document. */
export function editFrom(clientID: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

export class RecordingMember implements RoomMember {
  /** Every payload sent, in order. */
  readonly sent: Uint8Array[] = [];
  readonly awarenessClients = new Set<number>();

  /** The persister sequences this member was told are stored. */
  readonly storedSequences: number[] = [];

  constructor(readonly wantsSaved = false) {}

  send(frame: SharedFrame): void {
    this.sent.push(frame.payload);
  }

  storedThrough(sequence: number): void {
    this.storedSequences.push(sequence);
  }

  /** The document updates this member received, applied to a fresh document. */
  received(): Y.Doc {
    const doc = new Y.Doc();
    for (const payload of this.sent) {
      const decoder = decoding.createDecoder(payload);
      if (decoding.readVarUint(decoder) !== MessageType.sync) continue;
      decoding.readVarUint(decoder); // sync step: update
      Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
    }
    return doc;
  }

  updateFrames(): number {
    return this.sent.filter((payload) => payload[0] === MessageType.sync).length;
  }

  /** The state vectors of the saved acknowledgements received. */
  acks(): Map<number, number>[] {
    return this.sent
      .filter((payload) => payload[0] === MessageType.saved)
      .map((payload) => decodeSavedAck(payload));
  }
}
