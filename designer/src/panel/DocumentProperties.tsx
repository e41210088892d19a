// The panel with no node selected: what the document holds outside its forms (schema location, last comments).
import { useT } from '../i18n/index.ts';
import { commit, useFlow } from '../store/flow.ts';
import { CommitInput } from './inputs.tsx';

export function DocumentProperties() {
  const t = useT();
  const graph = useFlow((s) => s.graph);
  const set = (key: 'schemaLocation' | 'trailingComments', value: string | string[] | undefined) => {
    const next = { ...graph };
    if (value === undefined || value.length === 0) delete next[key];
    else (next as Record<string, unknown>)[key] = value;
    commit(next);
  };
  return (
    <div className="properties empty" data-testid="document-properties">
      <p>{t('panel.none')}</p>
      <h3>{t('panel.document')}</h3>
      <label className="attr">
        <span>{t('panel.schemaLocation')}</span>
        <CommitInput
          value={graph.schemaLocation ?? ''}
          testid="doc-schema-location"
          onCommit={(v) => set('schemaLocation', v.trim() || undefined)}
        />
      </label>
      <label className="attr">
        <span>{t('panel.trailing')}</span>
        <CommitInput
          value={(graph.trailingComments ?? []).join('\n')}
          multiline
          testid="doc-trailing-comments"
          onCommit={(v) =>
            set(
              'trailingComments',
              v
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            )
          }
        />
      </label>
    </div>
  );
}
