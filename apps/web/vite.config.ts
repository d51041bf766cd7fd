import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the app runs on Vite's server and talks to a relay started with `pnpm relay`.
const relay = process.env.WEFT_RELAY_ORIGIN ?? 'http://127.0.0.1:4455';

export default defineConfig({
  plugins: [react()],
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
  },
});
