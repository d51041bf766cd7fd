import react from '@vitejs/plugin-react';
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
        const scripts = [editor.fileName].map((file) => base + file);
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

export default defineConfig({
  plugins: [
    react(),
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
    // The lazily loaded editor chunk (CodeMirror with the Markdown, HTML, CSS and JavaScript
    // grammars that Markdown embeds, plus Yjs) is ~670 kB minified, ~230 kB gzipped; the
    // service worker caches it once.
    chunkSizeWarningLimit: 800,
  },
});
