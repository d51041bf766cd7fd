/**
 * The operation format of the plain-text OT type, identical to `ot-text-unicode` (ShareDB's
 * `text-unicode`), so ops can cross the wire to any implementation of that type.
 *
 * An op is a list of components walked from the start of the document:
 * - a positive integer **retains** (skips) that many characters,
 * - a non-empty string **inserts** itself at the current position,
 * - `{ d: n }` **deletes** n characters; `{ d: "text" }` deletes exactly that text and carries
 *   what was deleted, which makes the op invertible.
 *
 * "Characters" are Unicode code points, never UTF-16 units: "😀" is one character.
 * Everything after the last component is implicitly retained, so `[]` is the no-op and the
 * canonical form drops a trailing retain (see `normalize`).
 */

/** Deletes `d` characters (a count), or exactly the text `d` (invertible form). */
export interface Delete {
  readonly d: number | string;
}

/** One step of an op: retain (number), insert (string) or delete (`{ d }`). */
export type Component = number | string | Delete;

/** A text operation. Functions accept any valid op and return normalized ones. */
export type TextOp = Component[];

/**
 * Which op wins a tie when both insert at the same position: the op transformed with `'left'`
 * ends up before the other op's insert.
 */
export type Side = 'left' | 'right';

/** A collapsed cursor (one position) or a selection `[anchor, focus]` (focus may precede anchor). */
export type Selection = number | readonly [number, number];
