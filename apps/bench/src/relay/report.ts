/** Terminal tables and the SVG chart for relay.json. */
import { barChart, lineChart, svgDocument } from '../lib/svg';
import { fmt, formatTable, type Cell } from '../lib/table';
import type { ServerRun } from './load-run';
import { median, type LoadPreset, type RelayResults, type SaturationPreset } from './results';
import { SERVER_NAMES, type ServerName } from './servers';

const ms = (v: number | null): Cell =>
  v === null ? 'undelivered' : Number(v.toFixed(v < 10 ? 2 : 1));
const yes = (v: boolean | null): string => (v === null ? '-' : v ? 'yes' : 'NO');

function converged(run: ServerRun): string {
  const c = run.convergence;
  const ok = c.replicas && c.lightReaders && c.freshClients;
  return `${ok ? 'yes' : 'NO'}${c.afterRestart === null ? '' : c.afterRestart ? ' (+restart)' : ' (restart: NO)'}`;
}

function loadTable(name: string, preset: LoadPreset): string {
  const s = preset.settings;
  const rows = SERVER_NAMES.flatMap((server) => {
    const run = preset.runs[server];
    if (!run) return [];
    const st = run.step;
    return [
      [
        server,
        Math.round(st.achievedEditsPerSecond),
        Math.round(st.deliveredPerSecond),
        ms(st.fanoutMs.p50),
        ms(st.fanoutMs.p95),
        ms(st.fanoutMs.p99),
        ms(st.fanoutMs.max),
        `${fmt(st.serverCpuSeconds, 2)} (${fmt(st.serverCores, 2)})`,
        st.deliveredPerSecond > 0 ? fmt((st.serverCores / st.deliveredPerSecond) * 1e6, 1) : '-',
        Number((st.serverRssBytes / 2 ** 20).toFixed(1)),
        Number((run.rssPerConnectionBytes / 1024).toFixed(1)),
        Math.round(run.connectMs),
        st.undelivered,
        converged(run),
        `${fmt(st.generatorCores, 2)} / ${fmt(st.generatorLoopDelayP99Ms, 1)}`,
        fmt(st.otherCores, 2),
        st.savedAckMs ? `${String(ms(st.savedAckMs.p50))} / ${String(ms(st.savedAckMs.p99))}` : '-',
        preset.repeats?.[server]?.p99Ms.map((v) => (v === null ? 'x' : fmt(v, 1))).join(' ') ?? '-',
      ] as Cell[],
    ];
  });
  return [
    `${name}: ${s.rooms} rooms x ${s.clientsPerRoom} clients (${s.writersPerRoom} writers, ${s.realReadersPerRoom} real reader${s.realReadersPerRoom === 1 ? '' : 's'} per room), ${fmt(s.editsPerSecond)} edits/s, ${s.windowMs / 1000} s measured after ${s.warmupMs / 1000} s warm-up`,
    formatTable(
      [
        'server',
        'edits/s',
        'delivered/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        'CPU s (cores)',
        'CPU µs/update',
        'RSS MB',
        'RSS/conn KB',
        'connect ms',
        'undelivered',
        'converged',
        'gen cores / lag p99 ms',
        'other cores',
        'save ack p50 / p99 ms',
        'p99 of each run ms',
      ],
      rows,
    ),
  ].join('\n');
}

