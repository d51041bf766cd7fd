import { useSyncExternalStore } from 'react';
import type { TextStatsStore } from '../document/text-stats';
import type { EditorController } from '../editor/editor-controller';
import type { FormatName } from '../editor/formatting';
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
 * Undo/redo (this user's edits only), Markdown formatting, and the word count. With read-only
 * access every editing button is disabled.
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
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
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
      <div className="toolbar-group">
        {FORMAT_BUTTONS.map(([format, icon, label]) => (
          <ToolButton
            key={format}
            icon={icon}
            label={label}
            disabled={readOnly}
            onClick={() => controller.format(format)}
          />
        ))}
      </div>
      <WordCount stats={stats} />
    </div>
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
      {words.toLocaleString()} {words === 1 ? 'word' : 'words'} · {characters.toLocaleString()}{' '}
      {characters === 1 ? 'character' : 'characters'}
    </span>
  );
}
