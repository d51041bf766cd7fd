/**
 * The WebSocket handshake checks ws makes in `handleUpgrade`, made before anything is
 * loaded: a request ws would refuse is refused with 400 and a reason, and never costs a
 * document load or a connection slot.
 */
import type { IncomingMessage } from 'node:http';

/** 16 random bytes in base64, as RFC 6455 requires (the same pattern ws checks). */
const KEY_SHAPE = /^[+/0-9A-Za-z]{22}==$/;
/** The versions ws speaks: 13 (RFC 6455) and 8 (the last draft). */
const SUPPORTED_VERSIONS = new Set(['13', '8']);

/** Why `request` is not a WebSocket handshake ws would accept, or null when it is. */
export function handshakeProblem(request: IncomingMessage): string | null {
  if (request.method !== 'GET') return 'a WebSocket handshake must be a GET request';
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') {
    return 'Upgrade header must be "websocket"';
  }
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || !KEY_SHAPE.test(key)) {
    return 'missing or malformed Sec-WebSocket-Key header';
  }
  const version = request.headers['sec-websocket-version'];
  if (version === undefined || !SUPPORTED_VERSIONS.has(version.trim())) {
    return 'Sec-WebSocket-Version must be 13';
  }
  return null;
}
