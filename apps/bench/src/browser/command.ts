/**
 * `pnpm bench browser-latency [--quick] [--keystrokes N] [--out DIR]`: keystroke-to-remote-
 * render latency in real browsers. Weft's relay serves the built web app; Chromium (Debian's,
 * driven by playwright-core) opens one document as two users, each in their own browser
 * context. Alice types one character at a time at the end of the first line; Bob's page
 * records when each character appears in his editor. Then the same while Carol pastes a 50 KB
 * block at the end of the document every few seconds. Writes browser-latency.json/.svg.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { parseArgs } from '../lib/args';
import { defaultResultsDir, repoRoot } from '../lib/paths';
import { barChart, svgDocument } from '../lib/svg';
import { formatTable } from '../lib/table';
import { environment, toJson, type Environment } from '../relay/results';
import { machineBusySeconds } from '../relay/proc-stats';
import { settleMachine, type QuietCheck } from '../relay/quiet';
import { startServer } from '../relay/servers';
import { EditLog, YjsPeer } from '../relay/yjs-peer';
import { PageMonitor, type PageTime } from './page-monitor';
import {
  identityScript,
  INSTALL_KEY_PROBE,
  INSTALL_RENDER_PROBE,
  LINE_COUNT,
  pasteScript,
} from './page-probes';
import { CHROMIUM_ARGS } from '../lib/chromium';
import { summariseLatencies, type LatencySummary } from '../editor/latency';

export const BROWSER_LATENCY_USAGE = `Usage: pnpm bench browser-latency [--quick] [--keystrokes N] [--cpu-prof DIR] [--out DIR]

Keystroke-to-remote-render latency between two Chromium users on one document, idle and while
a third user pastes 50 KB blocks. Needs the built web app (pnpm build) and Chromium at
/usr/bin/chromium (or CHROMIUM_PATH). Writes browser-latency.json and browser-latency.svg.

  --quick          30 keystrokes per phase, one paste; writes browser-latency-quick.*
  --keystrokes N   keystrokes per phase (default 250)
  --interval MS    time between keystrokes (default 80)
  --paste-every S  seconds between Carol's 50 KB pastes in the second phase (default 5)
  --cpu-prof DIR   write a CPU profile of each page per phase to DIR (<phase>-<user>.cpuprofile;
                   read them with \`pnpm bench profile --file F\`)
  --out DIR        where to write results (default apps/bench/results)`;

/** Keystroke latencies in one user's editor (`missing`: never appeared there). */
export type LatencyStats = LatencySummary;

export interface Phase {
  readonly name: string;
  /** Keydown in Alice's page to the DOM change in Bob's editor. */
  readonly domMs: LatencyStats;
  /** …to the next animation frame in Bob's page (when the change can be painted). */
  readonly frameMs: LatencyStats;
  readonly pastes: number;
  /** Each user's page: main-thread seconds of tasks, script, layout and style. */
  readonly pages: Readonly<Record<string, PageTime>>;
  /** Relay CPU seconds and the whole machine's busy CPU seconds during the phase. */
  readonly relayCpuSeconds: number;
  readonly machineBusySeconds: number;
  readonly seconds: number;
}

export interface BrowserResults {
  readonly benchmark: 'browser-latency';
  readonly environment: Environment;
  readonly chromium: string;
  readonly loadAverage: number;
  /** Other processes' CPU use just before the run. */
  readonly quietCheck: QuietCheck;
  readonly notes: readonly string[];
  readonly phases: readonly Phase[];
  /** What the relay holds afterwards (read by a Node client): all typed and pasted text. */
  readonly check: {
    readonly documentChars: number;
    readonly typedLineMatches: boolean;
    readonly pastedChars: number;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const progress = (message: string): void => {
  process.stderr.write(`[browser-latency] ${message}\n`);
};

async function openUser(
  browser: Browser,
  baseUrl: string,
  doc: string,
  name: string,
  color: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl });
  await context.addInitScript(identityScript(name, color));
  const page = await context.newPage();
  await page.goto(`/d/${doc}`);
  await page.locator('.cm-content').waitFor({ state: 'visible', timeout: 30_000 });
  return page;
}

/** A block of `bytes` ASCII text in lines of prose-like words. */
function block(bytes: number, seed: number): string {
  const words = [
    'weft',
    'warp',
    'loom',
    'thread',
    'shuttle',
    'pattern',
    'cloth',
    'yarn',
    'twill',
    'satin',
  ];
  let text = '\n';
  let i = seed;
  while (text.length < bytes) {
    text += words[i % words.length] ?? 'x';
    text += i % 12 === 11 ? '\n' : ' ';
    i = (i * 7 + 3) % 1009;
  }
  return text.slice(0, bytes);
}

interface PhaseSetup {
  readonly alice: Page;
  readonly bob: Page;
  /** The paster; null for the typing-only phase. */
  readonly carol: Page | null;
  readonly name: string;
  readonly keystrokes: number;
  readonly intervalMs: number;
  readonly pasteEveryMs: number;
  readonly relayCpu: () => number;
  readonly monitors: readonly PageMonitor[];
}

