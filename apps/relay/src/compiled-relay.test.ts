/**
 * The compiled relay (build.ts) runs on plain Node, with no TypeScript tooling: built into a
 * directory of its own (with only the relay's npm dependencies reachable), started with
 * `node main.js`, it serves documents, finds the web app copied beside it, and stops cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectYjsClient } from '@weft/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelay } from '../build';

const relayNodeModules = fileURLToPath(new URL('../node_modules', import.meta.url));

describe('the compiled relay', () => {
  let dir: string;
  let main: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-compiled-'));
    const webDist = join(dir, 'web-src');
    await mkdir(webDist);
    await writeFile(join(webDist, 'index.html'), '<title>compiled relay web app</title>');
    // Only the relay's own dependencies resolve from here: not the workspace's TypeScript.
    main = await buildRelay({ outdir: join(dir, 'relay'), webDist });
    await symlink(relayNodeModules, join(dir, 'relay', 'node_modules'), 'dir');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs with node alone, serves its own web app and a document, and stops with 0', async () => {
    const child = spawn(process.execPath, [main], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        DATA_DIR: join(dir, 'data'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Weft is running: open http:\/\/[^:]+:(\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      });
      void exited.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    try {
      const page = await fetch(`http://127.0.0.1:${port}/d/anything`);
      expect(await page.text()).toContain('compiled relay web app');

      const client = connectYjsClient(`ws://127.0.0.1:${port}`, 'compiled-doc');
      client.text.insert(0, 'hello');
      const reader = connectYjsClient(`ws://127.0.0.1:${port}`, 'compiled-doc');
      await expect.poll(() => reader.text.toString(), { timeout: 10_000 }).toBe('hello');
      client.destroy();
      reader.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
