/**
 * How the browser benchmarks launch Debian's Chromium (Playwright cannot download its own
 * here): the flags that keep a headless Chromium from doing background work of its own while
 * it is being measured.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
