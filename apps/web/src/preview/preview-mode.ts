/**
 * Whether the preview is shown, remembered on this device. Kept apart from the preview's own
 * code (markdown-it, DOMPurify), which loads only once the preview is first shown.
 */
import { safeStorage } from '../lib/safe-storage';
import { ValueStore } from '../lib/value-store';

const KEY = 'weft:preview';

/** Wide enough for the text and the preview side by side; narrower, the preview replaces it. */
export const SIDE_BY_SIDE_QUERY = '(min-width: 1100px)';

class PreviewMode extends ValueStore<boolean> {
  constructor() {
    super(safeStorage().getItem(KEY) === 'on');
  }

  toggle(): void {
    const on = !this.getSnapshot();
    safeStorage().setItem(KEY, on ? 'on' : 'off');
    this.set(on);
  }
}

let instance: PreviewMode | null = null;

export function previewMode(): PreviewMode {
  return (instance ??= new PreviewMode());
}
