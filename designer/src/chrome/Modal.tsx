// A dialog box over the designer; Escape and the close button dismiss it.
import type { ReactNode } from 'react';
import { useT } from '../i18n/index.ts';
import { closeDialog } from '../store/ui.ts';

export function Modal({ title, testid, children }: { title: string; testid: string; children: ReactNode }) {
  const t = useT();
  return (
    <div className="modal-backdrop" onClick={closeDialog}>
      <div
        className="modal"
        role="dialog"
        aria-label={title}
        data-testid={testid}
        onClick={(e) => e.stopPropagation()}
      >
        <header>
          <h2>{title}</h2>
          <button className="icon" data-testid="dialog-close" title={t('dialog.close')} onClick={closeDialog}>
            ✕
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  );
}
