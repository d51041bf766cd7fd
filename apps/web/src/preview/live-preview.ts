/**
 * Keeps a preview element rendered from the shared text as anyone types: renders are
 * coalesced (at most one per RENDER_DELAY_MS, also while someone types without pausing), and
 * ticking a task checkbox edits the text (toggle-task.ts). A checkbox that had keyboard focus
 * keeps it across the re-render its own tick causes.
 */
import type * as Y from 'yjs';
import type { EditorController } from '../editor/editor-controller';
import { renderMarkdown } from './render-markdown';
import { anchorTasks } from './toggle-task';

export const RENDER_DELAY_MS = 120;

export class LivePreview {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private anchors: Y.RelativePosition[] = [];
  private readonly unsubscribeReadOnly: () => void;

  constructor(
    private readonly host: HTMLElement,
    private readonly controller: EditorController,
    /** Called after each render (the scroll sync re-measures). */
    private readonly onRendered: () => void,
  ) {
    controller.text.observe(this.schedule);
    this.unsubscribeReadOnly = controller.readOnly.subscribe(this.schedule);
    host.addEventListener('change', this.onChange);
    this.render();
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.controller.text.unobserve(this.schedule);
    this.unsubscribeReadOnly();
    this.host.removeEventListener('change', this.onChange);
  }

  private readonly schedule = (): void => {
    this.timer ??= setTimeout(() => this.render(), RENDER_DELAY_MS);
  };

  private render(): void {
    this.timer = null;
    const text = this.controller.text;
    const { fragment, tasks } = renderMarkdown(text.toString());
    // Anchored now, while the text is exactly what was rendered.
    this.anchors = anchorTasks(text, tasks);
    const readOnly = this.controller.readOnly.getSnapshot();
    for (const box of fragment.querySelectorAll<HTMLInputElement>('input.task-checkbox')) {
      box.disabled = readOnly;
    }
    const focused = this.focusedTask();
    if (fragment.childNodes.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'preview-empty';
      empty.textContent = 'Nothing to preview yet.';
      fragment.append(empty);
    }
    this.host.replaceChildren(fragment);
    if (focused !== null) {
      this.host.querySelector<HTMLElement>(`input.task-checkbox[data-task="${focused}"]`)?.focus();
    }
    this.onRendered();
  }

  private focusedTask(): string | null {
    const active = document.activeElement;
    return active instanceof HTMLInputElement && this.host.contains(active)
      ? (active.dataset.task ?? null)
      : null;
  }

  private readonly onChange = (event: Event): void => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains('task-checkbox')) return;
    const anchor = this.anchors[Number(box.dataset.task)];
    if (anchor === undefined || !this.controller.setTask(anchor, box.checked)) {
      // The task is gone or the text cannot be edited: show the text's truth again.
      this.render();
    }
  };
}
