// The problems of the whole flow; a click focuses the node the problem is in.
import type { Problem } from '../../../schema/ast.ts';
import { keyOfForm } from '../graph/mapping.ts';
import { useT } from '../i18n/index.ts';
import { focusNode, useFlow } from '../store/flow.ts';
import { problemText } from './text.ts';

/** A big flow can have thousands of problems: list the first ones, count the rest. */
const SHOWN = 200;

export function ProblemsList() {
  const t = useT();
  const problems = useFlow((s) => s.problems);
  const nodes = useFlow((s) => s.graph.nodes);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const open = (p: Problem) => {
    const key = p.form === undefined ? undefined : keyOfForm(nodes, p.form);
    if (key) focusNode(key);
  };
  return (
    <section className="problems" data-testid="problems">
      <h2>
        {t('problems.title')} <span data-testid="problems-errors">{t('problems.errors', { n: errors })}</span>{' '}
        ·{' '}
        <span data-testid="problems-warnings">{t('problems.warnings', { n: problems.length - errors })}</span>
      </h2>
      {problems.length === 0 ? (
        <p className="hint">{t('problems.none')}</p>
      ) : (
        <ul>
          {problems.slice(0, SHOWN).map((p, i) => (
            <li
              key={i}
              className={`problem ${p.severity}`}
              data-testid="problem-row"
              data-code={p.code}
              data-form={p.form}
              onClick={() => open(p)}
            >
              <span className="code">{p.code}</span>
              {p.form !== undefined && <span className="form">{p.form}</span>}
              <span>{problemText(t, p)}</span>
            </li>
          ))}
          {problems.length > SHOWN && (
            <li className="hint" data-testid="problems-more">
              {t('problems.more', { n: problems.length - SHOWN })}
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