async function typePhase({
  alice,
  bob,
  carol,
  name,
  keystrokes,
  intervalMs,
  pasteEveryMs,
  relayCpu,
  monitors,
}: PhaseSetup): Promise<Phase> {
  await Promise.all(monitors.map((m) => m.start()));
  const cpu0 = relayCpu();
  const busy0 = machineBusySeconds();
  const t0 = performance.now();
  const numbers = async (page: Page, expression: string): Promise<number[]> =>
    page.evaluate<number[]>(expression);
  const keysBefore = (await numbers(alice, 'window.__keyTimes')).length;
  const seenBefore = (await numbers(bob, 'window.__dom')).length;
  let pastes = 0;
  let pasting: Promise<void> = Promise.resolve();
  const state = { typing: true };
  // A function, so the loops read the current value rather than a narrowed one.
  const typing = (): boolean => state.typing;
  if (carol) {
    pasting = (async () => {
      while (typing()) {
        await carol.evaluate(pasteScript(block(50 * 1024, pastes)));
        pastes++;
        const until = performance.now() + pasteEveryMs;
        while (typing() && performance.now() < until) await sleep(50);
      }
    })();
  }
  for (let k = 0; k < keystrokes; k++) {
    const started = performance.now();
    await alice.keyboard.type(String.fromCharCode(97 + (k % 26)));
    const left = intervalMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
  state.typing = false;
  await pasting;
  // Wait for the last keystrokes to arrive (at most 10 s).
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const seen = (await numbers(bob, 'window.__frame')).length;
    if (seen - seenBefore >= keystrokes) break;
    await sleep(100);
  }
  const keys = (await numbers(alice, 'window.__keyTimes')).slice(keysBefore);
  const dom = (await numbers(bob, 'window.__dom')).slice(seenBefore);
  const frame = (await numbers(bob, 'window.__frame')).slice(seenBefore);
  const pair = (times: readonly number[]): number[] =>
    keys.slice(0, times.length).map((key, i) => (times[i] ?? 0) - key);
  const pages = Object.fromEntries(
    await Promise.all(monitors.map(async (m) => [m.user, await m.stop(name)] as const)),
  );
  const phase: Phase = {
    name,
    domMs: summariseLatencies(pair(dom), keys.length),
    frameMs: summariseLatencies(pair(frame), keys.length),
    pastes,
    pages,
    relayCpuSeconds: relayCpu() - cpu0,
    machineBusySeconds: machineBusySeconds() - busy0,
    seconds: (performance.now() - t0) / 1000,
  };
  progress(
    `${name}: ${keys.length} keystrokes, p50 ${phase.frameMs.p50?.toFixed(1) ?? '-'} ms, p95 ${phase.frameMs.p95?.toFixed(1) ?? '-'} ms (to frame), ${pastes} pastes; ` +
      `relay ${(phase.relayCpuSeconds / phase.seconds).toFixed(2)} cores, machine ${(phase.machineBusySeconds / phase.seconds).toFixed(2)} cores busy; ` +
      `page script s: ${Object.entries(pages)
        .map(([user, time]) => `${user} ${time.scriptSeconds.toFixed(1)}`)
        .join(', ')}`,
  );
  return phase;
}

