/** The history benchmark's terminal table and chart. */
import { median } from '../lib/measure';
import { barChart, lineChart, svgDocument } from '../lib/svg';
import { fmt, formatTable, type Cell } from '../lib/table';
import type { HistoryResults } from './command';

const kib = (bytes: number): number => Number((bytes / 1024).toFixed(1));
const ms = (value: number): number => Number(value.toFixed(value < 10 ? 2 : 0));

export function historyReport(results: HistoryResults): string {
  const t = results.trace;
  const sizes: Cell[][] = results.runs.map((run) => [
    run.store,
    run.checkpoints,
    kib(run.bytes.min),
    kib(run.bytes.median),
    kib(run.bytes.max),
    Number((run.bytes.total / 2 ** 20).toFixed(2)),
  ]);
  const times: Cell[][] = results.runs.map((run) => [
    run.store,
    `${ms(run.logFlushMs.median)} (${ms(run.logFlushMs.max)})`,
    `${ms(run.takeMs.median)} (${ms(run.takeMs.max)})`,
    ms(run.listMs),
    `${ms(run.readMs.median)} (${ms(run.readMs.max)})`,
    ms(run.readLastMs),
    run.restores
      .map((r) => `#${r.checkpoint} ${fmt(r.fromChars)}→${fmt(r.restoredChars)}: ${ms(r.ms)}`)
      .join(', '),
  ]);
  return [
    `history: ${t.name}, ${fmt(t.edits)} edits, ${fmt(t.finalChars)} characters, a checkpoint every ${fmt(results.every)} edits`,
    formatTable(['store', 'checkpoints', 'min KiB', 'median KiB', 'max KiB', 'total MiB'], sizes),
    '',
    formatTable(
      [
        'store',
        'log write ms median (max)',
        'take ms median (max)',
        'list ms',
        'read ms median (max)',
        'read last ms',
        'restore ms (checkpoint chars→chars)',
      ],
      times,
    ),
  ].join('\n');
}

export function historyChart(results: HistoryResults): string {
  const W = 440;
  const H = 280;
  // The checkpoints are the same bytes in every store: one line, against the edits replayed,
  // at about a dozen evenly spaced checkpoints so that the axis labels stay readable.
  const bytes = results.runs[0]?.perCheckpointBytes ?? [];
  const step = Math.max(1, Math.ceil(bytes.length / 12));
  const picked = bytes.map((_, i) => i).filter((i) => i % step === 0 || i === bytes.length - 1);
  const xs = picked.map((i) => Math.min((i + 1) * results.every, results.trace.edits));
  const groups = ['take (median)', 'list all', 'read (median)', 'read last', 'restore (median)'];
  return svgDocument(2 * W + 30, H + 20, 'Version history checkpoints of automerge-paper', [
    lineChart(
      { x: 10, y: 10, width: W, height: H },
      {
        title: `Bytes per checkpoint (one every ${fmt(results.every)} edits)`,
        xLabel: 'edits replayed',
        yLabel: 'KiB',
        xs,
        series: [{ name: 'checkpoint', values: picked.map((i) => kib(bytes[i] ?? 0)) }],
        logX: false,
        logY: false,
      },
    ),
    barChart(
      { x: W + 20, y: 10, width: W, height: H },
      {
        title: 'Time (ms, log scale)',
        yLabel: 'ms',
        groups,
        series: results.runs.map((run) => ({
          name: run.store,
          values: [
            run.takeMs.median,
            run.listMs,
            run.readMs.median,
            run.readLastMs,
            run.restores.length > 0 ? median(run.restores.map((r) => r.ms)) : null,
          ],
        })),
        log: true,
      },
    ),
  ]);
}
