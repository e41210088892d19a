// Publishing a numbered version (author, note) and the versions list with rollback.
import { useEffect, useState } from 'react';
import type { Problem } from '../../../schema/ast.ts';
import { useT } from '../i18n/index.ts';
import { useSession } from '../store/session.ts';
import { closeDialog, notify } from '../store/ui.ts';
import { Modal } from '../chrome/Modal.tsx';
import { api, type FlowVersion } from './api.ts';
import { publishFlow, rollbackFlow } from './flows.ts';

const AUTHOR = 'ivr-designer.author';

export function PublishDialog() {
  const t = useT();
  const [author, setAuthor] = useState(() => localStorage.getItem(AUTHOR) ?? '');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Partial<Problem>[]>([]);
  const publish = async () => {
    localStorage.setItem(AUTHOR, author);
    const r = await publishFlow(author, note);
    if (r.version !== undefined) {
      notify(t('publish.done', { v: r.version }));
      closeDialog();
    } else setProblems((r.problems as Partial<Problem>[]) ?? []);
  };
  return (
    <Modal title={t('toolbar.publish')} testid="publish-dialog">
      <label className="attr">
        <span>{t('publish.author')}</span>
        <input value={author} onChange={(e) => setAuthor(e.target.value)} data-testid="publish-author" />
      </label>
      <label className="attr">
        <span>{t('publish.note')}</span>
        <textarea value={note} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
      </label>
      {problems.length > 0 && (
        <div className="error" data-testid="publish-problems">
          <strong>{t('publish.refused')}</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.code} {p.form} {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <button className="primary" onClick={() => void publish()} data-testid="publish-confirm">
        {t('toolbar.publish')}
      </button>
    </Modal>
  );
}

export function VersionsDialog() {
  const t = useT();
  const flowId = useSession((s) => s.flowId);
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  useEffect(() => {
    if (!flowId) return setVersions([]);
    void api.versions(flowId).then((r) => setVersions(r.ok ? r.value : []));
  }, [flowId]);
  return (
    <Modal title={t('versions.title')} testid="versions-dialog">
      {versions && versions.length === 0 && <p className="hint">{t('versions.none')}</p>}
      {versions && versions.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>{t('versions.version')}</th>
              <th>{t('versions.author')}</th>
              <th>{t('versions.time')}</th>
              <th>{t('publish.note')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-testid="version-row">
                <td>{v.version}</td>
                <td>{v.author}</td>
                <td>{v.createdAt === undefined ? '' : new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.note}</td>
                <td>
                  <button onClick={() => void rollbackFlow(v.version).then((ok) => ok && closeDialog())}>
                    {t('versions.rollback')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  );
}
