/**
 * One keystroke scenario: a document of a given size opened by a typist and a watcher on each
 * page (Weft's and the bare one, each pair on its own copy of the document), optionally with
 * headless users in both. The typist types at the end of the first line in rounds that take
 * turns between the pages (ABBA order, so neither page always goes first); both pages' probes
 * record every keydown, when each character appears in the typist's own editor (local) and in
 * the watcher's (remote), and the next animation frame after each.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { INSTALL_KEY_PROBE, INSTALL_RENDER_PROBE } from '../browser/page-probes';
import { PageMonitor, type PageTime } from '../browser/page-monitor';
import { machineBusySeconds } from '../relay/proc-stats';
import { EditLog, YjsPeer } from '../relay/yjs-peer';
import { openEditor, PAGE_KINDS, type PageKind } from './editor-pages';
import { HeadlessUsers } from './headless-users';
import { pairLatencies, summariseLatencies, type LatencySummary } from './latency';
import { mainFrameId, summariseTrace, traceWhile, type RenderCounts } from './render-trace';

export interface Scenario {
  readonly name: string;
  /** People in the document: the typist, the watcher and `users - 2` headless users. */
  readonly users: number;
  readonly docBytes: number;
}

export interface PageResult {
  /** Keydown to the next animation frame after the character appears in the watcher's page. */
  readonly remote: LatencySummary;
  /** Keydown to the next animation frame after it appears in the typist's own page. */
  readonly local: LatencySummary;
  /** Main-thread time of each page over the whole scenario (both pages' rounds). */
  readonly typist: PageTime;
  readonly watcher: PageTime;
  /** Rendering work per keystroke in a traced round after the measured ones; null untraced. */
  readonly render: Readonly<Record<'typist' | 'watcher', RenderCounts | null>> | null;
}

export interface ScenarioResult extends Scenario {
  readonly pages: Readonly<Record<PageKind, PageResult>>;
  readonly rounds: number;
  /** Words the headless users typed during the scenario (each its own transaction). */
  readonly headlessEdits: number;
  readonly relayCpuSeconds: number;
  readonly machineBusySeconds: number;
  readonly seconds: number;
}

