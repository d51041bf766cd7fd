import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// In development the app runs on Vite's server and talks to a relay started with `pnpm relay`.
const relay = process.env.WEFT_RELAY_ORIGIN ?? 'http://127.0.0.1:4455';

/**
 * A document's address (`/d/…`) needs the editor chunk, which the app shell only asks for
 * once React has rendered: this puts a few lines in index.html that, on such an address,
 * preload the chunk (and its stylesheet) while the HTML is parsed, so that the browser
 * fetches and compiles it alongside the app shell instead of after it. Other addresses do
 * not load it.
 */
function preloadEditorOnDocumentPages(): Plugin {
  let base = '/';
  return {
    name: 'weft:preload-editor-on-document-pages',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunks = Object.values(context.bundle ?? {});
        const editor = chunks.find(
          (chunk) =>
            chunk.type === 'chunk' &&
            chunk.isDynamicEntry &&
            chunk.facadeModuleId?.endsWith('/src/pages/EditorPage.tsx') === true,
        );
        if (editor?.type !== 'chunk') throw new Error('no EditorPage chunk to preload');
        // The chunk and every chunk it imports statically (code it shares with other lazy
        // chunks), which the browser would otherwise find only once it has the chunk.
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = context.bundle?.[fileName];
          // The entry is index.html's own script.
          if (files.has(fileName) || (chunk?.type === 'chunk' && chunk.isEntry)) return;
          files.add(fileName);
          if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
        };
        visit(editor.fileName);
        const scripts = [...files].map((file) => base + file);
        const styles = [...(editor.viteMetadata?.importedCss ?? [])].map((file) => base + file);
        const links = [
          // crossorigin as on Vite's own links, so that the later requests reuse these.
          ...scripts.map((href) => ({ rel: 'modulepreload', crossorigin: '', href })),
          ...styles.map((href) => ({ rel: 'preload', as: 'style', crossorigin: '', href })),
        ];
        return [
          {
            tag: 'script',
            injectTo: 'head',
            children: `if (/^\\/d\\/[^/]+\\/?$/.test(location.pathname)) ${JSON.stringify(links)}.forEach(function (a) { var l = document.createElement('link'); for (var k in a) l.setAttribute(k, a[k]); document.head.appendChild(l); });`,
          },
        ];
      },
    },
  };
}

/**
 * lang-markdown imports lang-html at its top level (for HTML inside Markdown), and with it
 * the HTML, CSS and JavaScript grammars: this gives that one import a plain-text stand-in, so
 * that they are not in the code the editor runs before it accepts input. The editor loads
 * the real lang-html itself once it is idle (src/editor/html-in-markdown.ts).
 */
function htmlInMarkdownLater(): Plugin {
  const standIn = fileURLToPath(new URL('./src/editor/html-until-loaded.ts', import.meta.url));
  return {
    name: 'weft:html-in-markdown-later',
    enforce: 'pre',
    resolveId(source, importer) {
      const fromMarkdownMode = importer?.includes('/@codemirror/lang-markdown/') === true;
      return source === '@codemirror/lang-html' && fromMarkdownMode ? standIn : null;
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    htmlInMarkdownLater(),
    preloadEditorOnDocumentPages(),
    VitePWA({
      // The app asks before switching to a new version (see src/service-worker.ts).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Weft',
        short_name: 'Weft',
        description: 'Write together, online or off.',
        theme_color: '#6e56cf',
        background_color: '#fbfaf7',
        display: 'standalone',
        start_url: '/',
        icons: [{ src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The app shell: every built file except source maps.
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        // Any document address opens the cached app, with or without a network; the API and
        // the relay's probes always go to the network.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/healthz$/, /^\/readyz$/],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: {
    // Exactly one Yjs: two copies break `instanceof` checks inside Yjs at run time.
    dedupe: ['yjs', 'y-protocols', 'lib0', '@codemirror/state', '@codemirror/view'],
  },
  server: {
    proxy: {
      '/api': relay,
    },
  },
  build: {
    sourcemap: true,
    // The lazily loaded editor chunk (CodeMirror with the Markdown grammar, plus Yjs) is
    // ~540 kB minified; the service worker caches it once.
    chunkSizeWarningLimit: 800,
  },
});
