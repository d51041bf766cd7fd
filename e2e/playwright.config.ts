import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * The e2e suite runs against a real relay serving the built web app, on a fresh data
 * directory, driving Debian's Chromium (Playwright cannot download its own browsers here).
 */
const port = Number(process.env.E2E_PORT ?? 4466);
const dataDir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Relays the tests start themselves (packages/testkit/src/relay-process.ts) are the compiled
// one too, like the web server below (`serve` runs apps/relay/dist/main.js): what operators run.
process.env.WEFT_RELAY_COMPILED ??= '1';

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'pnpm --filter @weft/relay run serve',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
  },
});
