// The toolbar: file, edit and view actions, the flow's name and save state, runtime actions, the operations view,
// language.
import { useReactFlow } from '@xyflow/react';
import { fitAll } from '../canvas/fit.ts';
import { useRef } from 'react';
import { setLang, useLang, useT, type Lang } from '../i18n/index.ts';
import { exportFile, importFile } from '../io/files.ts';
import { autoLayout, loadDocument, redoEdit, undoEdit, useFlow } from '../store/flow.ts';
import { useOverlay } from '../store/overlay.ts';
import { saveToServer } from '../store/persist.ts';
import { useSession } from '../store/session.ts';
import { openDialog, useUi } from '../store/ui.ts';

function newFlow(): void {
  useSession.setState({ flowId: undefined, name: '', publishedVersion: undefined, save: 'local' });
  void loadDocument({ type: 'document', forms: [{ type: 'form', kind: 'form', id: 'main', items: [] }] });
}

function SaveState() {
  const t = useT();
  const save = useSession((s) => s.save);
  const error = useSession((s) => s.saveError);
  const text = {
    idle: '',
    saving: t('save.saving'),
    saved: t('save.saved'),
    local: t('save.local'),
    failed: t('save.failed'),
  }[save];
  return (
    <span className={`save-state save-${save}`} data-testid="save-state" title={error}>
      {text}
    </span>
  );
}

export function Toolbar() {
  const t = useT();
  const flow = useReactFlow();
  const file = useRef<HTMLInputElement>(null);
  const lang = useLang((s) => s.lang);
  const name = useSession((s) => s.name);
  const canUndo = useFlow((s) => s.history.past.length > 0);
  const canRedo = useFlow((s) => s.history.future.length > 0);
  const counts = useOverlay((s) => s.counts);
  const side = useUi((s) => s.side);
  const b = (id: string, label: string, onClick: () => void, disabled = false) => (
    <button data-testid={`btn-${id}`} onClick={onClick} disabled={disabled}>
      {label}
    </button>
  );
  return (
    <header className="toolbar" data-testid="toolbar">
      <strong className="brand">{t('app.title')}</strong>
      <input
        className="flow-name"
        data-testid="flow-name"
        value={name}
        placeholder={t('name.untitled')}
        onChange={(e) => useSession.setState({ name: e.target.value })}
      />
      <SaveState />
      <span className="group">
        {b('new', t('toolbar.new'), newFlow)}
        {b('import', t('toolbar.import'), () => file.current?.click())}
        <input
          ref={file}
          type="file"
          accept=".xml,application/xml,text/xml"
          hidden
          data-testid="import-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFile(f);
            e.target.value = '';
          }}
        />
        {b('export', t('toolbar.export'), () => void exportFile())}
      </span>
      <span className="group">
        {b('undo', t('toolbar.undo'), undoEdit, !canUndo)}
        {b('redo', t('toolbar.redo'), redoEdit, !canRedo)}
        {b('layout', t('toolbar.layout'), () => void autoLayout())}
        {b('fit', t('toolbar.fit'), () => fitAll(flow, 200))}
        {b('search', t('toolbar.search'), () => useUi.setState({ searchOpen: true }))}
      </span>
      <span className="group">
        {b('flows', t('toolbar.flows'), () => openDialog({ type: 'flows' }))}
        {b('save', t('toolbar.save'), () => void saveToServer())}
        {b('publish', t('toolbar.publish'), () => openDialog({ type: 'publish' }))}
        {b('versions', t('toolbar.versions'), () => openDialog({ type: 'versions' }))}
        {b('test', t('toolbar.test'), () =>
          useUi.setState({ side: side === 'test' ? 'properties' : 'test' }),
        )}
        {b('stats', counts ? `${t('toolbar.stats')} ✓` : t('toolbar.stats'), () =>
          openDialog({ type: 'stats' }),
        )}
      </span>
      <span className="group right">
        {/* The operations view opens beside the drawing (its own tab), so the flow stays as it is. */}
        <a className="nav" href="/ops" target="_blank" rel="noopener" data-testid="btn-ops">
          {t('toolbar.ops')}
        </a>
        {b('help', '?', () => openDialog({ type: 'help' }))}
        <select
          value={lang}
          aria-label={t('toolbar.language')}
          data-testid="lang-select"
          onChange={(e) => setLang(e.target.value as Lang)}
        >
          <option value="en">English</option>
          <option value="zh">中文</option>
        </select>
      </span>
    </header>
  );
}
