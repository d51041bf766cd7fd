import { useRef, useSyncExternalStore } from 'react';
import type { TextStatsStore } from '../document/text-stats';
import type { EditorController } from '../editor/editor-controller';
import type { FormatName } from '../editor/formatting';
import { groupDigits } from '../lib/lazy-intl';
import { OVERFLOW_ATTRIBUTE, useFittingCount } from '../lib/use-fitting-count';
import { usePopover } from '../lib/use-popover';
import { previewMode } from '../preview/preview-mode';
import { Icon, type IconName } from './Icon';

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad)/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

const FORMAT_BUTTONS: readonly (readonly [FormatName, IconName, string])[] = [
  ['heading2', 'heading', `Heading (${mod}Alt+2)`],
  ['bold', 'bold', `Bold (${mod}B)`],
  ['italic', 'italic', `Italic (${mod}I)`],
  ['strikethrough', 'strikethrough', `Strikethrough (${mod}Shift+X)`],
  ['code', 'code', `Code (${mod}E)`],
  ['link', 'link', `Link (${mod}K)`],
  ['quote', 'quote', `Quote (${mod}Shift+9)`],
  ['bulletList', 'list', `Bulleted list (${mod}Shift+8)`],
  ['numberedList', 'listOrdered', `Numbered list (${mod}Shift+7)`],
];

/**
 * Undo/redo (this user's edits only), Markdown formatting, the preview switch and the word
 * count. With read-only access every editing button is disabled. Formatting buttons that do
 * not fit (on a phone) move into a "More formatting" menu rather than off the screen.
 */
export function Toolbar({
  controller,
  stats,
  readOnly = false,
}: {
  controller: EditorController;
  stats: TextStatsStore;
  readOnly?: boolean;
}) {
  const undo = useSyncExternalStore(
    controller.undoState.subscribe,
    controller.undoState.getSnapshot,
  );
  const row = useRef<HTMLDivElement>(null);
  const fitting = useFittingCount(row, FORMAT_BUTTONS.length);
  const shown = FORMAT_BUTTONS.slice(0, fitting);
  const overflow = FORMAT_BUTTONS.slice(fitting);
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" ref={row}>
      <div className="toolbar-group">
        <ToolButton
          icon="undo"
          label={`Undo your last edit (${mod}Z)`}
          testId="undo"
          disabled={readOnly || !undo.canUndo}
          onClick={() => controller.undo()}
        />
        <ToolButton
          icon="redo"
          label={`Redo (${isMac ? '⌘Shift+Z' : 'Ctrl+Y'})`}
          testId="redo"
          disabled={readOnly || !undo.canRedo}
          onClick={() => controller.redo()}
        />
      </div>
      <span className="toolbar-separator" aria-hidden="true" />
      <div className="toolbar-group" {...{ [OVERFLOW_ATTRIBUTE]: '' }}>
        {shown.map(([format, icon, label]) => (
          <ToolButton
            key={format}
            icon={icon}
            label={label}
            disabled={readOnly}
            onClick={() => controller.format(format)}
          />
        ))}
      </div>
      {overflow.length > 0 && (
        <MoreFormatting
          formats={overflow}
          disabled={readOnly}
          onFormat={(format) => controller.format(format)}
        />
      )}
      <span className="toolbar-separator" aria-hidden="true" />
      <PreviewToggle />
      <WordCount stats={stats} />
    </div>
  );
}

function MoreFormatting({
  formats,
  disabled,
  onFormat,
}: {
  formats: typeof FORMAT_BUTTONS;
  disabled: boolean;
  onFormat: (format: FormatName) => void;
}) {
  const popover = usePopover();
  return (
    <div className="popover-root" ref={popover.rootRef} {...{ [OVERFLOW_ATTRIBUTE]: '' }}>
      <button
        type="button"
        ref={popover.buttonRef}
        className="tool-button"
        title="More formatting"
        aria-label="More formatting"
        aria-haspopup="menu"
        aria-expanded={popover.open}
        data-testid="more-formatting"
        onMouseDown={(event) => event.preventDefault()}
        onClick={popover.toggle}
      >
        <Icon name="more" />
      </button>
      {popover.open && (
        <div className="popover menu" role="menu" aria-label="More formatting">
          {formats.map(([format, icon, label]) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              disabled={disabled}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                popover.close();
                onFormat(format);
              }}
            >
              <Icon name={icon} size={16} />
              <span>{label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Shows the rendered Markdown: beside the text on a wide screen, instead of it on a narrow one. */
function PreviewToggle() {
  const on = useSyncExternalStore(previewMode().subscribe, previewMode().getSnapshot);
  return (
    <button
      type="button"
      className="tool-button text-tool-button"
      aria-pressed={on}
      title={on ? 'Hide the preview' : 'Show the rendered preview'}
      data-testid="preview-toggle"
      onClick={() => previewMode().toggle()}
    >
      <Icon name="eye" />
      <span>Preview</span>
    </button>
  );
}

function ToolButton({
  icon,
  label,
  onClick,
  disabled = false,
  testId,
}: {
  icon: IconName;
  label: string;
  onClick: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className="tool-button"
      title={label}
      aria-label={label.replace(/ \(.*\)$/, '')}
      disabled={disabled}
      data-testid={testId}
      // Keep the editor's selection: a mousedown on the button would otherwise blur it.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}

function WordCount({ stats }: { stats: TextStatsStore }) {
  const { words, characters } = useSyncExternalStore(stats.subscribe, stats.getSnapshot);
  return (
    <span className="word-count" data-testid="word-count" aria-live="off">
      {groupDigits(words)} {words === 1 ? 'word' : 'words'} · {groupDigits(characters)}{' '}
      {characters === 1 ? 'character' : 'characters'}
    </span>
  );
}
