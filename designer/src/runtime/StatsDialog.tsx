// Choose the period of the per-node call counts shown on the canvas (from the runtime's stored traces).
import { useState } from 'react';
import { useT } from '../i18n/index.ts';
import { useOverlay } from '../store/overlay.ts';
import { closeDialog } from '../store/ui.ts';
import { Modal } from '../chrome/Modal.tsx';
import { clearCounts, loadCounts } from './stats.ts';

/** `datetime-local` value -> milliseconds since the epoch, as the stats API takes them. */
function epoch(value: string): string | undefined {
  return value ? String(new Date(value).getTime()) : undefined;
}

export function StatsDialog() {
  const t = useT();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const shown = useOverlay((s) => s.counts !== undefined);
  return (
    <Modal title={t('toolbar.stats')} testid="stats-dialog">
      <div className="row">
        <label>
          {t('stats.from')}{' '}
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('stats.to')} <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <button
          className="primary"
          data-testid="stats-show"
          onClick={() => void loadCounts(epoch(from), epoch(to)).then(closeDialog)}
        >
          {t('stats.show')}
        </button>
        {shown && (
          <button
            onClick={() => {
              clearCounts();
              closeDialog();
            }}
          >
            {t('stats.hide')}
          </button>
        )}
      </div>
    </Modal>
  );
}