export interface ScenarioSetup {
  readonly browser: Browser;
  readonly baseUrl: string;
  readonly wsUrl: string;
  readonly relayCpu: () => number;
  readonly keystrokes: number;
  readonly rounds: number;
  readonly intervalMs: number;
  /** Where to write each page's CPU profile (`<scenario>-<kind>-<role>.cpuprofile`), or null. */
  readonly profileDir: string | null;
  /** Keystrokes of the traced round each page types after the measured rounds; 0: none. */
  readonly traceKeystrokes: number;
  readonly progress: (message: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `bytes` of prose-like ASCII text: lines of 12 words, paragraphs of 5 lines (about 360
 * characters) separated by blank lines, as people write. (One paragraph of the whole size
 * would measure the Markdown parser's handling of one huge block, which Weft shows unstyled,
 * see long-blocks.ts, and the bare page parses on every keystroke.)
 */
export function proseBlock(bytes: number, seed = 1): string {
  const words = ['weft', 'warp', 'loom', 'thread', 'shuttle', 'pattern', 'cloth', 'yarn', 'twill'];
  const parts: string[] = [];
  let length = 0;
  let i = seed;
  for (let n = 1; length < bytes; n++) {
    const end = n % 60 === 0 ? '\n\n' : n % 12 === 0 ? '\n' : ' ';
    const part = (words[i % words.length] ?? 'x') + end;
    parts.push(part);
    length += part.length;
    i = (i * 7 + 3) % 1009;
  }
  return parts.join('').slice(0, bytes);
}

/** Stores `text` as the document `doc` on the relay, by a Node client that waits for "saved". */
export async function seedDocument(wsUrl: string, doc: string, text: string): Promise<void> {
  const peer = await YjsPeer.connect({
    dialect: 'weft',
    wsUrl,
    room: doc,
    log: new EditLog(),
    watched: () => [],
  });
  peer.text.insert(0, text);
  const deadline = performance.now() + 30_000;
  while (!peer.isSaved()) {
    if (performance.now() > deadline) throw new Error(`seeding ${doc}: not saved within 30 s`);
    await sleep(20);
  }
  peer.close();
}

interface Side {
  readonly kind: PageKind;
  readonly typist: Page;
  readonly watcher: Page;
  readonly contexts: readonly BrowserContext[];
  readonly monitors: readonly [PageMonitor, PageMonitor];
  readonly remote: number[];
  readonly local: number[];
  typed: number;
}

const numbers = (page: Page, expression: string): Promise<number[]> =>
  page.evaluate<number[]>(expression);

async function openSide(
  setup: ScenarioSetup,
  kind: PageKind,
  doc: string,
  length: number,
): Promise<Side> {
  const { browser, baseUrl } = setup;
  const typist = await openEditor(
    browser,
    baseUrl,
    kind,
    doc,
    { name: 'Alice', color: '#e15759' },
    length,
  );
  const watcher = await openEditor(
    browser,
    baseUrl,
    kind,
    doc,
    { name: 'Bob', color: '#4e79a7' },
    length,
  );
  await typist.page.locator('.cm-content').click();
  await typist.page.keyboard.press('ControlOrMeta+Home');
  await typist.page.evaluate(INSTALL_KEY_PROBE);
  await typist.page.evaluate(INSTALL_RENDER_PROBE);
  await watcher.page.evaluate(INSTALL_RENDER_PROBE);
  const monitors = [
    await PageMonitor.attach(typist.page, `${kind}-typist`, setup.profileDir),
    await PageMonitor.attach(watcher.page, `${kind}-watcher`, setup.profileDir),
  ] as const;
  return {
    kind,
    typist: typist.page,
    watcher: watcher.page,
    contexts: [typist.context, watcher.context],
    monitors,
    remote: [],
    local: [],
    typed: 0,
  };
}

/**
 * One round on one page: types `count` keys, waits for them, and keeps their latencies unless
 * `keep` is false (a traced round, which tracing slows).
 */
async function typeRound(
  side: Side,
  count: number,
  intervalMs: number,
  keep = true,
): Promise<void> {
  const keysBefore = (await numbers(side.typist, 'window.__keyTimes')).length;
  const localBefore = (await numbers(side.typist, 'window.__frame')).length;
  const remoteBefore = (await numbers(side.watcher, 'window.__frame')).length;
  for (let k = 0; k < count; k++) {
    const started = performance.now();
    await side.typist.keyboard.type(String.fromCharCode(97 + ((side.typed + k) % 26)));
    const left = intervalMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
  side.typed += count;
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const local = (await numbers(side.typist, 'window.__frame')).length - localBefore;
    const remote = (await numbers(side.watcher, 'window.__frame')).length - remoteBefore;
    if (local >= count && remote >= count) break;
    await sleep(50);
  }
  if (!keep) return;
  const keys = (await numbers(side.typist, 'window.__keyTimes')).slice(keysBefore);
  const local = (await numbers(side.typist, 'window.__frame')).slice(localBefore);
  const remote = (await numbers(side.watcher, 'window.__frame')).slice(remoteBefore);
  side.local.push(...pairLatencies(keys, local.slice(0, keys.length)));
  side.remote.push(...pairLatencies(keys, remote.slice(0, keys.length)));
}

/**
 * A traced round of `setup.traceKeystrokes` on one page (after the measured rounds, so that
 * tracing slows none of them): one trace of the whole browser, summarised for the typist's
 * renderer and for the watcher's.
 */
async function traceRound(
  setup: ScenarioSetup,
  side: Side,
): Promise<Record<'typist' | 'watcher', RenderCounts | null>> {
  const frameOf = async (page: Page): Promise<string> => {
    const session = await page.context().newCDPSession(page);
    try {
      return await mainFrameId(session);
    } finally {
      await session.detach();
    }
  };
  const typistFrame = await frameOf(side.typist);
  const watcherFrame = await frameOf(side.watcher);
  const count = setup.traceKeystrokes;
  const t0 = performance.now();
  const events = await traceWhile(side.typist, () =>
    typeRound(side, count, setup.intervalMs, false),
  );
  setup.progress(
    `${side.kind}: traced round of ${count} keystrokes, ${events.length} trace events, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const render = {
    typist: summariseTrace(events, typistFrame, 'typist', count),
    watcher: summariseTrace(events, watcherFrame, 'watcher', count),
  };
  for (const [role, counts] of Object.entries(render)) {
    if (counts?.thread !== 'frame') {
      setup.progress(`${side.kind} ${role}: renderer not found by frame id in the trace; guessed`);
    }
  }
  return render;
}

export async function runScenario(
  setup: ScenarioSetup,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const prefix = `${scenario.name.replace(/[^a-z0-9]+/gi, '-')}-${Date.now().toString(36)}`;
  // The typist's line, a blank line (so it is a paragraph of its own), then the prose.
  const text = `\n\n${proseBlock(scenario.docBytes)}`;
  const docs: Record<PageKind, string> = { weft: `${prefix}-weft`, bare: `${prefix}-bare` };
  await Promise.all(PAGE_KINDS.map((kind) => seedDocument(setup.wsUrl, docs[kind], text)));
  const sides: Side[] = [];
  for (const kind of PAGE_KINDS) sides.push(await openSide(setup, kind, docs[kind], text.length));
  const headless =
    scenario.users > 2
      ? await Promise.all(
          PAGE_KINDS.map((kind, i) =>
            HeadlessUsers.join({
              wsUrl: setup.wsUrl,
              doc: docs[kind],
              count: scenario.users - 2,
              seed: 7 + i,
            }),
          ),
        )
      : [];
  try {
    await sleep(1000);
    const monitors = sides.flatMap((side) => side.monitors);
    await Promise.all(monitors.map((m) => m.start()));
    const cpu0 = setup.relayCpu();
    const busy0 = machineBusySeconds();
    const t0 = performance.now();
    const perRound = Math.ceil(setup.keystrokes / setup.rounds);
    for (let round = 0; round < setup.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await typeRound(side, perRound, setup.intervalMs);
    }
    const seconds = (performance.now() - t0) / 1000;
    // Of the measured rounds only, not the traced one.
    const relayCpuSeconds = setup.relayCpu() - cpu0;
    const busySeconds = machineBusySeconds() - busy0;
    const pages = {} as Record<PageKind, PageResult>;
    for (const side of sides) {
      const [typist, watcher] = side.monitors;
      pages[side.kind] = {
        remote: summariseLatencies(side.remote, side.typed),
        local: summariseLatencies(side.local, side.typed),
        typist: await typist.stop(scenario.name),
        watcher: await watcher.stop(scenario.name),
        render: null,
      };
    }
    if (setup.traceKeystrokes > 0) {
      for (const side of sides) {
        pages[side.kind] = { ...pages[side.kind], render: await traceRound(setup, side) };
      }
    }
    const result: ScenarioResult = {
      ...scenario,
      pages,
      rounds: setup.rounds,
      headlessEdits: headless.reduce((n, users) => n + users.typed, 0),
      relayCpuSeconds,
      machineBusySeconds: busySeconds,
      seconds,
    };
    const ms = (v: number | null): string => (v === null ? '-' : v.toFixed(1));
    setup.progress(
      `${scenario.name}: ` +
        PAGE_KINDS.map(
          (kind) =>
            `${kind} remote p50 ${ms(pages[kind].remote.p50)} p95 ${ms(pages[kind].remote.p95)}, local p50 ${ms(pages[kind].local.p50)}`,
        ).join('; ') +
        `; machine ${(result.machineBusySeconds / seconds).toFixed(2)} cores busy`,
    );
    return result;
  } finally {
    for (const users of headless) users.leave();
    for (const side of sides) for (const context of side.contexts) await context.close();
  }
}
