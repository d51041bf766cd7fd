/**
 * A CodeMirror view bound to a document through its controller, with what every editor of a
 * document page needs: read-only access switched in place (a new token may change it), and
 * HTML inside Markdown parsed as HTML once the page is idle.
 *
 * It knows nothing of React, so that the editor can show a stored document before React has
 * rendered the page around it (see `document/early-editor.ts`), and the page then takes this
 * very view over, with its selection, focus and undo history, instead of making another.
 */
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { whenIdle } from '../lib/when-idle';
import type { EditorController } from './editor-controller';
import { collaborativeExtensions, readOnlyExtension } from './extensions';
import { loadHtmlInMarkdown } from './html-in-markdown';

export class MountedEditor {
  readonly view: EditorView;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly controller: EditorController,
    parent: HTMLElement,
  ) {
    const access = new Compartment();
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: controller.text.toString(),
        extensions: [
          access.of(readOnlyExtension(controller.readOnly.getSnapshot())),
          collaborativeExtensions(controller),
        ],
      }),
    });
    const view = this.view;
    this.cleanups.push(controller.attach(view));
    this.cleanups.push(
      controller.readOnly.subscribe(() => {
        view.dispatch({
          effects: access.reconfigure(readOnlyExtension(controller.readOnly.getSnapshot())),
        });
      }),
    );
    // If the chunk cannot load (offline before the service worker cached it), HTML inside
    // Markdown stays plain text: nothing else depends on it.
    this.cleanups.push(
      whenIdle(() => {
        loadHtmlInMarkdown().then(
          (effect) => this.destroyed || view.dispatch({ effects: effect }),
          () => undefined,
        );
      }),
    );
  }

  /**
   * Moves the editor into `parent`. Taking an element out of the document takes its focus
   * away, so an editor someone was already typing in gets it back.
   */
  moveTo(parent: HTMLElement): void {
    if (this.view.dom.parentElement === parent) return;
    const focused = this.view.hasFocus;
    parent.appendChild(this.view.dom);
    if (focused) this.view.focus();
    this.view.requestMeasure();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.view.destroy();
  }
}
