/** Turning results into the printed tables and the SVG chart. */
import { barChart, lineChart, svgDocument, type Panel } from '../lib/svg';
import { fmt, formatTable } from '../lib/table';
import type { OtVsCrdtResults } from './results';

const kb = (bytes: number): number => bytes / 1024;
const yesNo = (v: boolean | null): string => (v === null ? 'n/a' : v ? 'yes' : 'NO');

export function formatReport(r: OtVsCrdtResults): string {
  const e = r.environment;
  const load = (l: readonly number[]): string => l.map((v) => v.toFixed(1)).join(' ');
  const out: string[] = [
    `Node ${e.node}, ${e.cpu} (${e.cpus} cores), yjs ${e.versions.yjs ?? '?'}, ` +
      `ot-text-unicode ${e.versions['ot-text-unicode'] ?? '?'}; load average ${load(e.loadAverageAtStart)} ` +
      `at start, ${load(e.loadAverageAtEnd)} at end`,
  ];
  const section = (title: string, table: string): void => {
    out.push('', `## ${title}`, '', table);
  };

  section(
    'Sequential replay (CPU time for the whole trace; txns/s from CPU time; wall-clock for reference)',
    formatTable(
      ['trace', 'txns', 'implementation', 'CPU ms', 'txns/s', 'wall ms', 'runs', 'correct'],
      r.sequential.flatMap((s) =>
        s.runs.map((run) => [
          s.trace,
          s.txns,
          run.impl,
          run.ms,
          Math.round(run.txnsPerSec),
          run.wallMs,
          run.runs,
          yesNo(run.correct),
        ]),
      ),
    ),
  );
  section(
    'Sizes after sequential replay',
    formatTable(
      [
        'trace',
        'final chars',
        'final KiB (UTF-8)',
        'Yjs state KiB (V1)',
        'Yjs state KiB (V2)',
        'OT history KiB (JSON)',
      ],
      r.sequential.map((s) => [
        s.trace,
        s.finalChars,
        kb(s.finalUtf8Bytes),
        kb(s.yjsStateBytes),
        kb(s.yjsStateBytesV2),
        kb(s.otHistoryJsonBytes),
      ]),
    ),
  );
  section(
    'Concurrent traces',
    formatTable(
      [
        'trace',
        'txns',
        'concurrent',
        'Yjs CPU ms',
        'Yjs merge CPU ms',
        'Yjs = end',
        'OT replayed',
        'OT skipped',
        'OT CPU ms',
        'OT = end',
        'OT stops',
      ],
      r.concurrent.map((c) => [
        c.trace,
        c.txns,
        c.concurrentTxns,
        c.yjs.replayMs,
        c.yjs.mergeMs,
        yesNo(c.yjs.matchesEndContent),
        c.ot.replayedTxns,
        c.ot.skippedTxns,
        c.ot.ms,
        yesNo(c.ot.matchesEndContent),
        Object.entries(c.ot.stopKinds)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none',
      ]),
    ),
  );
  for (const c of r.concurrent) {
    const first = c.ot.stops[0];
    if (first)
      out.push(
        '',
        `First OT stop in ${c.trace}: ${first.reason} (resumed at txn ${first.resumeAt})`,
      );
  }
  section(
    `Offline divergence (two replicas, n edits each, base ${fmt(r.offline.baseChars, 0)} chars)`,
    formatTable(
      ['n', 'side', 'edit CPU ms', 'reconcile CPU ms', 'bytes', 'messages', 'converged'],
      r.offline.points.flatMap((p) => [
        [
          p.n,
          'OT (composed)',
          p.ot.editMs,
          p.ot.reconcileMs,
          p.ot.bytes,
          p.ot.messages,
          yesNo(p.ot.converged),
        ],
        ...(p.otOpByOp
          ? [
              [
                p.n,
                'OT (op by op)',
                '-',
                p.otOpByOp.reconcileMs,
                p.otOpByOp.bytes,
                p.otOpByOp.messages,
                yesNo(p.otOpByOp.converged),
              ],
            ]
          : []),
        [
          p.n,
          'Yjs',
          p.yjs.editMs,
          p.yjs.reconcileMs,
          p.yjs.bytes,
          p.yjs.messages,
          yesNo(p.yjs.converged),
        ],
      ]),
    ),
  );
  section(
    'Growth exponent k (cost ∝ n^k) between consecutive n',
    formatTable(
      ['n', 'OT reconcile time', 'OT bytes', 'Yjs reconcile time', 'Yjs bytes'],
      r.offline.growth.map((g) => [
        `${fmt(g.from, 0)} → ${fmt(g.to, 0)}`,
        fmt(g.otReconcileMs, 2),
        fmt(g.otBytes, 2),
        fmt(g.yjsReconcileMs, 2),
        fmt(g.yjsBytes, 2),
      ]),
    ),
  );
  section(
    'Bytes on the wire per keystroke (median / mean / p95)',
    formatTable(
      ['trace', 'OT op JSON', 'OT message JSON', 'Yjs update V1', 'Yjs update V2'],
      r.wire.map((w) => [
        w.trace,
        ...[w.otOpJson, w.otMessageJson, w.yjsUpdateV1, w.yjsUpdateV2].map(
          (s) => `${fmt(s.median, 0)} / ${fmt(s.mean, 1)} / ${fmt(s.p95, 0)}`,
        ),
      ]),
    ),
  );
  section(
    'Memory after loading (KiB retained on the JS heap, after forced GC; median of 5)',
    formatTable(
      [
        'trace',
        'txns',
        'OT client',
        'OT server (+history)',
        'Yjs edited live',
        'Yjs loaded from state',
      ],
      r.memory.map((m) => [
        m.trace,
        m.txns,
        Math.round(kb(m.otClientBytes)),
        Math.round(kb(m.otServerBytes)),
        Math.round(kb(m.yjsLiveBytes)),
        Math.round(kb(m.yjsLoadedBytes)),
      ]),
    ),
  );
  return out.join('\n');
}

