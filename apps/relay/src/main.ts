#!/usr/bin/env node
/**
 * `pnpm relay` / `pnpm weft`: starts the relay on LevelDB (or PostgreSQL, given a database
 * URL: open-store.ts) and stops it gracefully on SIGTERM/SIGINT (flushing every pending write
 * first, within `--shutdown-timeout-ms`). It exits 0 when everything was stored, 1 when some
 * edits could not be (they stay with their clients, which resend them to the next relay).
 * `pnpm weft token …` prints an access token instead.
 */
import { ConfigError, HELP, loadConfig, securityProblem } from './config';
import { createLogger } from './logger';
import { joinCluster, RedisUnreachableError } from './cluster/join-cluster';
import { RelayMetrics } from './metrics';
import { openStore, StoreOpenError } from './open-store';
import { createRelay } from './relay';
import { relayOptionsFrom } from './relay-options';
import { Revocations } from './revocations';
import { tokenCommand } from './token-command';
import { tokensConfigured } from './token-keys';

async function main(argv: readonly string[]): Promise<number | 'running'> {
  if (argv[0] === 'token') {
    const { token, url, tokenId } = await tokenCommand(argv.slice(1), process.env);
    process.stdout.write(`token: ${token}\nshare: ${url}\njti:   ${tokenId}\n`);
    return 0;
  }
  const config = loadConfig(argv[0] === 'serve' ? argv.slice(1) : argv, process.env);
  if (config === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const problem = securityProblem(config);
  if (problem !== null) throw new ConfigError(problem);

  const log = createLogger(config.logLevel);
  if (!tokensConfigured(config)) {
    log.warn(
      { host: config.host },
      'local mode: no WEFT_AUTH_SECRET is set, so every connection may read and write every document',
    );
  }
  let opened;
  try {
    opened = await openStore(config);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    log.fatal({ err: error.cause }, error.message);
    process.stderr.write(`weft-relay: ${error.message}\n`);
    return 1;
  }
  const metrics = new RelayMetrics();
  let joined;
  try {
    joined = await joinCluster(config, opened.store, log, metrics);
  } catch (error) {
    if (!(error instanceof RedisUnreachableError)) throw error;
    log.fatal({ err: error.cause }, error.message);
    process.stderr.write(`weft-relay: ${error.message}\n`);
    await opened.store.close().catch(() => undefined);
    return 1;
  }
  const { store } = joined;
  // With a database, revocations live in it too, so every relay sharing it honours them.
  let revocations: Revocations | undefined;
  if (config.databaseUrl !== null && tokensConfigured(config)) {
    try {
      revocations = await Revocations.openPostgres(config.databaseUrl, log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.fatal({ err: error }, message);
      process.stderr.write(`weft-relay: ${message}\n`);
      await store.close().catch(() => undefined);
      return 1;
    }
  }
  const relay = await createRelay({
    ...relayOptionsFrom(config, revocations),
    ...joined.options,
    store,
    log,
    metrics,
  });
  log.info(
    {
      url: relay.url,
      storage: opened.where,
      cluster: joined.cluster?.relayId ?? false,
      fsync: config.fsync,
      secured: tokensConfigured(config),
      metrics:
        config.metricsToken !== null
          ? 'bearer token'
          : !tokensConfigured(config)
            ? 'open'
            : 'refused (set WEFT_METRICS_TOKEN)',
    },
    'relay listening',
  );
  process.stdout.write(`\nWeft is running: open ${relay.url}\n\n`);

  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    relay.close().then(
      (report) => {
        if (!report.complete) {
          log.error(
            { unsavedDocuments: report.unsavedDocuments, storeClosed: report.storeClosed },
            `stopped with ${report.unsavedDocuments} document(s) holding unsaved edits` +
              (report.storeClosed ? '' : ', and the store not closed'),
          );
        }
        process.exit(report.complete ? 0 : 1);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 'running';
}

main(process.argv.slice(2)).then(
  (result) => {
    if (result !== 'running') process.exitCode = result;
  },
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`weft: ${error.message}\n\nRun with --help for every option.\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `weft: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
