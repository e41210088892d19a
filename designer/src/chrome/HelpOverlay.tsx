// The keyboard shortcut list (opened with `?`).
import type { MessageKey } from '../i18n/index.ts';
import { useT } from '../i18n/index.ts';
import { Modal } from './Modal.tsx';

export const SHORTCUTS: [string, MessageKey][] = [
  ['Ctrl+Z', 'help.undo'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'help.redo'],
  ['Ctrl+C', 'help.copy'],
  ['Ctrl+V', 'help.paste'],
  ['Ctrl+D', 'help.duplicate'],
  ['Delete / Backspace', 'help.delete'],
  ['Ctrl+A', 'help.selectAll'],
  ['L', 'help.layout'],
  ['F', 'help.fit'],
  ['Ctrl+F / /', 'help.search'],
  ['Alt+1 … Alt+8', 'help.insert'],
  ['?', 'help.help'],
  ['Esc', 'help.escape'],
];

export function HelpOverlay() {
  const t = useT();
  return (
    <Modal title={t('help.title')} testid="help-overlay">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, label]) => (
            <tr key={keys}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{t(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">{t('help.multi')}</p>
    </Modal>
  );
}