export function renderChart(r: OtVsCrdtResults): string {
  const W = 470;
  const H = 300;
  const panel = (col: number, row: number): Panel => ({
    x: 10 + col * (W + 10),
    y: 10 + row * (H + 10),
    width: W,
    height: H,
  });
  const traces = r.sequential.map((s) => s.trace);
  const impls = r.sequential[0]?.runs.map((run) => run.impl) ?? [];
  const ns = r.offline.points.map((p) => p.n);
  const body = [
    barChart(panel(0, 0), {
      title: 'Sequential replay: transactions per CPU second (log)',
      yLabel: 'txns/s',
      groups: traces,
      series: impls.map((impl) => ({
        name: impl,
        values: r.sequential.map(
          (s) => s.runs.find((run) => run.impl === impl)?.txnsPerSec ?? null,
        ),
      })),
      log: true,
    }),
    barChart(panel(1, 0), {
      title: 'Concurrent traces: transactions replayed',
      yLabel: 'txns',
      groups: r.concurrent.map((c) => c.trace),
      series: [
        { name: 'Yjs (all)', values: r.concurrent.map((c) => c.txns) },
        { name: 'OT: expressible', values: r.concurrent.map((c) => c.ot.replayedTxns) },
        { name: 'OT: skipped to next cut', values: r.concurrent.map((c) => c.ot.skippedTxns) },
      ],
      log: false,
    }),
    lineChart(panel(0, 1), {
      title: 'Offline divergence: reconcile CPU time (log-log)',
      xLabel: 'edits per replica (n)',
      yLabel: 'ms',
      xs: ns,
      series: [
        { name: 'OT composed', values: r.offline.points.map((p) => p.ot.reconcileMs) },
        {
          name: 'OT op by op',
          values: r.offline.points.map((p) => p.otOpByOp?.reconcileMs ?? null),
        },
        { name: 'Yjs', values: r.offline.points.map((p) => p.yjs.reconcileMs) },
      ],
      logX: true,
      logY: true,
    }),
    lineChart(panel(1, 1), {
      title: 'Offline divergence: bytes exchanged (log-log)',
      xLabel: 'edits per replica (n)',
      yLabel: 'bytes',
      xs: ns,
      series: [
        { name: 'OT composed', values: r.offline.points.map((p) => p.ot.bytes) },
        { name: 'OT op by op', values: r.offline.points.map((p) => p.otOpByOp?.bytes ?? null) },
        { name: 'Yjs', values: r.offline.points.map((p) => p.yjs.bytes) },
      ],
      logX: true,
      logY: true,
    }),
    barChart(panel(0, 2), {
      title: 'Bytes per keystroke (median)',
      yLabel: 'bytes',
      groups: r.wire.map((w) => w.trace),
      series: [
        { name: 'OT op JSON', values: r.wire.map((w) => w.otOpJson.median) },
        { name: 'OT message JSON', values: r.wire.map((w) => w.otMessageJson.median) },
        { name: 'Yjs update V1', values: r.wire.map((w) => w.yjsUpdateV1.median) },
        { name: 'Yjs update V2', values: r.wire.map((w) => w.yjsUpdateV2.median) },
      ],
      log: false,
    }),
    barChart(panel(1, 2), {
      title: 'Memory after loading (KiB retained, log)',
      yLabel: 'KiB',
      groups: r.memory.map((m) => m.trace),
      series: [
        { name: 'OT client', values: r.memory.map((m) => kb(m.otClientBytes)) },
        { name: 'OT server', values: r.memory.map((m) => kb(m.otServerBytes)) },
        { name: 'Yjs live', values: r.memory.map((m) => kb(m.yjsLiveBytes)) },
        { name: 'Yjs loaded', values: r.memory.map((m) => kb(m.yjsLoadedBytes)) },
      ],
      log: true,
    }),
  ];
  const title = `OT (@weft/ot) vs CRDT (Yjs)${r.quick ? ' — quick run' : ''}`;
  return svgDocument(2 * W + 30, 3 * H + 40, title, body);
}
