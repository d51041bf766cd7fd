export { MessageType } from './message-type';
export {
  encodeSavedOptIn,
  encodeSavedAck,
  readSavedBody,
  decodeSavedAck,
} from './saved';
export { decodeStateVector, covers, uncoveredCount } from './state-vector';
export type { StateVector } from './state-vector';
