import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// In development the app runs on Vite's server and talks to a relay started with `pnpm relay`.
const relay = process.env.WEFT_RELAY_ORIGIN ?? 'http://127.0.0.1:4455';

export default defineConfig({
  plugins: [
    react(),
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
