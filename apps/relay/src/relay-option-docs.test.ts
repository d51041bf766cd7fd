import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import {
  expectedOptionsSection,
  OPTIONS_TABLE_COMMAND,
  readmeOptionsSection,
  readmeWithOptions,
  renderReadmeTables,
} from './relay-option-docs';
import { RELAY_OPTIONS } from './relay-option-table';

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe("README's relay options", () => {
  it('match the option table', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(
      readmeOptionsSection(readme),
      `README.md's Configuration tables differ from apps/relay/src/relay-option-table.ts: ` +
        `run \`${OPTIONS_TABLE_COMMAND}\` (and edit the option table, not the README)`,
    ).toBe(expectedOptionsSection());
  });

  it('list every flag and variable', () => {
    const tables = renderReadmeTables();
    for (const option of Object.values(RELAY_OPTIONS)) {
      expect(tables).toContain(`| \`--${option.flag}\``);
      if (option.env !== null) expect(tables).toContain(`\`${option.env}`);
    }
  });

  it('are rendered the way prettier formats them, so `prettier --check` passes', async () => {
    const options = (await resolveConfig(readmePath)) ?? {};
    const tables = renderReadmeTables();
    expect(await format(tables, { ...options, parser: 'markdown' })).toBe(`${tables}\n`);
  });

  it('are spliced in between the markers, leaving the rest of the README alone', () => {
    const start = '# Title\n\nintro\n\n<!-- relay-options:start: generated -->\n';
    const end = '<!-- relay-options:end -->\n\n## Next\n';
    const spliced = readmeWithOptions(`${start}stale\n${end}`);
    expect(spliced).toBe(`${start}${expectedOptionsSection()}${end}`);
    expect(readmeWithOptions(spliced)).toBe(spliced);
  });

  it('say what is missing when the README has no markers', () => {
    expect(() => readmeWithOptions('# Weft\n')).toThrow(/relay-options:start/);
    expect(() =>
      readmeWithOptions('<!-- relay-options:end -->\n<!-- relay-options:start -->\n'),
    ).toThrow(/no relay options section/);
  });
});
