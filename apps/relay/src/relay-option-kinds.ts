/**
 * The kinds of relay option. Each declaration says how the option is written (flag, variable,
 * placeholder), how its default reads in `--help` and the README, and how the text an operator
 * typed becomes a value, or a ConfigError naming the flag or variable it came from.
 *
 *   const port = integer({ flag: 'port', env: 'PORT', section: 'general',
 *     meaning: 'TCP port (0: any free port)', default: 4455, min: 0, max: 65535 });
 *   port.parse('80', 'PORT'); // 80
 */
import { resolve } from 'node:path';
import { ConfigError } from './config-error';

/** Where an option is listed in `--help` and the README, in this order. */
export const OPTION_SECTIONS = {
  general: 'General',
  storage: 'Storage',
  history: 'History',
  limits: 'Limits',
  security: 'Security',
} as const;
export type OptionSection = keyof typeof OPTION_SECTIONS;

/** What kind of text an option takes: declarative, so that docs and tests can read it. */
export type OptionKind =
  | { readonly type: 'integer'; readonly min: number; readonly max: number | null }
  | { readonly type: 'switch' }
  | { readonly type: 'text' }
  | { readonly type: 'choice'; readonly choices: readonly string[] }
  | { readonly type: 'list' }
  | { readonly type: 'path' }
  | { readonly type: 'url'; readonly schemes: readonly string[] };

export interface RelayOption<T> {
  /** Command-line name without the dashes: `port` is `--port`. */
  readonly flag: string;
  /** Environment variable, or null for an option that only a flag may set. */
  readonly env: string | null;
  readonly section: OptionSection;
  /** One line for `--help` and the README. */
  readonly meaning: string;
  readonly kind: OptionKind;
  /** The placeholder after the flag in `--help` (`N`, `DIR`); null for a switch (takes none). */
  readonly valueName: string | null;
  /** The default as an operator reads it; a `literal` one is a value, shown as code. */
  readonly shownDefault: { readonly text: string; readonly literal: boolean };
  /**
   * The value for the raw text; undefined (and, unless the kind gives empty text a meaning,
   * the empty string) means unset, so the default applies. `source` is `--port` or `PORT`,
   * whichever the text came from, so that an error names what the operator set.
   */
  readonly parse: (raw: string | undefined, source: string) => T;
}

interface Declared {
  readonly flag: string;
  readonly env: string | null;
  readonly section: OptionSection;
  readonly meaning: string;
}

/** Unset, for every kind that gives empty text no meaning: emptying a variable clears it. */
function isUnset(raw: string | undefined): raw is undefined | '' {
  return raw === undefined || raw === '';
}

/** A whole number from `min` (to `max`, when given). */
export function integer(
  declared: Declared & { readonly default: number; readonly min: number; readonly max?: number },
): RelayOption<number> {
  const { min, max } = declared;
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  return {
    ...pick(declared),
    kind: { type: 'integer', min, max: max ?? null },
    valueName: 'N',
    shownDefault: { text: String(declared.default), literal: true },
    parse(raw, source) {
      if (isUnset(raw)) return declared.default;
      // Digits only: Number() would also take ' 8 ', '1e3' and '0x10', which nobody means.
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
        throw new ConfigError(`${source} must be a whole number ${range}, got "${raw}"`);
      }
      return value;
    },
  };
}

/** Off unless set: a flag without a value, or a variable set to 1/true (0/false: off). */
export function onOff(declared: Declared): RelayOption<boolean> {
  return {
    ...pick(declared),
    kind: { type: 'switch' },
    valueName: null,
    shownDefault: { text: 'off', literal: false },
    parse(raw, source) {
      if (isUnset(raw) || raw === '0' || raw === 'false') return false;
      if (raw === '1' || raw === 'true') return true;
      throw new ConfigError(`${source} must be 1/true or 0/false, got "${raw}"`);
    },
  };
}

/** Any text, with a default. */
export function text(
  declared: Declared & { readonly valueName: string; readonly default: string },
): RelayOption<string> {
  return {
    ...pick(declared),
    kind: { type: 'text' },
    valueName: declared.valueName,
    shownDefault: { text: declared.default, literal: true },
    parse: (raw) => (isUnset(raw) ? declared.default : raw),
  };
}

/** Any text, or null when unset; `whenUnset` says what that means. */
export function optionalText(
  declared: Declared & { readonly valueName: string; readonly whenUnset: string },
): RelayOption<string | null> {
  return {
    ...pick(declared),
    kind: { type: 'text' },
    valueName: declared.valueName,
    shownDefault: { text: declared.whenUnset, literal: false },
    parse: (raw) => (isUnset(raw) ? null : raw),
  };
}

