/**
 * `pnpm bench editor [--quick]`: Weft's editor page against the floor, a bare page with the
 * same libraries (apps/bench/bare-page), on Weft's relay in one run. Keystroke latency (keydown
 * to the next frame after the character shows, in the typist's page and in a watcher's) with
 * 2 users and with 10, on 100 KB and 1 MB documents, the pages taking turns; then opening a
 * 100 KB document cold and warm against the bare page cold, and the JavaScript each page
 * fetched before it accepted input. Writes editor.json/.svg (editor-quick.* with --quick).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { defaultResultsDir, repoRoot } from '../lib/paths';
import { barChart, svgDocument } from '../lib/svg';
import { formatTable } from '../lib/table';
import { environment, toJson, type Environment } from '../relay/results';
import { settleMachine, type QuietCheck } from '../relay/quiet';
import { startServer } from '../relay/servers';
import { webRootWithBarePage } from './bare-page-build';
import { PAGE_KINDS } from './editor-pages';
import {
  runScenario,
  proseBlock,
  seedDocument,
  type Scenario,
  type ScenarioResult,
} from './keystrokes';
import { checkTarget, ratio, type TargetCheck } from './latency';
import {
  measureOpens,
  OPEN_MODES,
  scriptChunks,
  type OpenSummary,
  type ScriptChunk,
} from './open-times';
import { startDelayProxy } from '../lib/delay-proxy';
import { CHROMIUM_ARGS } from '../lib/chromium';

export const EDITOR_USAGE = `Usage: pnpm bench editor [--quick] [--keystrokes N] [--rounds N] [--opens N] [--rtt MS] [--scenario TEXT] [--open-only] [--trace] [--trace-keystrokes N] [--web-dist DIR] [--cpu-prof DIR] [--out DIR]

Weft's editor page against a bare page with the same libraries (y-websocket, y-codemirror.next,
CodeMirror Markdown; no React, no IndexedDB), both on Weft's relay, taking turns in one run:
keystroke latency to the typist's own frame and to a watcher's, with 2 and 10 users (8
headless Yjs clients moving cursors every 200 ms and typing now and then) on a 100 KB and a
1 MB document; opening a 100 KB document (Weft cold and warm, the bare page cold); and the
JavaScript fetched before the editor accepts input. Needs the built web app (pnpm build) and
Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Writes editor.json and editor.svg.

  --quick          12 keystrokes per page and scenario, documents a tenth of the size, one open
                   per mode; writes editor-quick.*
  --keystrokes N   keystrokes per page and scenario (default 240)
  --rounds N       turns each page takes per scenario (default 4)
  --interval MS    time between keystrokes (default 80)
  --opens N        opens per mode (default 7)
  --scenario TEXT  only the scenarios whose name contains TEXT (e.g. "10 users")
  --open-only      no keystroke scenarios: only the opening and the JavaScript before input
  --rtt MS         the opens again through a proxy that delays every packet by half of MS each
                   way, as a relay across a network would (default 50; 0: loopback only)
  --trace          after the measured rounds, one more round per page and scenario (60
                   keystrokes, 12 with --quick), untimed, under a Chrome trace of the browser;
                   reports per keystroke, for the typist's and the watcher's renderer main
                   thread: frames (Commit events), layouts, forced layouts (Layout with a
                   JavaScript stack: script read geometry), style recalculations
                   (UpdateLayoutTree), elements restyled (their elementCount) and the typist's
                   keydown task p50 (ms). Counts, unlike latencies, hardly move with the load
                   on the machine. Off by default (it adds about 6 s per page and scenario);
                   on with --quick
  --trace-keystrokes N  keystrokes of the traced round (implies --trace)
  --web-dist DIR   Weft's built app to serve (default apps/web/dist; for profiles, one built
                   with \`vite build --minify false\` names its functions)
  --cpu-prof DIR   a CPU profile per page and scenario in DIR (<scenario>-<page>-<role>.cpuprofile)
  --out DIR        where to write results (default apps/bench/results)`;

/**
 * The scenarios, by the names the targets use. Quick runs keep them but with documents a
 * tenth of the size (named by their full size), so that they finish in well under a minute:
 * they keep the code working, and their numbers mean nothing.
 */
