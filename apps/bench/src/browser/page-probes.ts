/**
 * Scripts that run inside the browser pages, kept as JavaScript source (the bench compiles
 * without the DOM library). Times are `performance.timeOrigin + performance.now()`, which
 * pages of one browser on one machine share.
 */

/** In the typist's page: the time of every keydown of a printable key, in `__keyTimes`. */
export const INSTALL_KEY_PROBE = `(() => {
  window.__keyTimes = [];
  window.addEventListener('keydown', (event) => {
    if (event.key.length === 1) window.__keyTimes.push(performance.timeOrigin + performance.now());
  }, { capture: true });
})()`;

/**
 * In the observer's page: watches the editor's first line and records, for every character
 * that appears there, when the DOM changed (\`__dom\`) and the next animation frame after
 * that (\`__frame\`: when the browser can paint it). Other users' cursor widgets are not text.
 */
export const INSTALL_RENDER_PROBE = `(() => {
  window.__dom = [];
  window.__frame = [];
  const firstLineLength = (content) => {
    const line = content.querySelector(':scope > .cm-line');
    if (!line) return 0;
    const copy = line.cloneNode(true);
    for (const widget of copy.querySelectorAll('.cm-ySelectionCaret, .cm-ySelectionInfo, .cm-placeholder, .cm-widgetBuffer')) widget.remove();
    return (copy.textContent || '').replaceAll('\\u2060', '').length;
  };
  const content = document.querySelector('.cm-content');
  let seen = firstLineLength(content);
  new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now();
    const length = firstLineLength(content);
    if (length <= seen) return;
    const count = length - seen;
    for (let i = 0; i < count; i++) window.__dom.push(now);
    seen = length;
    requestAnimationFrame(() => {
      const painted = performance.timeOrigin + performance.now();
      for (let i = 0; i < count; i++) window.__frame.push(painted);
    });
  }).observe(content, { subtree: true, childList: true, characterData: true });
})()`;

/** In the paster's page: a real paste event carrying \`text\` (pasted where the cursor is). */
export const pasteScript = (text: string): string => `(() => {
  const data = new DataTransfer();
  data.setData('text/plain', ${JSON.stringify(text)});
  document.querySelector('.cm-content').dispatchEvent(
    new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
})()`;

/** Sets the identity the app stores, before any page script runs (first visit only). */
export const identityScript = (name: string, color: string): string => `
  if (window.localStorage.getItem('weft:user') === null) {
    window.localStorage.setItem('weft:user', ${JSON.stringify(JSON.stringify({ name, color }))});
  }`;

/** Number of lines the editor renders. */
export const LINE_COUNT = "document.querySelectorAll('.cm-content > .cm-line').length";
