// The runtime's flows: open one, or save the canvas as a new one.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.ts';
import { useSession } from '../store/session.ts';
import { closeDialog } from '../store/ui.ts';
import { Modal } from '../chrome/Modal.tsx';
import { api, type FlowSummary } from './api.ts';
import { createFlow, openFlow } from './flows.ts';

export function FlowsDialog() {
  const t = useT();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [offline, setOffline] = useState(false);
  const name = useSession((s) => s.name);
  const [newName, setNewName] = useState(name || t('name.untitled'));
  useEffect(() => {
    void api.listFlows().then((r) => {
      if (r.ok) setFlows(r.value);
      else setOffline(true);
    });
  }, []);
  return (
    <Modal title={t('flows.title')} testid="flows-dialog">
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
              <tr key={f.id} data-testid="flow-row" data-flow-id={f.id}>
                <td>{f.name}</td>
                <td>{new Date(f.updatedAt).toLocaleString()}</td>
                <td>{f.publishedVersion ?? '—'}</td>
                <td>
                  <button onClick={() => void openFlow(f.id).then((ok) => ok && closeDialog())}>
                    {t('flows.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
    </Modal>
  );
}