function saturationTable(name: string, preset: SaturationPreset): string {
  const s = preset.settings;
  const rows = SERVER_NAMES.flatMap((server) => {
    const run = preset.runs[server];
    if (!run) return [];
    const steps = run.steps
      .map(
        (st) =>
          `${fmt(st.offeredEditsPerSecond, 0)}:${st.fanoutMs.p99 === null ? 'x' : fmt(st.fanoutMs.p99, 0)}${st.sustained ? '' : '!'}${st.generatorLimited ? 'g' : ''}`,
      )
      .join(' ');
    return [[server, run.maxSustainedEditsPerSecond, run.capped ? 'yes' : 'no', steps] as Cell[]];
  });
  return [
    `${name}: ${s.rooms} rooms x ${s.clientsPerRoom} clients, rate x${s.factor} from ${fmt(s.startRate)} edits/s until p99 > ${s.p99LimitMs} ms, then ${s.bisections} bisections (${s.windowMs / 1000} s windows)`,
    formatTable(
      [
        'server',
        'max sustained edits/s',
        'capped',
        'steps (edits/s:p99 ms, ! = not sustained, g = generator busy)',
      ],
      rows,
    ),
  ].join('\n');
}

export interface TargetRow {
  readonly target: string;
  readonly weft: number | null;
  readonly reference: number | null;
  readonly ratio: number | null;
  readonly goal: string;
  readonly met: boolean | null;
}

/** The targets for Weft against the y-websocket server (medium and saturation). */
export function targets(results: RelayResults): TargetRow[] {
  const medium = results.presets.medium;
  const sat = results.presets.saturation;
  const rows: TargetRow[] = [];
  const ratio = (a: number | null, b: number | null): number | null =>
    a === null || b === null || b === 0 ? null : a / b;
  if (medium?.kind === 'load') {
    const w = medium.runs.weft;
    const y = medium.runs['y-websocket'];
    // Repeated runs compare medians; a single run compares itself.
    const rw = medium.repeats?.weft;
    const ry = medium.repeats?.['y-websocket'];
    const p99w = rw ? median(rw.p99Ms) : (w?.step.fanoutMs.p99 ?? null);
    const p99y = ry ? median(ry.p99Ms) : (y?.step.fanoutMs.p99 ?? null);
    const r1 = ratio(p99w, p99y);
    rows.push({
      target: 'medium p99 fan-out (ms)',
      weft: p99w,
      reference: p99y,
      ratio: r1,
      goal: '<= 0.5',
      met: r1 === null ? null : r1 <= 0.5,
    });
    // Server CPU per delivered update (µs), from the runs shown: the servers deliver the same
    // updates, so this compares how much work each does for them.
    const perUpdate = (run: typeof w): number | null =>
      run && run.step.deliveredPerSecond > 0
        ? (run.step.serverCores / run.step.deliveredPerSecond) * 1e6
        : null;
    const cw = perUpdate(w);
    const cy = perUpdate(y);
    const r0 = ratio(cw, cy);
    rows.push({
      target: 'medium server CPU per delivered update (µs)',
      weft: cw,
      reference: cy,
      ratio: r0,
      goal: '<= 0.6',
      met: r0 === null ? null : r0 <= 0.6,
    });
    const mw = rw ? median(rw.rssPerConnectionBytes) : (w?.rssPerConnectionBytes ?? null);
    const my = ry ? median(ry.rssPerConnectionBytes) : (y?.rssPerConnectionBytes ?? null);
    const r2 = ratio(mw, my);
    rows.push({
      target: 'medium RSS per connection (bytes)',
      weft: mw,
      reference: my,
      ratio: r2,
      goal: '<= 1',
      met: r2 === null ? null : r2 <= 1,
    });
  }
  if (sat?.kind === 'saturation') {
    const sw = sat.runs.weft?.maxSustainedEditsPerSecond ?? null;
    const sy = sat.runs['y-websocket']?.maxSustainedEditsPerSecond ?? null;
    const r = ratio(sw, sy);
    rows.push({
      target: 'saturation edits/s (p99 <= 100 ms)',
      weft: sw,
      reference: sy,
      ratio: r,
      goal: '>= 1.5',
      met: r === null ? null : r >= 1.5,
    });
  }
  return rows;
}

