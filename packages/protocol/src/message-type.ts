/**
 * The first varUint of every y-websocket frame names its message type. 0–3 are the
 * y-websocket protocol's own; 100 is Weft's opt-in "saved" acknowledgement by state vector,
 * 101 the opt-in acknowledgement by message count (stored-count.ts), which also covers
 * deletions. Receivers ignore types they do not know, so plain y-websocket clients never see
 * a difference.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  saved: 100,
  storedCount: 101,
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];
