/**
 * The one change that turns a document's current text into a version's text: the common
 * prefix and suffix stay, the middle is replaced. A restore applies exactly this, in the
 * browser or on the relay, so both compute the same result; keeping the common ends (rather
 * than replacing everything) leaves the Yjs items there untouched, so cursors, authorship
 * and concurrent edits outside the changed middle survive a restore.
 *
 *   const change = textChange('alpha beta', 'alpha');  // { index: 5, remove: 5, insert: '' }
 */
export interface TextChange {
  /** UTF-16 offset where the change starts (as Y.Text and CodeMirror count). */
  readonly index: number;
  /** UTF-16 code units removed at `index`. */
  readonly remove: number;
  /** Text inserted at `index`. */
  readonly insert: string;
}

/** The change from `current` to `target`; `remove` 0 and `insert` '' when they are equal. */
export function textChange(current: string, target: string): TextChange {
  const shorter = Math.min(current.length, target.length);
  let prefix = 0;
  while (prefix < shorter && current.charCodeAt(prefix) === target.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    current.charCodeAt(current.length - 1 - suffix) ===
      target.charCodeAt(target.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Never split a surrogate pair: an emoji is removed or inserted whole.
  if (prefix > 0 && isHighSurrogate(current.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(current.charCodeAt(current.length - suffix))) suffix--;
  return {
    index: prefix,
    remove: current.length - prefix - suffix,
    insert: target.slice(prefix, target.length - suffix),
  };
}

/** True when `change` changes nothing. */
export function isNoChange(change: TextChange): boolean {
  return change.remove === 0 && change.insert === '';
}

/** What `applyContent` uses of a Y.Text (structural: this package does not load Yjs). */
export interface EditableText {
  toString(): string;
  delete(index: number, length: number): void;
  insert(index: number, text: string): void;
}

/** What `applyContent` uses of the document's `meta` Y.Map. */
export interface TitleMap {
  get(key: string): unknown;
  set(key: string, value: string): unknown;
}

/**
 * Turns `text` into `target.text` by the one textChange, and sets `meta`'s title when it
 * differs from `target.title`: a restore, in the browser or on the relay. Call it inside one
 * transaction, so the restore is one update (and one undo step).
 */
export function applyContent(
  text: EditableText,
  meta: TitleMap,
  target: { readonly text: string; readonly title: string },
): void {
  const change = textChange(text.toString(), target.text);
  if (!isNoChange(change)) {
    if (change.remove > 0) text.delete(change.index, change.remove);
    if (change.insert !== '') text.insert(change.index, change.insert);
  }
  const title = meta.get('title');
  if ((typeof title === 'string' ? title : '') !== target.title) meta.set('title', target.title);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
