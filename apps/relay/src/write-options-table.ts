/**
 * `pnpm --filter @weft/relay options-table`: rewrites the options tables in README.md from
 * the relay's option table (relay-option-table.ts), between the README's marker comments.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readmeWithOptions } from './relay-option-docs';

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const readme = readFileSync(readmePath, 'utf8');
const updated = readmeWithOptions(readme);
if (updated === readme) {
  process.stdout.write('README.md: relay options table already up to date\n');
} else {
  writeFileSync(readmePath, updated);
  process.stdout.write('README.md: relay options table rewritten\n');
}
