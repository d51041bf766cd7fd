#!/usr/bin/env -S npx tsx
/**
 * `pnpm relay` / `weft-relay`: starts the relay on LevelDB and stops it gracefully on
 * SIGTERM/SIGINT (flushing every pending write first).
 */
import { LevelDocStore } from '@weft/storage';
import { HELP, loadConfig } from './config';
import { createLogger } from './logger';
import { startRelay } from './relay';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`weft-relay: ${message}\n\n${HELP}`);
    return 2;
  }
  if (config === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const log = createLogger(config.logLevel);
  let store;
  try {
    store = await LevelDocStore.open({ directory: config.dataDir, fsync: config.fsync });
  } catch (error) {
    log.fatal({ err: error, dataDir: config.dataDir }, 'cannot open the data directory');
    process.stderr.write(
      `weft-relay: cannot open ${config.dataDir} (is another relay using it?)\n`,
    );
    return 1;
  }
  const relay = await startRelay(config, store, log);
  log.info(
    { url: relay.url, dataDir: config.dataDir, fsync: config.fsync, webDist: config.webDist },
    'relay listening',
  );
  process.stdout.write(`\nWeft is running: open ${relay.url}\n\n`);

  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `weft-relay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
