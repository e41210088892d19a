// The palette: one entry per node kind; drag onto the canvas, or focus it and press Enter to insert at the centre.
import { useReactFlow } from '@xyflow/react';
import type { DragEvent, KeyboardEvent } from 'react';
import { KIND_MIME } from '../canvas/Canvas.tsx';
import { KIND_ICON } from '../canvas/NodeShell.tsx';
import { NODE_KINDS, type NodeKind } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { insertAtCentre } from './insert.ts';

export function Palette() {
  const t = useT();
  const flow = useReactFlow();
  const onDragStart = (e: DragEvent, kind: NodeKind) => {
    e.dataTransfer.setData(KIND_MIME, kind);
    e.dataTransfer.effectAllowed = 'move';
  };
  const onKey = (e: KeyboardEvent, kind: NodeKind) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      insertAtCentre(flow, kind);
    }
  };
  return (
    <aside className="palette" data-testid="palette" aria-label={t('palette.title')}>
      <h2>{t('palette.title')}</h2>
      {NODE_KINDS.map((kind, i) => (
        <div
          key={kind}
          className={`palette-item kind-${kind}`}
          data-testid={`palette-${kind}`}
          draggable
          tabIndex={0}
          role="button"
          title={`${t(`kind.${kind}.hint`)} (Alt+${i + 1})`}
          onDragStart={(e) => onDragStart(e, kind)}
          onKeyDown={(e) => onKey(e, kind)}
          onDoubleClick={() => insertAtCentre(flow, kind)}
        >
          <span className="node-icon">{KIND_ICON[kind]}</span>
          <span>{t(`kind.${kind}`)}</span>
        </div>
      ))}
      <p className="hint">{t('palette.help')}</p>
    </aside>
  );
}
