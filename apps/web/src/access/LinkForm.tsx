import { useId, useState, type SyntheticEvent } from 'react';
import { Icon, type IconName } from '../components/Icon';
import { accessTokens } from './tokens';
import { readPastedToken } from './validate';

/**
 * A paste field for a share link (or a bare token). A valid one is stored — everything that
 * uses tokens picks it up from the store — and reported to `onAccepted`.
 */
export function LinkForm({
  docName,
  submitLabel,
  icon = 'link',
  autoFocus = false,
  onAccepted,
}: {
  /** The document the token must grant; null accepts any token (the document list). */
  docName: string | null;
  submitLabel: string;
  icon?: IconName;
  autoFocus?: boolean;
  onAccepted?: (accepted: { token: string; doc: string }) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const inputId = useId();

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = readPastedToken(text, docName);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    accessTokens().add(result.token);
    setText('');
    setError(null);
    onAccepted?.(result);
  };

  return (
    <form className="link-form" onSubmit={submit} noValidate>
      <label className="field-label" htmlFor={inputId}>
        Share link or token
      </label>
      <div className="link-form-row">
        <input
          id={inputId}
          className="text-input"
          data-testid="access-link-input"
          placeholder="https://…/d/name#token=…"
          autoComplete="off"
          spellCheck={false}
          // Only when nothing else is being typed into (see AccessPrompt).
          autoFocus={autoFocus}
          value={text}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : errorId}
          onChange={(event) => {
            setText(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button primary" data-testid="access-link-submit">
          <Icon name={icon} size={16} />
          {submitLabel}
        </button>
      </div>
      {error !== null && (
        <p className="form-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
