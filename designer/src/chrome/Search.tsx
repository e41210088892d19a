// Search nodes by id, note, kind or prompt text; picking a result focuses the node.
import { useMemo, useState } from 'react';
import { kindOf, promptsOf, summarizePrompts } from '../graph/kinds.ts';
import { useT } from '../i18n/index.ts';
import { focusNode, useFlow } from '../store/flow.ts';
import { useUi } from '../store/ui.ts';

export function Search() {
  const t = useT();
  const nodes = useFlow((s) => s.graph.nodes);
  const [query, setQuery] = useState('');
  const results = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return nodes
      .map((n) => {
        const kind = kindOf(n.form);
        const text = [
          n.form.id,
          ...(n.form.comments ?? []),
          t(`kind.${kind}`),
          summarizePrompts(promptsOf(n.form), 400),
        ];
        return { n, kind, hit: text.join(' ').toLowerCase().includes(q) };
      })
      .filter((r) => r.hit)
      .slice(0, 30);
  }, [nodes, query, t]);
  const close = () => useUi.setState({ searchOpen: false });
  return (
    <div className="search" data-testid="search">
      <input
        autoFocus
        value={query}
        placeholder={t('search.placeholder')}
        data-testid="search-input"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') close();
          if (e.key === 'Enter' && results[0]) focusNode(results[0].n.key);
        }}
      />
      {query && results.length === 0 && <div className="hint">{t('search.none')}</div>}
      <ul>
        {results.map(({ n, kind }) => (
          <li key={n.key} data-testid="search-result" onClick={() => focusNode(n.key)}>
            <strong>{n.form.id}</strong> <span className="hint">{t(`kind.${kind}`)}</span>
            <div className="hint">{summarizePrompts(promptsOf(n.form), 60)}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}
