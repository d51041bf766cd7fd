/**
 * What a document's page looks like before React has rendered it: the same elements with the
 * same classes as `EditorPage` (sticky header, toolbar row, page, keyboard hint, editor host),
 * so that an editor shown in it sits exactly where the page will hold it. The header's
 * controls are not there yet; an invisible button in each row gives the rows the height the
 * controls will give them, and the header is as tall as the page's was last time at this
 * window width (`header-height.ts`): on a narrow screen the controls wrap onto more rows.
 *
 * The stand-in is a placeholder for sighted users only: its header is inert and hidden from
 * assistive technology, and the editor in it is the real one, which the page takes over.
 */
import { KEYBOARD_HINT_ID } from '../editor/extensions';
import { STICKY_HEADER_CLASS } from '../editor/sticky-header';
import { rememberedHeaderHeight } from './header-height';

export interface PageStandIn {
  /** The stand-in's outermost element, to put in the document (and take out). */
  readonly element: HTMLElement;
  /** Where the editor goes. */
  readonly editorHost: HTMLElement;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.className = className;
  made.append(...children);
  return made;
}

/** A control's box, invisible: it holds its row at the height the real controls give it. */
function rowHeight(className: string): HTMLElement {
  const placeholder = element('span', className);
  placeholder.style.visibility = 'hidden';
  placeholder.style.display = 'inline-flex';
  placeholder.textContent = '\u00a0';
  return placeholder;
}

/** The stand-in for `docName`'s page, titled `title` (the document's name when untitled). */
export function pageStandIn(docName: string, title: string): PageStandIn {
  const icon = element('span', 'icon');
  icon.style.display = 'inline-block';
  icon.style.width = icon.style.height = '20px';
  const header = element(
    'header',
    'editor-header',
    element('span', 'back-link', icon, element('span', 'brand-mark', 'W')),
    element(
      'div',
      'title-block',
      element('span', 'title-input', title.trim() === '' ? docName : title),
      element('span', 'doc-name-row', element('span', 'doc-name', docName)),
    ),
    element('div', 'header-end', rowHeight('icon-button')),
  );
  const top = element(
    'div',
    STICKY_HEADER_CLASS,
    header,
    element('div', 'toolbar', rowHeight('tool-button')),
  );
  // Taller on a narrow screen, where the controls wrap: as tall as the page last made it.
  const height = rememberedHeaderHeight(window.innerWidth);
  if (height !== null) top.style.minHeight = `${height}px`;
  top.setAttribute('aria-hidden', 'true');
  top.inert = true;

  const hint = element('p', 'keyboard-hint');
  hint.id = KEYBOARD_HINT_ID;
  hint.append(element('kbd', '', 'Esc'), ' then ', element('kbd', '', 'Tab'), ' leaves the editor');
  const editorHost = element('div', 'editor');
  const page = element('main', 'page', element('div', 'source-pane', hint, editorHost));
  const standIn = element('div', 'editor-page', top, page);
  standIn.dataset.testid = 'page-stand-in';
  return { element: standIn, editorHost };
}
