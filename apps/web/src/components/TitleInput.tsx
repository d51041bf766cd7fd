import { useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { TITLE_MAX_LENGTH, type TitleStore } from '@weft/client';

/**
 * The document title, editable in place. Every keystroke is written to the shared title, so
 * others see the rename as it is typed. While this input has focus it shows what the user
 * typed, not a rename arriving from someone else, so the text never jumps under the caret.
 * Read-only access shows the title without letting it change.
 */
export function TitleInput({
  store,
  placeholder,
  readOnly = false,
  onEnter,
}: {
  store: TitleStore;
  placeholder: string;
  readOnly?: boolean;
  onEnter: () => void;
}) {
  const shared = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [draft, setDraft] = useState<string | null>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.currentTarget.blur();
      onEnter();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  };

  return (
    <input
      className="title-input"
      data-testid="doc-title"
      aria-label="Document title"
      placeholder={placeholder}
      maxLength={TITLE_MAX_LENGTH}
      spellCheck
      readOnly={readOnly}
      title={readOnly ? 'Read only' : undefined}
      value={readOnly ? shared : (draft ?? shared)}
      onFocus={() => {
        if (!readOnly) setDraft(shared);
      }}
      onChange={(event) => {
        if (readOnly) return;
        setDraft(event.target.value);
        store.set(event.target.value);
      }}
      onBlur={() => {
        if (draft !== null && !readOnly) store.set(draft.trim());
        setDraft(null);
      }}
      onKeyDown={onKeyDown}
    />
  );
}
