/**
 * The relay's own history code, for `pnpm bench history`. The benchmark measures the path the
 * relay runs (its rooms, persister, checkpointer and restore), not a copy of it, so it imports
 * the relay's source directly: `@weft/relay` exports only its public API, and its compiled
 * build. The same goes for the test kit's PostgreSQL server.
 */
export { Rooms } from '../../../relay/src/rooms';
export type { Room } from '../../../relay/src/room';
export { RelayMetrics } from '../../../relay/src/metrics';
export { silentLogger } from '../../../relay/src/logger';
export { loadConfig } from '../../../relay/src/config';
export { relayOptionsFrom } from '../../../relay/src/relay-options';
export { contentOfCheckpoint, restoreVersion } from '../../../relay/src/history/restore';
export {
  startPostgres,
  type PostgresProcess,
} from '../../../../packages/testkit/src/postgres-process';
