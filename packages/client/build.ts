/**
 * `pnpm --filter @weft/client build` (and `pnpm pack`, through `prepack`): the publishable
 * package in `dist/`: ES modules with `.js` extensions and `.d.ts` declarations, from tsc.
 *
 * `@weft/protocol` is this workspace's own and not published, so the few encoders the client
 * uses are bundled into `dist/internal/protocol.js` and the client's imports of it point
 * there. Yjs, y-protocols and y-websocket stay imports: they are peer dependencies, so the
 * application's single copy of Yjs is the one the client uses. The build fails when the
 * output still names `@weft/protocol`, or has a relative import without an extension (both
 * would break in an application that installs the package).
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = fileURLToPath(new URL('.', import.meta.url));
const dist = join(packageDir, 'dist');
const require = createRequire(import.meta.url);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function main(): Promise<void> {
  await rm(dist, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageDir,
      stdio: 'inherit',
    },
  );
  await build({
    entryPoints: [require.resolve('@weft/protocol')],
    outfile: join(dist, 'internal', 'protocol.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // lib0 is a dependency of the client (and of yjs): imported, never copied.
    external: ['lib0', 'lib0/*'],
    logLevel: 'warning',
  });

  const problems: string[] = [];
  for (const file of await filesUnder(dist)) {
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    const depth = relative(dist, file).split('/').length - 1;
    const toInternal = `${depth === 0 ? './' : '../'.repeat(depth)}internal/protocol.js`;
    let text = await readFile(file, 'utf8');
    if (file.endsWith('.js')) {
      text = text.replaceAll("from '@weft/protocol'", `from '${toInternal}'`);
      await writeFile(file, text);
    }
    if (/['"]@weft\/protocol['"]/.test(text)) problems.push(`${file} imports @weft/protocol`);
    for (const match of text.matchAll(/from '(\.\.?\/[^']*)'/g)) {
      const target = match[1] ?? '';
      if (!target.endsWith('.js')) problems.push(`${file} imports ${target} without .js`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  process.stdout.write(`client built: ${dist}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `client build failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
