import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startRelayProcess, tempDir, type RelayProcess, type TempDir } from '@weft/testkit';
import { uniqueDocName } from '../fixtures/users';

/**
 * `@weft/client` as an application outside this repository gets it: packed with `pnpm pack`,
 * installed from the tarball with npm into a fresh project (with its peers yjs, y-protocols
 * and y-websocket), type-checked from a TypeScript consumer, imported from plain Node, and
 * bundled by Vite into a tiny page that two users edit through the relay. The page holds
 * exactly one copy of Yjs. The slow part (npm) runs once, here only.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const clientDir = join(repo, 'packages/client');
const fromRepo = createRequire(join(repo, 'package.json'));
const tsc = fromRepo.resolve('typescript/bin/tsc');
const vite = join(
  dirname(createRequire(join(repo, 'apps/web/package.json')).resolve('vite/package.json')),
  'bin/vite.js',
);

const CONSUMER_TS = `import { DocumentSession, generateIdentity, type SaveState } from '@weft/client';
import * as Y from 'yjs';

const session: DocumentSession = new DocumentSession({
  relayUrl: 'ws://localhost:4455',
  docName: 'typed',
  user: generateIdentity(),
  textName: 'body',
  localStorePrefix: 'my-app:',
});
const text: Y.Text = session.text;
const state: SaveState = session.saveStatus.getSnapshot().state;
// @ts-expect-error the shared text's name is a string
new DocumentSession({ relayUrl: '', docName: '', user: generateIdentity(), textName: 42 });
export { text, state };
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  files: ['consumer.ts'],
});

const INDEX_HTML = `<!doctype html>
<html>
  <body>
    <textarea aria-label="body" rows="8" cols="60"></textarea>
    <p>status: <output id="status">connecting</output></p>
    <p>one yjs: <output id="one-yjs"></output></p>
    <script type="module" src="./main.ts"></script>
  </body>
</html>
`;

const MAIN_TS = `import * as Y from 'yjs';
import { DocumentSession, generateIdentity } from '@weft/client';

const docName = new URLSearchParams(location.search).get('doc') ?? 'packed';
const session = new DocumentSession({
  relayUrl: \`\${location.protocol === 'https:' ? 'wss' : 'ws'}://\${location.host}\`,
  docName,
  user: generateIdentity(),
  persistLocally: true,
  textName: 'body',
  localStorePrefix: 'packed-demo:',
});
const editor = document.querySelector('textarea')!;
const status = document.querySelector('#status')!;
// The session's document is of the page's own Yjs: one copy, so instanceof holds.
document.querySelector('#one-yjs')!.textContent = String(
  session.doc instanceof Y.Doc && session.text instanceof Y.Text,
);
session.text.observe(() => {
  if (editor.value !== session.text.toString()) editor.value = session.text.toString();
});
editor.addEventListener('input', () => {
  const next = editor.value;
  const current = session.text.toString();
  let start = 0;
  while (start < next.length && start < current.length && next[start] === current[start]) start++;
  let end = 0;
  while (
    end < next.length - start &&
    end < current.length - start &&
    next[next.length - 1 - end] === current[current.length - 1 - end]
  )
    end++;
  session.doc.transact(() => {
    session.text.delete(start, current.length - start - end);
    session.text.insert(start, next.slice(start, next.length - end));
  });
});
session.saveStatus.subscribe(() => {
  status.textContent = session.saveStatus.getSnapshot().state;
});
`;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let work: TempDir | undefined;
let relay: RelayProcess | undefined;
let bundle = '';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

test.beforeAll(async () => {
  work = await tempDir('weft-packed-client-');
  const app = join(work.path, 'app');
  await mkdir(app);
  run('pnpm', ['pack', '--pack-destination', work.path], clientDir);
  const tarball = (await readdir(work.path)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('pnpm pack made no tarball');
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'packed-client-consumer',
      private: true,
      type: 'module',
      dependencies: {
        '@weft/client': `file:../${tarball}`,
        yjs: '^13.6.33',
        'y-protocols': '^1.0.7',
        'y-websocket': '^3.1.0',
      },
    }),
  );
  run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
    ],
    app,
  );
  await writeFile(join(app, 'consumer.ts'), CONSUMER_TS);
  await writeFile(join(app, 'tsconfig.json'), TSCONFIG);
  await writeFile(join(app, 'index.html'), INDEX_HTML);
  await writeFile(join(app, 'main.ts'), MAIN_TS);
  await writeFile(
    join(app, 'node-import.mjs'),
    "const client = await import('@weft/client');\n" +
      'console.log(typeof client.DocumentSession, typeof client.SaveStatusTracker);\n',
  );
  run(process.execPath, [vite, 'build', '--logLevel', 'warn'], app);
  const assets = join(app, 'dist', 'assets');
  for (const file of await readdir(assets)) {
    if (file.endsWith('.js')) bundle += await readFile(join(assets, file), 'utf8');
  }
  relay = await startRelayProcess({
    dataDir: join(work.path, 'data'),
    env: { WEB_DIST: join(app, 'dist') },
  });
});

test.afterAll(async () => {
  await relay?.stop('SIGKILL');
  await work?.remove();
});

test('the packed client type-checks in a TypeScript project and imports in plain Node', () => {
  const app = join(work?.path ?? '', 'app');
  const manifest = JSON.parse(
    run(
      'npm',
      ['pkg', 'get', 'peerDependencies', 'exports'],
      join(app, 'node_modules/@weft/client'),
    ),
  ) as { peerDependencies: Record<string, string>; exports: unknown };
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
    'y-protocols',
    'y-websocket',
    'yjs',
  ]);
  expect(manifest.exports).toEqual({
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  });
  run(process.execPath, [tsc, '-p', '.'], app);
  expect(run(process.execPath, ['node-import.mjs'], app).trim()).toBe('function function');
  // npm installed one yjs, beside the client, not inside it.
  expect(run('npm', ['ls', 'yjs', '--all', '--parseable'], app).trim().split('\n')).toHaveLength(1);
});

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('#one-yjs')).toHaveText('true');
  await expect(page.locator('#status')).toHaveText('saved');
}

test('two users edit through the relay on a Vite page built with the packed client', async ({
  browser,
}) => {
  // One copy of Yjs in the bundle: its duplicate-import guard's key is there once.
  expect(bundle.split('__ $YJS$ __').length - 1).toBe(1);
  const url = `${relay?.url ?? ''}/?doc=${uniqueDocName('packed')}`;
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const warnings: string[] = [];
  for (const page of [alice, bob]) {
    page.on('console', (message) => {
      if (message.text().includes('Yjs was already imported')) warnings.push(message.text());
    });
  }
  await openPage(alice, url);
  await openPage(bob, url);

  await alice.locator('textarea').pressSequentially('hello from alice');
  await expect(bob.locator('textarea')).toHaveValue('hello from alice');
  await bob.locator('textarea').press('End');
  await bob.locator('textarea').pressSequentially(', and bob');
  await expect(alice.locator('textarea')).toHaveValue('hello from alice, and bob');
  await expect(alice.locator('#status')).toHaveText('saved');
  await expect(bob.locator('#status')).toHaveText('saved');
  // The application's own IndexedDB prefix holds the local copy.
  const databases = await alice.evaluate(async () =>
    (await indexedDB.databases()).map((database) => database.name ?? ''),
  );
  expect(databases.some((name) => name.startsWith('packed-demo:'))).toBe(true);
  expect(warnings).toEqual([]);
  await alice.context().close();
  await bob.context().close();
});
