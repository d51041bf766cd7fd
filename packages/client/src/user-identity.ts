/**
 * Who this browser's user is to others: a display name and a colour, chosen once and kept in
 * local storage. New users get a friendly generated name and a colour from a palette that
 * reads well on light and dark backgrounds.
 */
export interface UserIdentity {
  readonly name: string;
  /** `#rrggbb` */
  readonly color: string;
}

export const USER_COLORS = [
  '#e5484d',
  '#f76b15',
  '#d6a100',
  '#30a46c',
  '#12a594',
  '#0090ff',
  '#6e56cf',
  '#d6409f',
] as const;

const ADJECTIVES = ['Brisk', 'Calm', 'Clever', 'Bright', 'Quiet', 'Swift', 'Keen', 'Bold'];
const ANIMALS = ['Otter', 'Heron', 'Lynx', 'Falcon', 'Badger', 'Panda', 'Fox', 'Wren'];

const STORAGE_KEY = 'weft:user';

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('cannot pick from an empty list');
  return item;
}

export function generateIdentity(random: () => number = Math.random): UserIdentity {
  return {
    name: `${pick(ADJECTIVES, random)} ${pick(ANIMALS, random)}`,
    color: pick(USER_COLORS, random),
  };
}

/** True for a usable identity: a non-empty name of at most 64 characters and a `#rrggbb` colour. */
export function isIdentity(value: unknown): value is UserIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const { name, color } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    name.trim().length > 0 &&
    name.length <= 64 &&
    typeof color === 'string' &&
    /^#[0-9a-f]{6}$/i.test(color)
  );
}

/** The stored identity, or a new generated one (stored for next time). */
export function loadIdentity(storage: Pick<Storage, 'getItem' | 'setItem'>): UserIdentity {
  try {
    const stored: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    if (isIdentity(stored)) return stored;
  } catch {
    // A corrupt entry is replaced below.
  }
  const identity = generateIdentity();
  saveIdentity(storage, identity);
  return identity;
}

export function saveIdentity(storage: Pick<Storage, 'setItem'>, identity: UserIdentity): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(identity));
  } catch {
    // Storage can be full or disabled (private mode); the identity still works for this tab.
  }
}
