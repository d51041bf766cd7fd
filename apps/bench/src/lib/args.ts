/** A minimal argument parser: `--flag`, `--key value` and `--key=value`; nothing else. */
export interface ParsedArgs {
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, string>;
}

/**
 * Parses `argv` (after the subcommand). `valued` lists the options that take a value; anything
 * unknown is an error, so a typo never silently runs the wrong benchmark.
 */
export function parseArgs(
  argv: readonly string[],
  known: { flags: readonly string[]; valued: readonly string[] },
): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (known.valued.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') throw new Error(`--${name} needs a value`);
      values.set(name, value);
    } else if (known.flags.includes(name) && inline === undefined) {
      flags.add(name);
    } else {
      throw new Error(`Unknown option --${name}`);
    }
  }
  return { flags, values };
}