function scenariosAt(scale: number): Scenario[] {
  return [
    { name: '2 users, 100 KB', users: 2, docBytes: 100 * 1024 * scale },
    { name: '10 users, 100 KB', users: 10, docBytes: 100 * 1024 * scale },
    { name: '2 users, 1 MB', users: 2, docBytes: 1024 * 1024 * scale },
  ];
}

/** Opens through a proxy that delays every packet: a server across a network. */
export interface DistantOpenSummary extends OpenSummary {
  /** The round trip the proxy adds (half of it each way). */
  readonly rttMs: number;
}

export interface EditorResults {
  readonly benchmark: 'editor';
  readonly environment: Environment;
  readonly chromium: string;
  readonly loadAverage: number;
  readonly quietCheck: QuietCheck;
  readonly notes: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  /** Opens on loopback, as the pages and the relay share the machine. */
  readonly open: OpenSummary;
  /** The same opens at a network's distance (`--rtt`), or null with `--rtt 0`. */
  readonly openAtDistance: DistantOpenSummary | null;
  /** JavaScript fetched before the editor accepted input, cold, per page. */
  readonly scripts: Readonly<Record<'weft' | 'bare', readonly ScriptChunk[]>>;
  readonly targets: readonly TargetCheck[];
}

const progress = (message: string): void => {
  process.stderr.write(`[editor] ${message}\n`);
};

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

function targetsOf(
  scenarios: readonly ScenarioResult[],
  open: OpenSummary,
  distant: DistantOpenSummary | null,
): TargetCheck[] {
  const find = (name: string): ScenarioResult | undefined => scenarios.find((s) => s.name === name);
  const checks: TargetCheck[] = [];
  for (const name of ['2 users, 100 KB', '10 users, 100 KB']) {
    const s = find(name);
    const weft = s?.pages.weft;
    const bare = s?.pages.bare;
    checks.push(
      checkTarget(
        `${name}: remote p50 ≤ 1.1× bare`,
        ratio(weft?.remote.p50 ?? null, bare?.remote.p50 ?? null),
        1.1,
      ),
      checkTarget(
        `${name}: remote p95 ≤ 1.2× bare`,
        ratio(weft?.remote.p95 ?? null, bare?.remote.p95 ?? null),
        1.2,
      ),
      checkTarget(
        `${name}: local p50 ≤ 1.1× bare`,
        ratio(weft?.local.p50 ?? null, bare?.local.p50 ?? null),
        1.1,
      ),
    );
  }
  const small = find('2 users, 100 KB')?.pages.weft;
  const large = find('2 users, 1 MB')?.pages.weft;
  checks.push(
    checkTarget(
      'Weft 1 MB remote p50 ≤ 1.5× its 100 KB',
      ratio(large?.remote.p50 ?? null, small?.remote.p50 ?? null),
      1.5,
    ),
    checkTarget(
      'Weft 1 MB remote p95 ≤ 1.5× its 100 KB',
      ratio(large?.remote.p95 ?? null, small?.remote.p95 ?? null),
      1.5,
    ),
    checkTarget(
      'Weft 1 MB local p50 ≤ 1.5× its 100 KB',
      ratio(large?.local.p50 ?? null, small?.local.p50 ?? null),
      1.5,
    ),
    checkTarget(
      'open cold ≤ 1.3× bare cold',
      ratio(open.medianMs['weft cold'], open.medianMs['bare cold']),
      1.3,
    ),
    checkTarget(
      'open warm ≤ 0.7× bare cold',
      ratio(open.medianMs['weft warm'], open.medianMs['bare cold']),
      0.7,
    ),
  );
  if (distant !== null) {
    const at = `, ${distant.rttMs} ms round trip`;
    checks.push(
      checkTarget(
        `open cold ≤ 1.3× bare cold${at}`,
        ratio(distant.medianMs['weft cold'], distant.medianMs['bare cold']),
        1.3,
      ),
      checkTarget(
        `open warm ≤ 0.7× bare cold${at}`,
        ratio(distant.medianMs['weft warm'], distant.medianMs['bare cold']),
        0.7,
      ),
    );
  }
  return checks;
}

