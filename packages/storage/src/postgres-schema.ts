/**
 * The PostgreSQL store's schema, as ordered migrations. `migrate` runs at every start: it
 * applies, in one transaction, each step newer than the version recorded in
 * `weft_schema_version`, so a database is created on first use and upgraded by a newer relay.
 * Relays starting together take turns (an advisory lock held by that transaction), so no step
 * runs twice. A database migrated by a newer relay than this one is refused, not guessed at.
 *
 * A migration is appended, never edited: databases in the field have run the old text.
 */
import type { PoolClient } from 'pg';
import { inLockedTransaction } from './postgres-transaction';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, their logs of updates, checkpoints and authors',
    sql: `
      -- One row per document: what the document list shows, and the next sequence number.
      -- Appenders lock this row (INSERT … ON CONFLICT DO UPDATE), so a document's sequence
      -- numbers are handed out one transaction at a time, in commit order, without gaps.
      CREATE TABLE weft_documents (
        name      text PRIMARY KEY,
        title     text,
        next_seq  bigint NOT NULL,  -- the sequence number the next appended update gets
        updates   integer NOT NULL, -- rows in weft_updates for this document
        bytes     bigint NOT NULL,  -- bytes of update data in those rows
        modified  bigint NOT NULL   -- milliseconds since the epoch of the last append
      );
      -- The log: one Yjs update per row. After a compaction the merged update sits at the
      -- sequence number of the last update it replaced, so numbers only ever grow.
      CREATE TABLE weft_updates (
        name  text NOT NULL REFERENCES weft_documents (name) ON DELETE CASCADE,
        seq   bigint NOT NULL,
        data  bytea NOT NULL,
        PRIMARY KEY (name, seq)
      );
      CREATE INDEX weft_documents_modified ON weft_documents (modified DESC);

      -- History (checkpoint.ts): full states taken at known moments. \`info\` is the
      -- checkpoint's description as JSON (reason, name, authors, chars, title…). A document
      -- may have history and no log, so checkpoints do not reference weft_documents.
      CREATE TABLE weft_checkpoints (
        name        text NOT NULL,
        id          bigint NOT NULL,
        created_at  bigint NOT NULL,   -- milliseconds since the epoch
        info        jsonb NOT NULL,
        state       bytea NOT NULL,    -- the whole document as one Yjs update
        PRIMARY KEY (name, id)
      );
      -- The last checkpoint id handed out per document, so that ids are never reused.
      CREATE TABLE weft_checkpoint_ids (
        name     text PRIMARY KEY,
        last_id  bigint NOT NULL
      );
      -- Which user each Yjs client id of a document belongs to: {"id", "name", "color"?}.
      CREATE TABLE weft_authors (
        name       text NOT NULL,
        client_id  bigint NOT NULL,
        author     jsonb NOT NULL,
        PRIMARY KEY (name, client_id)
      );
    `,
  },
  {
    version: 2,
    description: 'the trash: when a document was moved there',
    sql: `
      -- Milliseconds since the epoch it was moved to the trash; null when it is not there.
      ALTER TABLE weft_documents ADD COLUMN trashed_at bigint;
    `,
  },
  {
    version: 3,
    description: 'token revocations shared by every relay',
    sql: `
      -- One row per revocation, never updated: relays read the rows after the last id they
      -- saw. kind 'token': key is a jti, at when it was revoked; kind 'subject': key is a
      -- sub, at the time before which its tokens are revoked. Seconds since the epoch.
      CREATE TABLE weft_revocations (
        id    bigserial PRIMARY KEY,
        kind  text NOT NULL CHECK (kind IN ('token', 'subject')),
        key   text NOT NULL,
        at    bigint NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'tombstones of documents deleted for good',
    sql: `
      -- A document deleted for good, and when (milliseconds since the epoch): the relay
      -- refuses its name until the tombstone is forgotten, so an offline copy cannot
      -- recreate it silently. Independent of weft_documents (the document row is gone).
      CREATE TABLE weft_purged (
        name       text PRIMARY KEY,
        purged_at  bigint NOT NULL
      );
    `,
  },
];

/** The key of the advisory lock that serialises migrations ("weft" in ASCII). */
const MIGRATION_LOCK = 0x77656674;

/** Brings the database to the newest schema; resolves with the version it is at. */
export function migrate(
  client: PoolClient,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const newest = migrations.reduce((max, step) => Math.max(max, step.version), 0);
  return inLockedTransaction(client, [MIGRATION_LOCK], async () => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS weft_schema_version (
        version     integer PRIMARY KEY,
        description text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const result = await client.query<{ version: number }>(
      'SELECT coalesce(max(version), 0)::integer AS version FROM weft_schema_version',
    );
    const current = result.rows[0]?.version ?? 0;
    if (current > newest) {
      throw new Error(
        `the database's Weft schema is version ${current}, newer than this relay knows ` +
          `(${newest}): run the newer relay, or a database of its own`,
      );
    }
    for (const step of [...migrations].sort((a, b) => a.version - b.version)) {
      if (step.version <= current) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO weft_schema_version (version, description) VALUES ($1, $2)', [
        step.version,
        step.description,
      ]);
    }
    return newest;
  });
}
