// Why an import or an export was refused: the problems, with line numbers when they come from a file.
import type { Problem } from '../../../schema/ast.ts';
import { useT } from '../i18n/index.ts';
import { problemText, problemWhere } from '../problems/text.ts';
import { exportFile } from '../io/files.ts';
import { closeDialog } from '../store/ui.ts';
import { Modal } from './Modal.tsx';

function List({ problems }: { problems: Problem[] }) {
  const t = useT();
  return (
    <ul className="problem-dialog-list">
      {problems.map((p, i) => (
        <li key={i} className={p.severity} data-testid="dialog-problem">
          {problemWhere(p) && <span className="where">{problemWhere(p)}</span>}
          <span className="code">{p.code}</span>
          {p.form !== undefined && <span className="form">{p.form}</span>}
          <span>{problemText(t, p)}</span>
        </li>
      ))}
    </ul>
  );
}

export function ImportFailed({ problems, file }: { problems: Problem[]; file: string }) {
  const t = useT();
  return (
    <Modal title={`${t('import.failed')}: ${file}`} testid="import-failed">
      <p>{t('import.fix')}</p>
      <List problems={problems} />
    </Modal>
  );
}

export function ExportRefused({ problems }: { problems: Problem[] }) {
  const t = useT();
  return (
    <Modal title={t('export.refused')} testid="export-refused">
      <p>{t('export.fix')}</p>
      <List problems={problems} />
      <div className="row">
        {/* A flow in the middle of its changes (or the manual's own example) may still be wanted as a file. */}
        <button
          data-testid="export-anyway"
          onClick={() => {
            closeDialog();
            void exportFile(true);
          }}
        >
          {t('export.anyway')}
        </button>
      </div>
    </Modal>
  );
}
