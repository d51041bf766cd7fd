/**
 * The README's "Embedding" example, run exactly as written: extracted from README.md into a
 * fresh application directory that has `@weft/relay` installed, run with Node (tsx only
 * because the workspace's `@weft/relay` is TypeScript source), and used by official
 * y-websocket clients through the application's own `node:http` server at `/collab`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectYjsClient, type YjsClient } from '@weft/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const relayDir = fileURLToPath(new URL('..', import.meta.url));
const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const tsxLoader = pathToFileURL(join(relayDir, 'node_modules/tsx/dist/loader.mjs')).href;

/** The first ```js block after the "## Embedding" heading. */
export async function embeddingExample(): Promise<string> {
  const text = await readFile(readme, 'utf8');
  const section = text.slice(text.indexOf('\n## Embedding\n'));
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no ```js block under "## Embedding"');
  return block;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A `ws` WebSocket that sends `cookie` with its upgrade, as a browser would. */
function withCookie(cookie: string): typeof globalThis.WebSocket {
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  }
  return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

describe('the README embedding example', () => {
  let dir: string;
  let app: ChildProcess;
  let port: number;
  let output = '';
  const clients: YjsClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-embed-'));
    await mkdir(join(dir, 'node_modules', '@weft'), { recursive: true });
    await symlink(relayDir, join(dir, 'node_modules', '@weft', 'relay'), 'dir');
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(dir, 'app.js'), await embeddingExample());
    port = await freePort();
    app = spawn(process.execPath, ['--conditions=weft-source', '--import', tsxLoader, 'app.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      app.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('listening on')) resolve();
      });
      app.once('exit', (code) => reject(new Error(`the example exited with ${code}:\n${output}`)));
    });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    app.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves the application its own routes', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('the application\n');
    expect(output).toContain(`listening on http://localhost:${port}/collab`);
  });

  it('refuses an upgrade without the session cookie (401), and with a wrong one', async () => {
    for (const headers of [{}, { cookie: 'session=forged' }]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/collab/notes`, { headers });
        socket.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
        });
        socket.on('open', () => reject(new Error('opened without a session')));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    }
  });

  it('lets two signed-in y-websocket clients edit one document, and runs the hooks', async () => {
    const options = { WebSocket: withCookie('theme=dark; session=ada-session'), savedAcks: false };
    const alice = connectYjsClient(`ws://127.0.0.1:${port}/collab`, 'notes', options);
    const bob = connectYjsClient(`ws://127.0.0.1:${port}/collab`, 'notes', options);
    clients.push(alice, bob);
    alice.text.insert(0, 'hello');
    await expect.poll(() => bob.text.toString(), { timeout: 15_000 }).toBe('hello');
    bob.text.insert(5, ' world');
    await expect.poll(() => alice.text.toString(), { timeout: 15_000 }).toBe('hello world');
    // onChange (debounced) and onStored, printed by the example's hooks.
    await expect
      .poll(() => output, { timeout: 15_000 })
      .toContain('changed: notes reads "hello world"');
    expect(output).toMatch(/stored: notes, \d+ bytes/);
  });
});
