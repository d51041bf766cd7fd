/**
 * Opens the document store the configuration names: PostgreSQL when a database URL is set
 * (`--database-url` / `WEFT_DATABASE_URL`, which cluster mode needs and one relay may use
 * too), else LevelDB in the data directory, the embedded default. A store that cannot be
 * opened is a StoreOpenError whose message says what to check, for the operator's terminal.
 */
import { describeDatabaseUrl, LevelDocStore, PostgresDocStore, type DocStore } from '@weft/storage';
import type { RelayConfig } from './config';

export interface OpenedStore {
  readonly store: DocStore;
  /** Where documents are kept, for logs: never a password. */
  readonly where: string;
}

export class StoreOpenError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StoreOpenError';
  }
}

export async function openStore(
  config: Pick<RelayConfig, 'databaseUrl' | 'dataDir' | 'fsync'>,
): Promise<OpenedStore> {
  if (config.databaseUrl !== null) {
    const where = describeDatabaseUrl(config.databaseUrl);
    try {
      return { store: await PostgresDocStore.open({ url: config.databaseUrl }), where };
    } catch (error) {
      // The store's message names the server and the reason (refused, authentication, …).
      throw new StoreOpenError(error instanceof Error ? error.message : String(error), error);
    }
  }
  try {
    const store = await LevelDocStore.open({ directory: config.dataDir, fsync: config.fsync });
    return { store, where: `LevelDB in ${config.dataDir}` };
  } catch (error) {
    throw new StoreOpenError(`cannot open ${config.dataDir} (is another relay using it?)`, error);
  }
}