/** One of a fixed set of words. */
export function choice<const C extends string>(
  declared: Declared & {
    readonly valueName: string;
    readonly choices: readonly C[];
    readonly default: NoInfer<C>;
  },
): RelayOption<C> {
  const { choices } = declared;
  const isChoice = (raw: string): raw is C => (choices as readonly string[]).includes(raw);
  return {
    ...pick(declared),
    kind: { type: 'choice', choices },
    valueName: declared.valueName,
    shownDefault: { text: declared.default, literal: true },
    parse(raw, source) {
      if (isUnset(raw)) return declared.default;
      if (!isChoice(raw)) {
        throw new ConfigError(`${source} must be one of ${choices.join(', ')}, got "${raw}"`);
      }
      return raw;
    },
  };
}

/** Comma-separated items, blanks around them ignored; null when unset. */
export function list(
  declared: Declared & { readonly valueName: string; readonly whenUnset: string },
): RelayOption<readonly string[] | null> {
  return {
    ...pick(declared),
    kind: { type: 'list' },
    valueName: declared.valueName,
    shownDefault: { text: declared.whenUnset, literal: false },
    parse(raw) {
      if (isUnset(raw)) return null;
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      return items.length === 0 ? null : items;
    },
  };
}

/** A file system path, made absolute against the working directory at start. */
export function path(
  declared: Declared & { readonly default: string; readonly shownDefault: string },
): RelayOption<string> {
  return {
    ...pick(declared),
    kind: { type: 'path' },
    valueName: 'DIR',
    shownDefault: { text: declared.shownDefault, literal: true },
    parse: (raw) => resolve(isUnset(raw) ? declared.default : raw),
  };
}

/** A path that may be switched off: empty text (not unset) means none, which is null. */
export function pathOrNone(
  declared: Declared & { readonly default: string; readonly shownDefault: string },
): RelayOption<string | null> {
  return {
    ...pick(declared),
    kind: { type: 'path' },
    valueName: 'DIR',
    shownDefault: { text: declared.shownDefault, literal: true },
    parse(raw) {
      if (raw === '') return null;
      return resolve(raw ?? declared.default);
    },
  };
}

/** An absolute http:// or https:// URL, or null when unset. */
export function httpUrl(
  declared: Declared & { readonly whenUnset: string },
): RelayOption<string | null> {
  return {
    ...pick(declared),
    kind: { type: 'url', schemes: ['http', 'https'] },
    valueName: 'URL',
    shownDefault: { text: declared.whenUnset, literal: false },
    parse(raw, source) {
      if (isUnset(raw)) return null;
      if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
        throw new ConfigError(`${source} must be an http:// or https:// URL, got "${raw}"`);
      }
      return raw;
    },
  };
}

/** A postgres:// or postgresql:// URL, or null when unset. Errors never show the password. */
export function postgresUrl(
  declared: Declared & { readonly whenUnset: string },
): RelayOption<string | null> {
  return {
    ...pick(declared),
    kind: { type: 'url', schemes: ['postgres', 'postgresql'] },
    valueName: 'URL',
    shownDefault: { text: declared.whenUnset, literal: false },
    parse(raw, source) {
      if (isUnset(raw)) return null;
      const parsed = URL.canParse(raw) ? new URL(raw) : null;
      if (parsed === null || !/^postgres(ql)?:$/.test(parsed.protocol) || parsed.host === '') {
        const shown = raw.replace(/:[^:@/]*@/, ':***@');
        throw new ConfigError(
          `${source} must be a postgres://user:password@host:5432/database URL, got "${shown}"`,
        );
      }
      return raw;
    },
  };
}

/** A redis:// or rediss:// URL, or null when unset. Errors never show the password. */
export function redisUrl(
  declared: Declared & { readonly whenUnset: string },
): RelayOption<string | null> {
  return {
    ...pick(declared),
    kind: { type: 'url', schemes: ['redis', 'rediss'] },
    valueName: 'URL',
    shownDefault: { text: declared.whenUnset, literal: false },
    parse(raw, source) {
      if (isUnset(raw)) return null;
      const parsed = URL.canParse(raw) ? new URL(raw) : null;
      if (parsed === null || !/^rediss?:$/.test(parsed.protocol) || parsed.host === '') {
        const shown = raw.replace(/:[^:@/]*@/, ':***@');
        throw new ConfigError(`${source} must be a redis://host:6379 URL, got "${shown}"`);
      }
      return raw;
    },
  };
}

/** Only the declared fields: kind-specific ones (default, min…) stay out of the option. */
function pick(declared: Declared): Declared {
  return {
    flag: declared.flag,
    env: declared.env,
    section: declared.section,
    meaning: declared.meaning,
  };
}
