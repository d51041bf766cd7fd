import { useState, type SyntheticEvent } from 'react';
import { USER_COLORS, type UserIdentity } from '@weft/client';
import { identityStore } from '../identity';
import { Icon } from './Icon';

/**
 * The name and colour others see on this user's cursor and avatar. Colour changes apply at
 * once; the name on Enter or "Save" (a half-typed name should not flash by for others).
 */
/** Names for the palette in `USER_COLORS` order, for screen readers and tooltips. */
const COLOR_NAMES: Readonly<Record<string, string>> = {
  '#e5484d': 'Red',
  '#f76b15': 'Orange',
  '#d6a100': 'Amber',
  '#30a46c': 'Green',
  '#12a594': 'Teal',
  '#0090ff': 'Blue',
  '#6e56cf': 'Violet',
  '#d6409f': 'Pink',
};

export function IdentityPicker({
  identity,
  onDone,
}: {
  identity: UserIdentity;
  onDone: () => void;
}) {
  const [name, setName] = useState(identity.name);
  const trimmed = name.trim();

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (trimmed === '') return;
    identityStore().update({ name: trimmed });
    onDone();
  };

  return (
    <form className="identity-picker" onSubmit={submit} aria-label="Your name and colour">
      <label className="field-label" htmlFor="identity-name">
        Your name
      </label>
      <input
        id="identity-name"
        className="text-input"
        value={name}
        maxLength={64}
        autoFocus
        onChange={(event) => setName(event.target.value)}
      />
      <span className="field-label" id="identity-color-label">
        Your colour
      </span>
      <div className="swatches" role="radiogroup" aria-labelledby="identity-color-label">
        {USER_COLORS.map((color) => (
          <button
            key={color}
            type="button"
            role="radio"
            aria-checked={color === identity.color}
            aria-label={COLOR_NAMES[color] ?? color}
            title={COLOR_NAMES[color] ?? color}
            className="swatch"
            style={{ backgroundColor: color }}
            onClick={() => identityStore().update({ color })}
          >
            {color === identity.color && <Icon name="check" size={14} />}
          </button>
        ))}
      </div>
      <p className="hint">Shown to others next to your cursor. Saved on this device.</p>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={trimmed === ''}>
          Save
        </button>
      </div>
    </form>
  );
}
