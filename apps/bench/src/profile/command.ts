/**
 * `pnpm bench profile --file F[,G…] [--top N]`: where a profiled process spent its time, from
 * the `.cpuprofile` files that `--cpu-prof` writes (relay servers or browser pages).
 */
import { resolve } from 'node:path';
import { parseArgs } from '../lib/args';
import { formatTable } from '../lib/table';
import { summarise, type HotSpot } from './cpu-profile';

export const PROFILE_USAGE = `Usage: pnpm bench profile --file F[,G…] [--top N]

Summarises V8 CPU profiles (.cpuprofile, as written by \`pnpm bench relay --cpu-prof DIR\` and
\`pnpm bench browser-latency --cpu-prof DIR\`): busy and idle time, the functions with the most
self time and the most total time (with everything they called), and self time per package.
Busy time includes "(program)", native work outside JavaScript (in a page: style, layout,
paint). A page's bundle is one package: name minified functions with a build without
minification (\`vite build --minify false\`).

  --file LIST   comma-separated .cpuprofile files
  --top N       rows per table (default 25)`;

function table(title: string, spots: readonly HotSpot[], what = 'function'): string {
  const ms = (v: number): string => v.toFixed(0);
  return [
    title,
    formatTable(
      ['share', 'self ms', 'total ms', what],
      spots.map((s) => [`${(s.share * 100).toFixed(1)} %`, ms(s.selfMs), ms(s.totalMs), s.name]),
    ),
  ].join('\n');
}

export function runProfile(argv: readonly string[]): void {
  const args = parseArgs(argv, { flags: [], valued: ['file', 'top'] });
  const files = (args.values.get('file') ?? '').split(',').filter((f) => f !== '');
  if (files.length === 0) throw new Error(`--file is required\n\n${PROFILE_USAGE}`);
  const top = Number(args.values.get('top') ?? 25);
  if (!Number.isInteger(top) || top < 1) throw new Error('--top must be a positive integer');
  for (const file of files) {
    const summary = summarise(resolve(file), top);
    const unknown =
      summary.unknownSamples > 0 ? `, ${summary.unknownSamples} samples of unknown nodes` : '';
    console.log(
      `\n${file}: busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms${unknown}\n`,
    );
    console.log(table('By self time', summary.bySelf));
    console.log(`\n${table('By total time', summary.byTotal)}`);
    console.log(`\n${table('Packages by self time', summary.packages, 'package or script')}`);
  }
}
