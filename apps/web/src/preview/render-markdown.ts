/**
 * Markdown to safe DOM for the preview: GitHub-flavoured Markdown (tables, task lists,
 * strikethrough, autolinked URLs) rendered by markdown-it, then sanitised (sanitize.ts).
 * Each block carries its source line (`data-line`) for scroll sync, and each task checkbox
 * its index into `tasks`, which says where its mark is in the source.
 */
import MarkdownIt from 'markdown-it';
import { gfmAutolinks } from './autolinks';
import { TASK_KEY, sanitize } from './sanitize';
import { alignmentClasses, sourceLines } from './source-lines';
import { taskLists, type TaskEnv, type TaskMarker } from './task-lists';

export type { TaskMarker } from './task-lists';

export interface RenderedMarkdown {
  readonly fragment: DocumentFragment;
  readonly tasks: readonly TaskMarker[];
}

const md = new MarkdownIt({ html: true, linkify: true, typographer: false })
  .use(gfmAutolinks)
  .use(taskLists, TASK_KEY)
  .use(sourceLines)
  .use(alignmentClasses);

export function renderMarkdown(source: string): RenderedMarkdown {
  const env: TaskEnv = { tasks: [] };
  const html = md.render(source, env);
  return { fragment: sanitize(html), tasks: env.tasks };
}
