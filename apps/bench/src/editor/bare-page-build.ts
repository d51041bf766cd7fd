/**
 * Builds the bare reference page (apps/bench/bare-page) with the web app's own Vite, and lays
 * out a web root the relay serves: Weft's built app at `/`, the bare page at `/bare/`. Both
 * pages then share one origin and one relay, so the relay's origin check admits both and
 * neither gets a different network path.
 *
 * The page's imports are resolved as apps/web (and, for y-websocket, packages/client) would
 * resolve them, so both pages run the very same copies of CodeMirror, Yjs and the binding:
 * what differs between them is only what Weft adds.
 */
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../lib/paths';

/** The part of Vite's API used here (Vite is apps/web's dependency, not the bench's). */
interface ViteResolver {
  resolve(
    source: string,
    importer: string,
    options: { skipSelf: boolean },
  ): Promise<{ id: string } | null>;
}
interface VitePlugin {
  name: string;
  enforce: 'pre';
  resolveId(this: ViteResolver, source: string, importer: string | undefined): unknown;
}
interface Vite {
  build(config: {
    configFile: false;
    root: string;
    base: string;
    logLevel: 'warn';
    plugins: VitePlugin[];
    build: { outDir: string; emptyOutDir: boolean; chunkSizeWarningLimit: number };
  }): Promise<unknown>;
}

const root = repoRoot();
const pageDir = join(root, 'apps', 'bench', 'bare-page');
const webDir = join(root, 'apps', 'web');
/** Importers to resolve the page's packages from: the web app, and its client package. */
const webImporter = join(webDir, 'src', 'main.tsx');
const clientImporter = join(root, 'packages', 'client', 'src', 'index.ts');

function resolveLikeWeft(): VitePlugin {
  return {
    name: 'resolve-like-weft',
    enforce: 'pre',
    resolveId(source, importer) {
      const bare = !source.startsWith('.') && !source.startsWith('/') && !source.includes('\0');
      if (!bare || importer === undefined || !importer.startsWith(pageDir)) return null;
      const from = source === 'y-websocket' ? clientImporter : webImporter;
      return this.resolve(source, from, { skipSelf: true });
    },
  };
}

/** Builds the bare page into `outDir` (served at `/bare/`). */
export async function buildBarePage(outDir: string): Promise<void> {
  const vitePath = createRequire(join(webDir, 'package.json')).resolve('vite');
  const vite = (await import(pathToFileURL(vitePath).href)) as Vite;
  await vite.build({
    configFile: false,
    root: pageDir,
    base: '/bare/',
    logLevel: 'warn',
    plugins: [resolveLikeWeft()],
    // One chunk, as the least a developer writes would ship; no warning about its size.
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
}

/**
 * A web root under `dir`: every entry of Weft's built app (linked, not copied) and the bare
 * page built into `bare/` (`/bare/index.html`: the relay serves files, and Weft's app for anything else). Returns the root.
 */
export async function webRootWithBarePage(webDist: string, dir: string): Promise<string> {
  const webRoot = join(dir, 'web-root');
  mkdirSync(webRoot, { recursive: true });
  for (const entry of readdirSync(webDist)) {
    if (entry !== 'bare') symlinkSync(join(webDist, entry), join(webRoot, entry));
  }
  await buildBarePage(join(webRoot, 'bare'));
  return webRoot;
}
