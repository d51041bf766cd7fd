/**
 * Makes rendered Markdown inert. Documents may contain raw HTML (as on GitHub and HedgeDoc),
 * and anyone who can edit a document can write into everyone's preview, so nothing in it may
 * run script, load a frame, submit a form, restyle the page or pose as one of the preview's
 * own task checkboxes. DOMPurify does the sanitising; this file only states the policy.
 */
import DOMPurify from 'dompurify';

/**
 * Written by the task-list plugin on the checkboxes it renders; unknowable to a document's
 * author (random per page load), so an `<input>` written in raw HTML never carries it.
 */
export const TASK_KEY = randomKey();

const purifier = DOMPurify(window);

purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    // Links open outside the editor and give the target page no handle on this one.
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/**
 * Sanitises `html` into a fragment of `document` (returning nodes, not a string, means the
 * result is never parsed a second time, which is where mutation XSS hides).
 */
export function sanitize(html: string): DocumentFragment {
  const fragment = purifier.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'button', 'textarea', 'select', 'option'],
    FORBID_ATTR: ['style', 'formaction', 'action'],
    // Ids and names from the document are prefixed (`user-content-…`), so they can neither
    // clobber globals nor collide with the page's own ids (labels, aria references).
    SANITIZE_NAMED_PROPS: true,
  });
  for (const input of fragment.querySelectorAll('input')) {
    if (input.dataset.taskKey !== TASK_KEY || input.type !== 'checkbox') input.remove();
    else input.removeAttribute('data-task-key');
  }
  return fragment;
}

function randomKey(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
