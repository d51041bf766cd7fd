export { StoreClosedError, assertStorableName } from './doc-store';
export type {
  DocStore,
  DocInfo,
  AppendOptions,
  Author,
  Checkpoint,
  CheckpointInfo,
  CheckpointCovered,
  CheckpointReason,
  NewCheckpoint,
} from './doc-store';
export { LevelDocStore } from './leveldb-store';
export type { LevelDocStoreOptions } from './leveldb-store';
export { MemoryDocStore } from './memory-store';
export { PostgresDocStore } from './postgres-store';
export { describeDatabaseUrl } from './postgres-pool';
export type { PostgresDocInfo, PostgresDocStoreOptions, SequencedUpdate } from './postgres-store';
export { PostgresRevocationLog } from './postgres-revocations';
export type { RevocationKind, RevocationRow } from './postgres-revocations';