export function formatReport(results: RelayResults, quick = false): string {
  const parts: string[] = [];
  for (const [name, preset] of Object.entries(results.presets)) {
    parts.push(preset.kind === 'load' ? loadTable(name, preset) : saturationTable(name, preset));
  }
  const rows = quick ? [] : targets(results);
  if (rows.length > 0) {
    parts.push(
      [
        'Targets (Weft vs the y-websocket server)',
        formatTable(
          ['target', 'weft', 'y-websocket', 'ratio', 'goal', 'met'],
          rows.map((r) => [
            r.target,
            r.weft === null ? '-' : Number(r.weft.toFixed(1)),
            r.reference === null ? '-' : Number(r.reference.toFixed(1)),
            r.ratio === null ? '-' : Number(r.ratio.toFixed(2)),
            r.goal,
            yes(r.met),
          ]),
        ),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

export function renderChart(results: RelayResults): string {
  const loads = Object.entries(results.presets).filter(
    (e): e is [string, LoadPreset] => e[1].kind === 'load',
  );
  const sat = Object.values(results.presets).find(
    (p): p is SaturationPreset => p.kind === 'saturation',
  );
  const servers = SERVER_NAMES.filter(
    (s) => loads.some(([, p]) => p.runs[s]) || sat?.runs[s] !== undefined,
  );
  const groups = loads.map(([name]) => name);
  const series = (value: (run: ServerRun) => number | null) =>
    servers.map((server: ServerName) => ({
      name: server,
      values: loads.map(([, preset]) => {
        const run = preset.runs[server];
        return run ? value(run) : null;
      }),
    }));
  const W = 420;
  const H = 260;
  const panel = (i: number) => ({
    x: (i % 2) * (W + 10) + 10,
    y: Math.floor(i / 2) * (H + 10) + 10,
    width: W,
    height: H,
  });
  const charts = [
    barChart(panel(0), {
      title: 'Fan-out latency p99 (ms, lower is better)',
      yLabel: 'ms',
      groups,
      series: series((r) => r.step.fanoutMs.p99),
      log: true,
    }),
    barChart(panel(1), {
      title: 'Delivered updates per second',
      yLabel: 'updates/s',
      groups,
      series: series((r) => r.step.deliveredPerSecond),
      log: false,
    }),
    barChart(panel(2), {
      title: 'Server CPU (cores busy during the window)',
      yLabel: 'cores',
      groups,
      series: series((r) => r.step.serverCores),
      log: false,
    }),
    barChart(panel(3), {
      title: 'Server RSS per connection (KB)',
      yLabel: 'KB',
      groups,
      series: series((r) => r.rssPerConnectionBytes / 1024),
      log: false,
    }),
  ];
  if (sat) {
    charts.push(
      barChart(panel(4), {
        title: 'Saturation: highest sustained edits/s (p99 <= 100 ms)',
        yLabel: 'edits/s',
        groups: [`${sat.settings.rooms} x ${sat.settings.clientsPerRoom}`],
        series: servers.map((s) => ({
          name: s,
          values: [sat.runs[s]?.maxSustainedEditsPerSecond ?? null],
        })),
        log: false,
      }),
    );
    const xs = [
      ...new Set(
        servers.flatMap((s) => sat.runs[s]?.steps.map((st) => st.offeredEditsPerSecond) ?? []),
      ),
    ].sort((a, b) => a - b);
    charts.push(
      lineChart(panel(5), {
        title: 'Saturation: p99 fan-out vs offered rate',
        xLabel: 'edits/s offered',
        yLabel: 'p99 ms',
        xs,
        series: servers.map((s) => ({
          name: s,
          values: xs.map(
            (x) =>
              sat.runs[s]?.steps.find((st) => st.offeredEditsPerSecond === x)?.fanoutMs.p99 ?? null,
          ),
        })),
        logX: true,
        logY: true,
      }),
    );
  }
  const rowsOfPanels = Math.ceil(charts.length / 2);
  return svgDocument(
    2 * W + 30,
    rowsOfPanels * (H + 10) + 10,
    'Weft relay vs y-websocket and Hocuspocus',
    charts,
  );
}
