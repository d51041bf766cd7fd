/**
 * Work that can wait until the page is idle: calls `task` once the browser is idle (at most
 * `timeoutMs` later), or never if the returned cancel runs first.
 */
export function whenIdle(task: () => void, timeoutMs = 2000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(task, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  // Safari has no requestIdleCallback: a moment after the editor showed is idle enough.
  const timer = setTimeout(task, 300);
  return () => clearTimeout(timer);
}