function chart(
  scenarios: readonly ScenarioResult[],
  open: OpenSummary,
  distant: DistantOpenSummary | null,
): string {
  const width = 900;
  const groups = scenarios.map((s) => s.name);
  const series = (measure: 'remote' | 'local', q: 'p50' | 'p95') =>
    PAGE_KINDS.map((kind) => ({
      name: `${kind} ${q}`,
      values: scenarios.map((s) => s.pages[kind][measure][q]),
    }));
  return svgDocument(width, 300, 'Weft editor against the bare page', [
    barChart(
      { x: 10, y: 10, width: 330, height: 280 },
      {
        title: 'Keydown to remote frame (ms)',
        yLabel: 'ms',
        groups,
        series: [...series('remote', 'p50'), ...series('remote', 'p95')],
        log: false,
      },
    ),
    barChart(
      { x: 345, y: 10, width: 330, height: 280 },
      {
        title: 'Keydown to local frame (ms)',
        yLabel: 'ms',
        groups,
        series: [...series('local', 'p50'), ...series('local', 'p95')],
        log: false,
      },
    ),
    barChart(
      { x: 680, y: 10, width: 210, height: 280 },
      {
        title: 'Open 100 KB (median ms)',
        yLabel: 'ms',
        groups: [...OPEN_MODES],
        series: [
          { name: 'loopback', values: OPEN_MODES.map((m) => open.medianMs[m]) },
          ...(distant === null
            ? []
            : [
                {
                  name: `${distant.rttMs} ms RTT`,
                  values: OPEN_MODES.map((m) => distant.medianMs[m]),
                },
              ]),
        ],
        log: false,
      },
    ),
  ]);
}

