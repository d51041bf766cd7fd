/**
 * The relay's options in words: `--help` text and the README's Configuration tables, both
 * rendered from the option table, plus splicing those tables into README.md between its
 * marker comments.
 */
import { OPTION_SECTIONS, type OptionSection, type RelayOption } from './relay-option-kinds';
import { RELAY_OPTIONS } from './relay-option-table';

/** The command that rewrites README.md's tables; error messages name it. */
export const OPTIONS_TABLE_COMMAND = 'pnpm --filter @weft/relay options-table';

const README_START = '<!-- relay-options:start';
const README_END = '<!-- relay-options:end -->';

const TOKEN_USAGE =
  'token --doc NAME|PREFIX* --role read|write [--ttl 1h] [--sub ID] [--name NAME]\n' +
  '        [--private-key-file FILE [--kid KID]] [--iss ISS] [--aud AUD]';

type AnyOption = RelayOption<unknown>;

function bySection(): [OptionSection, AnyOption[]][] {
  const options: AnyOption[] = Object.values(RELAY_OPTIONS);
  return Object.keys(OPTION_SECTIONS).map((key) => {
    const section = key as OptionSection;
    return [section, options.filter((option) => option.section === section)];
  });
}

/** How the variable is written: a switch shows the value that turns it on. */
function envSetting(option: AnyOption): string | null {
  if (option.env === null) return null;
  return option.kind.type === 'switch' ? `${option.env}=1` : option.env;
}

export function renderHelp(): string {
  const flagOf = (option: AnyOption): string =>
    option.valueName === null ? `--${option.flag}` : `--${option.flag} ${option.valueName}`;
  const width = Math.max(...Object.values(RELAY_OPTIONS).map((option) => flagOf(option).length));
  const indent = ' '.repeat(2 + width + 2);
  const lines = [
    'Usage: weft-relay [options]',
    `       weft-relay ${TOKEN_USAGE}`,
    '',
    'Every option is a flag or an environment variable; a flag overrides its variable,',
    'and an empty variable counts as unset.',
  ];
  for (const [section, options] of bySection()) {
    lines.push('', `${OPTION_SECTIONS[section]}:`);
    for (const option of options) {
      const env = envSetting(option);
      const where = env === null ? 'flag only' : `env ${env}`;
      lines.push(
        `  ${flagOf(option).padEnd(width)}  ${option.meaning}`,
        `${indent}${where}, default ${option.shownDefault.text}`,
      );
    }
  }
  lines.push(
    '',
    `  ${'--help'.padEnd(width)}  print this help`,
    '',
    'Commands:',
    `  ${TOKEN_USAGE}`,
    `${indent}print a signed access token, its jti and a share link (signed with`,
    `${indent}WEFT_AUTH_SECRET, or with the private key in --private-key-file)`,
    '',
  );
  return lines.join('\n');
}

/** Markdown cell text: a pipe would end the cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** A table aligned the way prettier aligns one, so that `prettier --check` accepts it as is. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** The README's Configuration tables, one per section. */
export function renderReadmeTables(): string {
  return bySection()
    .map(([section, options]) => {
      const rows = options.map((option) => {
        const env = envSetting(option);
        const shown = option.shownDefault;
        return [
          `\`--${option.flag}\``,
          env === null ? 'flag only' : `\`${env}\``,
          shown.literal ? `\`${shown.text}\`` : cell(shown.text),
          cell(option.meaning),
        ];
      });
      const table = markdownTable(['flag', 'environment', 'default', 'meaning'], rows);
      return `**${OPTION_SECTIONS[section]}**\n\n${table}`;
    })
    .join('\n\n');
}

/** Where the generated part of a README starts and ends, or an error saying what is missing. */
function markerSpan(readme: string): { start: number; end: number } {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(
      `README.md has no relay options section: it needs a line starting with "${README_START}" ` +
        `and, after it, a line "${README_END}"`,
    );
  }
  const startLineEnd = readme.indexOf('\n', start);
  return { start: startLineEnd + 1, end };
}

/** The text between the README's markers, as it stands. */
export function readmeOptionsSection(readme: string): string {
  const { start, end } = markerSpan(readme);
  return readme.slice(start, end);
}

/** The text that belongs between the markers. */
export function expectedOptionsSection(): string {
  return `\n${renderReadmeTables()}\n\n`;
}

/** The README with its options tables replaced by freshly rendered ones. */
export function readmeWithOptions(readme: string): string {
  const { start, end } = markerSpan(readme);
  return readme.slice(0, start) + expectedOptionsSection() + readme.slice(end);
}
