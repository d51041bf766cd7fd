/**
 * Opening a document: time from navigation until the editor holds the whole text and accepts
 * input (`openProbe`), for Weft's page cold (a fresh browser context: empty HTTP cache, no
 * service worker, no IndexedDB) and warm (a context that opened the document before: the
 * service worker controls the page and the offline copy is in IndexedDB), and for the bare
 * page cold. Also the JavaScript each page fetched before that moment, gzipped per file.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { identityScript } from '../browser/page-probes';
import { median } from '../lib/measure';
import { openProbe, pagePath, waitForText, type PageKind } from './editor-pages';

export type OpenMode = 'weft cold' | 'weft warm' | 'bare cold';
export const OPEN_MODES: readonly OpenMode[] = ['weft cold', 'bare cold', 'weft warm'];

export interface ScriptChunk {
  /** The file's path on the server. */
  readonly path: string;
  readonly rawBytes: number;
  /** zlib's gzip at its default level, as a server that compresses would send it. */
  readonly gzipBytes: number;
}

export interface OpenSample {
  readonly mode: OpenMode;
  readonly ms: number;
  /** Whether a service worker controlled the page (expected only warm). */
  readonly controlled: boolean;
}

const USER = { name: 'Opener', color: '#59a14f' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** In a page: the number of updates y-indexeddb holds for `doc` (0 if none). */
const storedUpdates = (doc: string): string => `new Promise((resolve) => {
  const request = indexedDB.open(${JSON.stringify(`weft:${doc}`)});
  request.onerror = () => resolve(0);
  request.onsuccess = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains('updates')) { db.close(); resolve(0); return; }
    const count = db.transaction('updates', 'readonly').objectStore('updates').count();
    count.onsuccess = () => { db.close(); resolve(count.result); };
    count.onerror = () => { db.close(); resolve(0); };
  };
})`;

async function newContext(
  browser: Browser,
  baseUrl: string,
  length: number,
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl });
  await context.addInitScript(identityScript(USER.name, USER.color));
  await context.addInitScript(openProbe(length));
  return context;
}

async function timeOpen(page: Page, kind: PageKind, doc: string): Promise<number> {
  await page.goto(pagePath(kind, doc, USER));
  await page.waitForFunction('window.__openedAt !== undefined', undefined, { timeout: 60_000 });
  return page.evaluate<number>('window.__openedAt');
}

/**
 * A context that has opened `doc` in Weft's page once and closed it: its service worker is
 * active (the app shell precached) and IndexedDB holds the offline copy.
 */
async function primedContext(
  browser: Browser,
  baseUrl: string,
  doc: string,
  length: number,
): Promise<BrowserContext> {
  const context = await newContext(browser, baseUrl, length);
  const page = await context.newPage();
  await page.goto(pagePath('weft', doc, USER));
  await waitForText(page, length);
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  const deadline = performance.now() + 15_000;
  while ((await page.evaluate<number>(storedUpdates(doc))) === 0) {
    if (performance.now() > deadline) throw new Error(`no offline copy of ${doc} after 15 s`);
    await sleep(100);
  }
  await page.close();
  return context;
}

async function measureOpen(
  browser: Browser,
  baseUrl: string,
  mode: OpenMode,
  doc: string,
  length: number,
): Promise<{ sample: OpenSample; scripts: string[] }> {
  const kind: PageKind = mode === 'bare cold' ? 'bare' : 'weft';
  const context =
    mode === 'weft warm'
      ? await primedContext(browser, baseUrl, doc, length)
      : await newContext(browser, baseUrl, length);
  try {
    const page = await context.newPage();
    const ms = await timeOpen(page, kind, doc);
    const controlled = await page.evaluate<boolean>('navigator.serviceWorker.controller !== null');
    const scripts = await page.evaluate<string[]>(`performance.getEntriesByType('resource')
      .filter((e) => e.responseEnd <= window.__openedAt && /\\.m?js$/.test(new URL(e.name).pathname))
      .map((e) => e.name)`);
    return { sample: { mode, ms, controlled }, scripts };
  } finally {
    await context.close();
  }
}

export interface OpenSummary {
  readonly samples: readonly OpenSample[];
  /** Median ms per mode. */
  readonly medianMs: Readonly<Record<OpenMode, number>>;
}

/**
 * `opens` opens in each mode, the modes in a rotating order (so that none always runs first
 * after a pause), and the scripts each mode's first open fetched before input.
 */
export async function measureOpens(
  browser: Browser,
  baseUrl: string,
  doc: string,
  length: number,
  opens: number,
): Promise<{ summary: OpenSummary; firstScripts: ReadonlyMap<OpenMode, string[]> }> {
  const samples: OpenSample[] = [];
  const firstScripts = new Map<OpenMode, string[]>();
  for (let i = 0; i < opens; i++) {
    const order = OPEN_MODES.map((_, j) => OPEN_MODES[(i + j) % OPEN_MODES.length] ?? 'weft cold');
    for (const mode of order) {
      const { sample, scripts } = await measureOpen(browser, baseUrl, mode, doc, length);
      samples.push(sample);
      if (!firstScripts.has(mode)) firstScripts.set(mode, scripts);
    }
  }
  const medianOf = (mode: OpenMode): number =>
    median(samples.filter((s) => s.mode === mode).map((s) => s.ms));
  return {
    summary: {
      samples,
      medianMs: {
        'weft cold': medianOf('weft cold'),
        'weft warm': medianOf('weft warm'),
        'bare cold': medianOf('bare cold'),
      },
    },
    firstScripts,
  };
}

/** Each script's size, fetched from the server again and gzipped here. */
export async function scriptChunks(urls: readonly string[]): Promise<ScriptChunk[]> {
  const chunks: ScriptChunk[] = [];
  for (const url of new Set(urls)) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    chunks.push({
      path: new URL(url).pathname,
      rawBytes: body.length,
      gzipBytes: gzipSync(body).length,
    });
  }
  return chunks.sort((a, b) => b.gzipBytes - a.gzipBytes);
}
