/**
 * Child-process entry for the Hocuspocus server under test: @hocuspocus/server 3.4 with the
 * Database extension storing each document's encoded state in LevelDB (classic-level, the
 * same LevelDB bindings Weft's store uses). Defaults everywhere else, as a user would run it.
 *
 * Env: HOST, PORT, DATA_DIR.
 */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { ClassicLevel } from 'classic-level';
import type { AddressInfo } from 'node:net';

const dataDir = process.env.DATA_DIR;
if (dataDir === undefined || dataDir === '') throw new Error('DATA_DIR is required');

const db = new ClassicLevel<string, Uint8Array>(dataDir, {
  keyEncoding: 'utf8',
  valueEncoding: 'view',
});
await db.open();

const server = new Server({
  address: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  quiet: true,
  extensions: [
    new Database({
      fetch: async ({ documentName }) => {
        // classic-level resolves a missing key to undefined; its typings do not say so.
        const state: Uint8Array | undefined = await db.get(documentName);
        return state ?? null;
      },
      store: async ({ documentName, state }) => {
        await db.put(documentName, state);
      },
    }),
  ],
});
await server.listen();
// The port from Node's own server: Hocuspocus types its `address` with ws's types, which
// need not resolve from here.
const { port } = server.httpServer.address() as AddressInfo;
process.stdout.write(`hocuspocus listening on port ${port}\n`);
