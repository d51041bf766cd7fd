/**
 * GitHub-style task lists (`- [ ] to do`, `- [x] done`) for markdown-it, with the exact place
 * in the source of each box's mark, so that ticking a box in the preview can tick it in the
 * text. A list item is a task when its first paragraph starts with `[ ]`, `[x]` or `[X]`
 * followed by a space or the end of the line, as on GitHub.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

export interface TaskMarker {
  /** Offset in the source of the character between the brackets (` `, `x` or `X`). */
  readonly offset: number;
  readonly checked: boolean;
  /** Zero-based source line of the item's paragraph. */
  readonly line: number;
}

/** What the renderer collects while rendering one source: its tasks, in document order. */
export type TaskEnv = { tasks: TaskMarker[] };

/**
 * The start of a task item's first line up to its opening bracket: indentation, blockquote
 * marks and list bullets (`-`, `*`, `+`, `1.`, `1)`), as many as are nested on the line.
 */
const TASK_LINE = /^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t])))*[ \t]*\[([ xX])\](?=[ \t]|$)/;
const TASK_TEXT = /^\[([ xX])\](?:[ \t]+|$)/;

/**
 * Finds the task mark on `lineText` (one source line): the offset, within the line, of the
 * character between the brackets, or null when the line does not start a task item.
 */
export function taskMarkOnLine(lineText: string): number | null {
  const match = TASK_LINE.exec(lineText);
  return match ? match[0].length - 2 : null;
}

/**
 * The markdown-it plugin. `key` is written on every checkbox it renders, so the sanitiser
 * can tell them from `<input>` tags written into the document as raw HTML.
 */
export function taskLists(md: MarkdownIt, key: string): void {
  md.core.ruler.after('inline', 'weft_task_lists', (state: StateCore) => {
    const env = state.env as Partial<TaskEnv>;
    const tasks = (env.tasks ??= []);
    const lineStarts = lineStartOffsets(state.src);
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      const inline = tokens[i];
      if (
        inline?.type !== 'inline' ||
        tokens[i - 1]?.type !== 'paragraph_open' ||
        tokens[i - 2]?.type !== 'list_item_open'
      ) {
        continue;
      }
      const task = taskAt(state.src, lineStarts, inline);
      if (task === null) continue;
      const first = inline.children?.[0];
      if (first?.type !== 'text') continue;
      const marker = TASK_TEXT.exec(first.content);
      if (marker === null) continue;
      first.content = first.content.slice(marker[0].length);

      const index = tasks.length;
      tasks.push(task);
      const box = new state.Token('html_inline', '', 0);
      const label = md.utils.escapeHtml(plainText(inline.children ?? []).trim() || 'Task');
      box.content =
        `<input type="checkbox" class="task-checkbox" data-task="${index}"` +
        ` data-task-key="${key}" aria-label="${label}"${task.checked ? ' checked' : ''}> `;
      inline.children?.unshift(box);
      tokens[i - 2]?.attrJoin('class', 'task-list-item');
      parentList(tokens, i - 2)?.attrJoin('class', 'contains-task-list');
    }
  });
}

function taskAt(source: string, lineStarts: readonly number[], inline: Token): TaskMarker | null {
  const line = inline.map?.[0];
  if (line === undefined) return null;
  const start = lineStarts[line];
  if (start === undefined) return null;
  const end = lineStarts[line + 1] ?? source.length;
  const lineText = source.slice(start, end).replace(/\r?\n$/, '');
  const mark = taskMarkOnLine(lineText);
  if (mark === null) return null;
  return { offset: start + mark, checked: lineText[mark] !== ' ', line };
}

function lineStartOffsets(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function parentList(tokens: readonly Token[], itemIndex: number): Token | null {
  const level = (tokens[itemIndex]?.level ?? 0) - 1;
  for (let i = itemIndex - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token?.level === level && token.type.endsWith('_list_open')) return token;
  }
  return null;
}

function plainText(children: readonly Token[]): string {
  return children
    .map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : ''))
    .join('');
}