export async function runBrowserLatency(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, {
    flags: ['quick'],
    valued: ['keystrokes', 'interval', 'paste-every', 'cpu-prof', 'out'],
  });
  const quick = args.flags.has('quick');
  const keystrokes = Number(args.values.get('keystrokes') ?? (quick ? 30 : 250));
  const intervalMs = Number(args.values.get('interval') ?? 80);
  // Quick: one paste (the phase is shorter than the interval).
  const pasteEveryMs = quick ? 60_000 : Number(args.values.get('paste-every') ?? 5) * 1000;
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const cpuProf = args.values.get('cpu-prof');
  const profileDir = cpuProf === undefined ? null : resolve(cpuProf);
  if (profileDir !== null) mkdirSync(profileDir, { recursive: true });
  const file = join(outDir, quick ? 'browser-latency-quick' : 'browser-latency');
  const webDist = join(repoRoot(), 'apps', 'web', 'dist');
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`The web app is not built (${webDist}): run \`pnpm build\` first.`);
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  mkdirSync(outDir, { recursive: true });

  const { quietCheck, loadAverage } = await settleMachine(quick ? 0 : 180_000, progress);
  const dataDir = mkdtempSync(join(tmpdir(), 'weft-bench-browser-'));
  const server = await startServer('weft', { dataDir, env: { WEB_DIST: webDist } });
  // Loaded here, so the other benchmarks do not pay for playwright-core at startup.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const doc = `latency-${Date.now().toString(36)}`;
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const alice = await openUser(browser, baseUrl, doc, 'Alice', '#e15759');
    const bob = await openUser(browser, baseUrl, doc, 'Bob', '#4e79a7');
    const carol = await openUser(browser, baseUrl, doc, 'Carol', '#59a14f');
    // Alice's line is the first line; Carol pastes after it, so Bob's view keeps it in sight.
    await alice.locator('.cm-content').click();
    await alice.keyboard.press('Enter');
    await alice.keyboard.press('ControlOrMeta+Home');
    await bob.waitForFunction(`${LINE_COUNT} >= 2`, undefined, { timeout: 15_000 });
    await carol.waitForFunction(`${LINE_COUNT} >= 2`, undefined, { timeout: 15_000 });
    await carol.locator('.cm-content').click();
    await carol.keyboard.press('ControlOrMeta+End');
    await alice.evaluate(INSTALL_KEY_PROBE);
    await bob.evaluate(INSTALL_RENDER_PROBE);
    const monitors = await Promise.all([
      PageMonitor.attach(alice, 'alice', profileDir),
      PageMonitor.attach(bob, 'bob', profileDir),
      PageMonitor.attach(carol, 'carol', profileDir),
    ]);
    await sleep(500);

    const relayCpu = (): number => server.cpuSeconds();
    const common = { alice, bob, keystrokes, intervalMs, relayCpu, monitors };
    const phases = [
      await typePhase({ ...common, carol: null, name: 'two users typing', pasteEveryMs: 0 }),
      await typePhase({
        ...common,
        carol,
        name: quick
          ? 'while a third user pastes 50 KB once'
          : `while a third user pastes 50 KB every ${pasteEveryMs / 1000} s`,
        pasteEveryMs,
      }),
    ];
    // The relay's copy must hold Alice's whole line and every paste.
    const reader = await YjsPeer.connect({
      dialect: 'weft',
      wsUrl: server.wsUrl,
      room: doc,
      log: new EditLog(),
      watched: () => [],
    });
    const stored = reader.text.toString();
    reader.close();
    const typed = Array.from({ length: keystrokes }, (_, k) =>
      String.fromCharCode(97 + (k % 26)),
    ).join('');
    const pastes = phases.reduce((n, p) => n + p.pastes, 0);
    const check = {
      documentChars: stored.length,
      typedLineMatches: stored.split('\n')[0] === typed + typed,
      pastedChars: stored.length - 2 * keystrokes - 1,
    };
    progress(
      `relay holds ${check.documentChars} characters; Alice's line ${check.typedLineMatches ? 'matches' : 'DOES NOT match'}; ${pastes} pastes of 50 KB`,
    );
    const results: BrowserResults = {
      benchmark: 'browser-latency',
      environment: environment(),
      chromium: browser.version(),
      loadAverage,
      quietCheck,
      notes: [
        'Weft relay (LevelDB, saved acknowledgements) serving the built web app on 127.0.0.1; headless Chromium with --disable-gpu, each user in their own browser context, all in one browser process on the same machine as the relay.',
        `Alice types one character every ${intervalMs} ms (Playwright keyboard.type) at the end of the first line; times are taken in the pages: Alice's keydown listener, Bob's MutationObserver on the editor (dom) and the next requestAnimationFrame after it (frame).`,
        `Paste phase: Carol dispatches a paste event with a 50 KB block at the end of the document (first at the start of the phase, then every ${pasteEveryMs / 1000} s) while Alice types; the document grows by 50 KB each time.`,
        "All three browser pages, the browser process and the relay share the machine: relayCpuSeconds and machineBusySeconds per phase show where the CPU went, and pages gives each page's main-thread task, script, layout and style seconds (Chrome DevTools Protocol Performance.getMetrics).",
        ...(profileDir === null
          ? []
          : [
              'PROFILED RUN: every page ran the CPU profiler (sampling every 0.5 ms), which slows it; compare these latencies only with other profiled runs.',
            ]),
      ],
      phases,
      check,
    };
    writeFileSync(`${file}.json`, toJson(results));
    writeFileSync(
      `${file}.svg`,
      svgDocument(440, 280, 'Keystroke to remote render', [
        barChart(
          { x: 10, y: 10, width: 420, height: 260 },
          {
            title: 'Keystroke to remote render (ms, to next frame)',
            yLabel: 'ms',
            groups: phases.map((p) => (p.pastes > 0 ? 'with 50 KB pastes' : 'two users')),
            series: [
              { name: 'p50', values: phases.map((p) => p.frameMs.p50) },
              { name: 'p95', values: phases.map((p) => p.frameMs.p95) },
            ],
            log: false,
          },
        ),
      ]),
    );
    const ms = (v: number | null): number | string => (v === null ? '-' : Number(v.toFixed(1)));
    console.log(
      formatTable(
        [
          'phase',
          'keystrokes',
          'missing',
          'dom p50',
          'dom p95',
          'frame p50',
          'frame p95',
          'frame p99',
          'frame max',
          'pastes',
        ],
        phases.map((p) => [
          p.name,
          p.frameMs.keystrokes,
          p.frameMs.missing,
          ms(p.domMs.p50),
          ms(p.domMs.p95),
          ms(p.frameMs.p50),
          ms(p.frameMs.p95),
          ms(p.frameMs.p99),
          ms(p.frameMs.max),
          p.pastes,
        ]),
      ),
    );
    console.log(`\nWrote ${file}.json and ${file}.svg`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