export async function runEditor(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv, {
    flags: ['quick', 'trace', 'open-only'],
    valued: [
      'keystrokes',
      'rounds',
      'interval',
      'opens',
      'rtt',
      'scenario',
      'trace-keystrokes',
      'web-dist',
      'cpu-prof',
      'out',
    ],
  });
  const quick = args.flags.has('quick');
  const keystrokes = positiveInteger(args.values.get('keystrokes'), quick ? 12 : 240, 'keystrokes');
  const rounds = positiveInteger(args.values.get('rounds'), quick ? 2 : 4, 'rounds');
  const intervalMs = positiveInteger(args.values.get('interval'), quick ? 50 : 80, 'interval');
  const opens = positiveInteger(args.values.get('opens'), quick ? 1 : 7, 'opens');
  const rttMs = Number(args.values.get('rtt') ?? 50);
  if (!Number.isInteger(rttMs) || rttMs < 0 || rttMs > 10_000) {
    throw new Error('--rtt must be a whole number of milliseconds, 0 to 10000');
  }
  const traced =
    quick || args.flags.has('trace') || args.values.get('trace-keystrokes') !== undefined;
  const traceKeystrokes = traced
    ? positiveInteger(args.values.get('trace-keystrokes'), quick ? 12 : 60, 'trace-keystrokes')
    : 0;
  const outDir = resolve(args.values.get('out') ?? defaultResultsDir());
  const cpuProf = args.values.get('cpu-prof');
  const profileDir = cpuProf === undefined ? null : resolve(cpuProf);
  if (profileDir !== null) mkdirSync(profileDir, { recursive: true });
  const file = join(outDir, quick ? 'editor-quick' : 'editor');
  const webDist = resolve(args.values.get('web-dist') ?? join(repoRoot(), 'apps', 'web', 'dist'));
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`The web app is not built (${webDist}): run \`pnpm build\` first.`);
  }
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  mkdirSync(outDir, { recursive: true });

  const { quietCheck, loadAverage } = await settleMachine(quick ? 0 : 180_000, progress);
  const tmp = mkdtempSync(join(tmpdir(), 'weft-bench-editor-'));
  progress('building the bare page');
  const webRoot = await webRootWithBarePage(webDist, tmp);
  const dataDir = join(tmp, 'data');
  const server = await startServer('weft', { dataDir, env: { WEB_DIST: webRoot } });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const setup = {
      browser,
      baseUrl,
      wsUrl: server.wsUrl,
      relayCpu: () => server.cpuSeconds(),
      keystrokes,
      rounds,
      intervalMs,
      profileDir,
      traceKeystrokes,
      progress,
    };
    const scenarios: ScenarioResult[] = [];
    const only = args.values.get('scenario');
    const chosen = args.flags.has('open-only')
      ? []
      : scenariosAt(quick ? 0.1 : 1).filter((s) => only === undefined || s.name.includes(only));
    if (chosen.length === 0 && !args.flags.has('open-only')) {
      throw new Error(`--scenario ${only ?? ''} names no scenario`);
    }
    for (const scenario of chosen) {
      progress(`${scenario.name}: seeding and opening the pages`);
      scenarios.push(await runScenario(setup, scenario));
    }

    const openDoc = `open-${Date.now().toString(36)}`;
    const openText = `\n\n${proseBlock((quick ? 0.1 : 1) * 100 * 1024)}`;
    await seedDocument(server.wsUrl, openDoc, openText);
    const medians = (summary: OpenSummary): string =>
      OPEN_MODES.map((m) => `${m} ${summary.medianMs[m].toFixed(0)} ms`).join(', ');
    const { summary: open, firstScripts } = await measureOpens(
      browser,
      baseUrl,
      openDoc,
      openText.length,
      opens,
    );
    progress(`open: ${medians(open)}`);
    let openAtDistance: DistantOpenSummary | null = null;
    if (rttMs > 0) {
      // Another origin (the proxy's port), so no page starts with what loopback left behind.
      const proxy = await startDelayProxy(server.port, rttMs / 2);
      try {
        const distant = await measureOpens(
          browser,
          `http://127.0.0.1:${proxy.port}`,
          openDoc,
          openText.length,
          opens,
        );
        openAtDistance = { rttMs, ...distant.summary };
        progress(`open at ${rttMs} ms round trip: ${medians(distant.summary)}`);
      } finally {
        await proxy.close();
      }
    }
    const scripts = {
      weft: await scriptChunks(firstScripts.get('weft cold') ?? []),
      bare: await scriptChunks(firstScripts.get('bare cold') ?? []),
    };
    const targets = targetsOf(scenarios, open, openAtDistance);
    const results: EditorResults = {
      benchmark: 'editor',
      environment: environment(),
      chromium: browser.version(),
      loadAverage,
      quietCheck,
      notes: [
        "Weft's relay (LevelDB, saved acknowledgements) serves Weft's built app at / and the bare page (apps/bench/bare-page, built with the web app's Vite and the same copies of CodeMirror, Yjs, y-codemirror.next and y-websocket) at /bare/; headless Chromium with --disable-gpu, each user in their own browser context, one browser process, on the same machine as the relay.",
        `Each scenario opens a typist and a watcher on each page, each pair on its own copy of the document (a blank first line, then prose); the typist types one character every ${intervalMs} ms at the end of the first line, in ${rounds} rounds per page that alternate between the pages (ABBA). Times are taken in the pages: the typist's keydown listener, a MutationObserver on the first line in the typist's page (local) and in the watcher's (remote), and the next requestAnimationFrame after it.`,
        '10 users: 8 headless y-websocket clients in each copy move their cursor every 200 ms to a random place in the second half of the document and type a word there with probability 0.1 per move.',
        'Open: navigation start to the first animation frame at which the editor holds the whole text and is editable. Cold: a fresh browser context. Warm: a context that opened the document once (service worker active, offline copy in IndexedDB), closed that page and opened it again. Scripts: every .js the page had fetched by then, gzipped here (zlib default level).',
        ...(rttMs === 0
          ? []
          : [
              `Open at a distance (openAtDistance): the same opens with the browser reaching the relay through a TCP proxy on this machine that passes every chunk on ${rttMs / 2} ms after it arrived, each way (${rttMs} ms round trip, bandwidth unlimited); its port is another origin, so these contexts share nothing with the loopback ones.`,
            ]),
        ...(traceKeystrokes === 0
          ? []
          : [
              `Rendering work (render): after the measured rounds each page's typist typed ${traceKeystrokes} more characters, untimed, under a Chrome trace (devtools.timeline categories) of the whole browser; the counts are per keystroke on the renderer main thread of the typist's page and of the watcher's (found by their main frame's id): frames = Commit events, layouts = Layout events, forced = Layout events with a JavaScript stack, style recalcs = UpdateLayoutTree events, elements restyled = the sum of their elementCount; keydown task p50 = median duration of the task that dispatched each keydown (typist only).`,
            ]),
        ...(profileDir === null
          ? []
          : [
              'PROFILED RUN: every page ran the CPU profiler, which slows it; compare these latencies only with other profiled runs.',
            ]),
      ],
      scenarios,
      open,
      openAtDistance,
      scripts,
      targets,
    };
    writeFileSync(`${file}.json`, toJson(results));
    writeFileSync(`${file}.svg`, chart(scenarios, open, openAtDistance));
    report(results);
    console.log(`\nWrote ${file}.json and ${file}.svg`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(results: EditorResults): void {
  const ms = (v: number | null): number | string => (v === null ? '-' : Number(v.toFixed(1)));
  const x = (v: number | null): string => (v === null ? '-' : `${v.toFixed(2)}×`);
  console.log(
    formatTable(
      ['scenario', 'page', 'keys', 'missing', 'remote p50', 'remote p95', 'local p50', 'local p95'],
      results.scenarios.flatMap((s) =>
        PAGE_KINDS.map((kind) => {
          const p = s.pages[kind];
          return [
            s.name,
            kind,
            p.remote.keystrokes,
            p.remote.missing + p.local.missing,
            ms(p.remote.p50),
            ms(p.remote.p95),
            ms(p.local.p50),
            ms(p.local.p95),
          ];
        }),
      ),
    ),
  );
  const traced = results.scenarios.filter((s) => PAGE_KINDS.some((k) => s.pages[k].render));
  if (traced.length > 0) {
    // Numbers print with one decimal (formatTable); editor.json has them in full.
    const n = (v: number | null | undefined): number | string =>
      v === null || v === undefined ? '-' : v;
    console.log(
      `\nRendering work per keystroke (traced round)\n${formatTable(
        [
          'scenario',
          'page',
          'role',
          'frames',
          'layouts',
          'forced',
          'style recalcs',
          'elements restyled',
          'keydown task p50 ms',
        ],
        traced.flatMap((s) =>
          PAGE_KINDS.flatMap((kind) =>
            (['typist', 'watcher'] as const).map((role) => {
              const c = s.pages[kind].render?.[role];
              return [
                s.name,
                kind,
                role,
                n(c?.frames),
                n(c?.layouts),
                n(c?.forcedLayouts),
                n(c?.styleRecalcs),
                n(c?.elementsRestyled),
                n(c?.keydownTaskP50),
              ];
            }),
          ),
        ),
      )}`,
    );
  }
  const distant = results.openAtDistance;
  console.log(
    `\n${formatTable(
      [
        'open mode',
        'median ms',
        'samples',
        ...(distant === null ? [] : [`median ms, ${distant.rttMs} ms RTT`]),
      ],
      OPEN_MODES.map((m) => [
        m,
        ms(results.open.medianMs[m]),
        results.open.samples.filter((s) => s.mode === m).length,
        ...(distant === null ? [] : [ms(distant.medianMs[m])]),
      ]),
    )}`,
  );
  for (const kind of ['weft', 'bare'] as const) {
    const chunks = results.scripts[kind];
    const total = chunks.reduce((n, c) => n + c.gzipBytes, 0);
    console.log(`\n${kind}: JavaScript before input, ${(total / 1024).toFixed(1)} KiB gzipped`);
    console.log(
      formatTable(
        ['file', 'raw KiB', 'gzip KiB'],
        chunks.map((c) => [c.path, ms(c.rawBytes / 1024), ms(c.gzipBytes / 1024)]),
      ),
    );
  }
  console.log(
    `\n${formatTable(
      ['target', 'measured', 'met'],
      results.targets.map((t) => [
        t.name,
        x(t.ratio),
        t.met === null ? 'not measured' : t.met ? 'yes' : 'no',
      ]),
    )}`,
  );
}
