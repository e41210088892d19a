// The runtime's flows: open one (published ones first), start a new one, or save the canvas as a new one.
// It is also the first thing a new visitor sees when the runtime has flows (`start`).
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.ts';
import { useSession } from '../store/session.ts';
import { closeDialog } from '../store/ui.ts';
import { Modal } from '../chrome/Modal.tsx';
import { api, type FlowSummary } from './api.ts';
import { createFlow, openFlow } from './flows.ts';

/** Published flows first (what runs on calls), then the most recently changed. */
function ordered(flows: FlowSummary[]): FlowSummary[] {
  return [...flows].sort(
    (a, b) =>
      Number(b.publishedVersion !== null) - Number(a.publishedVersion !== null) || b.updatedAt - a.updatedAt,
  );
}

export function FlowsDialog({ start = false }: { start?: boolean }) {
  const t = useT();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [offline, setOffline] = useState(false);
  const name = useSession((s) => s.name);
  const [newName, setNewName] = useState(name || t('name.untitled'));
  useEffect(() => {
    void api.listFlows().then((r) => {
      if (r.ok) setFlows(ordered(r.value));
      else setOffline(true);
    });
  }, []);
  const open = (id: string) => void openFlow(id).then((ok) => ok && closeDialog());
  return (
    <Modal title={start ? t('flows.welcome') : t('flows.title')} testid="flows-dialog">
      {start && <p className="hint">{t('flows.welcomeHint')}</p>}
      {offline && <p className="warning">{t('flows.offline')}</p>}
      {flows && flows.length === 0 && <p className="hint">{t('flows.empty')}</p>}
      {flows && flows.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>{t('flows.name')}</th>
              <th>{t('flows.updated')}</th>
              <th>{t('flows.published')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr
                key={f.id}
                data-testid="flow-row"
                data-flow-id={f.id}
                className="clickable"
                onDoubleClick={() => open(f.id)}
              >
                <td>{f.name}</td>
                <td>{new Date(f.updatedAt).toLocaleString()}</td>
                <td>{f.publishedVersion === null ? '—' : t('flows.version', { n: f.publishedVersion })}</td>
                <td>
                  <button
                    className={start ? 'primary' : undefined}
                    data-testid="flow-open"
                    onClick={() => open(f.id)}
                  >
                    {t('flows.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {start ? (
        <div className="row">
          <button data-testid="flows-start-new" onClick={closeDialog}>
            {t('flows.startNew')}
          </button>
        </div>
      ) : (
        <div className="row">
          <input value={newName} onChange={(e) => setNewName(e.target.value)} data-testid="flow-new-name" />
          <button
            data-testid="flow-create"
            disabled={offline}
            onClick={() => void createFlow(newName).then((ok) => ok && closeDialog())}
          >
            {t('flows.create')}
          </button>
        </div>
      )}
    </Modal>
  );
}
