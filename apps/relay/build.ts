/**
 * `pnpm --filter @weft/relay build`: compiles the relay to plain JavaScript in `dist/`, so that
 * `node dist/main.js` runs it with no TypeScript tooling at run time.
 *
 * - `dist/main.js` is the CLI (the `weft` bin), `dist/index.js` the library (`createRelay`);
 *   the code they share is split into chunks beside them.
 * - Workspace packages (`@weft/protocol`, `@weft/storage`) export TypeScript source, so they are
 *   bundled in. npm packages stay external and are installed as the relay's dependencies;
 *   the build fails when the bundle imports one the relay's package.json does not declare
 *   (it would run here, through the workspace, and break wherever the relay is installed).
 * - The built web app (`apps/web/dist`, which `pnpm build` makes first) is copied to
 *   `dist/web`, where the relay looks for it by default: relative to its own package.
 */
import { builtinModules } from 'node:module';
import { cp, readFile, rm, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const packageDir = fileURLToPath(new URL('.', import.meta.url));
const defaultWebDist = fileURLToPath(new URL('../web/dist', import.meta.url));

/** `pg` from `pg/lib/x`, `@scope/name` from `@scope/name/sub`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const builtins = new Set(builtinModules);

/** Bundles the workspace's own packages; leaves every npm package to `node_modules`. */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(context) {
    context.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@weft/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export interface RelayBuildOptions {
  /** Default: `dist/` in this package. */
  readonly outdir?: string;
  /** The built web app to copy into `<outdir>/web`; null copies none. */
  readonly webDist?: string | null;
}

/** Builds the relay into `outdir`; returns the path of its `main.js`. */
export async function buildRelay(options: RelayBuildOptions = {}): Promise<string> {
  const outdir = options.outdir ?? `${packageDir}dist`;
  const webDist = options.webDist === undefined ? defaultWebDist : options.webDist;
  const manifest = JSON.parse(await readFile(`${packageDir}package.json`, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));

  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: `${packageDir}src/main.ts`, index: `${packageDir}src/index.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });

  const undeclared = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external) continue;
      const name = packageName(imported.path.replace(/^node:/, ''));
      if (builtins.has(name) || imported.path.startsWith('node:')) continue;
      if (!declared.has(name)) undeclared.add(name);
    }
  }
  if (undeclared.size > 0) {
    throw new Error(
      `the compiled relay imports ${[...undeclared].join(', ')}, which apps/relay/package.json ` +
        'does not list in "dependencies": add them there',
    );
  }

  if (webDist !== null && (await isDirectory(webDist))) {
    await cp(webDist, `${outdir}/web`, { recursive: true });
  } else if (webDist !== null) {
    process.stderr.write(
      'note: apps/web/dist is not built, so the relay has no web app; `pnpm build` builds both\n',
    );
  }
  return `${outdir}/main.js`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildRelay().then(
    (main) => process.stdout.write(`relay built: ${main}\n`),
    (error: unknown) => {
      process.stderr.write(
        `relay build failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
