export { MessageType } from './message-type';
export { encodeSavedOptIn, encodeSavedAck, readSavedBody, decodeSavedAck } from './saved';
export { decodeStateVector, covers, uncoveredCount } from './state-vector';
export type { StateVector } from './state-vector';
export { DOC_NAME_MAX_LENGTH, docNameProblem, parseDocName } from './doc-name';
export type { DocName } from './doc-name';
export {
  encodeStoredCountOptIn,
  encodeStoredCountAck,
  readStoredCountBody,
  decodeStoredCountAck,
  isDocumentMessage,
} from './stored-count';
export { parseDocEvent } from './doc-event';
export type { DocEvent } from './doc-event';
export { applyContent, textChange, isNoChange } from './text-change';
export type { EditableText, TextChange, TitleMap } from './text-change';
