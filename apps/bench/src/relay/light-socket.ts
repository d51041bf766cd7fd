/**
 * A lightweight reader: a bare TCP socket that performs the WebSocket handshake itself and
 * parses only frame headers, so that hundreds of readers cost the load generator little. It
 * completes the document handshake (answers the server's SyncStep1, sends its own), opts in
 * to saved acknowledgements on Weft, answers pings, and counts what arrives: update frames
 * and the edits they carry (see update-edits.ts), and saved acknowledgements.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { openingFrames, parseFrame, socketPath, step2Frame, type Dialect } from './dialect';
import { countUpdateClock } from './update-edits';

/** `Y.encodeStateAsUpdate(new Y.Doc())`: the empty document. */
const EMPTY_UPDATE = Uint8Array.of(0, 0);
/** `Y.encodeStateVector(new Y.Doc())` */
const EMPTY_VECTOR = Uint8Array.of(0);

export interface LightSocket {
  /** Edits received in update frames (clock advance; one per edit in this benchmark). */
  readonly edits: number;
  readonly updateFrames: number;
  readonly savedFrames: number;
  close(): void;
}

/** A client frame: FIN + binary, masked with a zero key (allowed; servers unmask blindly). */
function clientFrame(payload: Uint8Array, opcode = 0x2): Buffer {
  const length = payload.byteLength;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, 0x80 | length, 0, 0, 0, 0])
      : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff, 0, 0, 0, 0]);
  if (length > 0xffff) throw new Error('frame too large for a light socket');
  return Buffer.concat([header, payload]);
}

export function connectLight(
  port: number,
  dialect: Dialect,
  room: string,
  timeoutMs = 30_000,
): Promise<LightSocket> {
  // Resolves once the server's SyncStep2 has arrived: the reader holds the document.
  return new Promise((resolveOpen, rejectOpen) => {
    const socket: Socket = connect({ port, host: '127.0.0.1', noDelay: true });
    let buffer: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let edits = 0;
    let updateFrames = 0;
    let savedFrames = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      rejectOpen(new Error(`light socket to ${room}: no handshake within ${timeoutMs} ms`));
    }, timeoutMs);

    const light: LightSocket = {
      get edits() {
        return edits;
      },
      get updateFrames() {
        return updateFrames;
      },
      get savedFrames() {
        return savedFrames;
      },
      close() {
        clearTimeout(timer);
        socket.destroy();
      },
    };

    const send = (payload: Uint8Array, opcode = 0x2): void => {
      if (!socket.destroyed) socket.write(clientFrame(payload, opcode));
    };

    const onMessage = (payload: Uint8Array): void => {
      const frame = parseFrame(dialect, payload);
      switch (frame.kind) {
        case 'update':
          updateFrames++;
          if (frame.body) edits += countUpdateClock(frame.body);
          return;
        case 'saved':
          savedFrames++;
          return;
        case 'step1':
          send(step2Frame(dialect, room, EMPTY_UPDATE));
          return;
        case 'step2':
          clearTimeout(timer);
          resolveOpen(light);
          return;
        case 'other':
          return;
      }
    };

    const parseFrames = (): void => {
      let pos = 0;
      while (buffer.length - pos >= 2) {
        const b0 = buffer[pos] ?? 0;
        const b1 = buffer[pos + 1] ?? 0;
        let length = b1 & 0x7f;
        let headerLength = 2;
        if (length === 126) {
          if (buffer.length - pos < 4) break;
          length = buffer.readUInt16BE(pos + 2);
          headerLength = 4;
        } else if (length === 127) {
          if (buffer.length - pos < 10) break;
          length = Number(buffer.readBigUInt64BE(pos + 2));
          headerLength = 10;
        }
        if (buffer.length - pos < headerLength + length) break;
        const payload = buffer.subarray(pos + headerLength, pos + headerLength + length);
        pos += headerLength + length;
        const opcode = b0 & 0x0f;
        if (opcode === 0x2) onMessage(payload);
        else if (opcode === 0x9)
          send(payload, 0xa); // ping -> pong
        else if (opcode === 0x8) socket.end();
      }
      buffer = pos === buffer.length ? Buffer.alloc(0) : buffer.subarray(pos);
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          rejectOpen(new Error(`light socket to ${room}: ${head.split('\r\n')[0] ?? head}`));
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        for (const payload of openingFrames(dialect, room, EMPTY_VECTOR)) send(payload);
      }
      parseFrames();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      rejectOpen(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      rejectOpen(new Error(`light socket to ${room}: closed before the document synced`));
    });
    socket.on('connect', () => {
      socket.write(
        `GET ${socketPath(dialect, room)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      );
    });
  });
}
