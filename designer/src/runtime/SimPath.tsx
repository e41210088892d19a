// The path a test call took, form by form: keys collected, each check's request and answer, the branch taken
// and the exit followed. A form's name focuses its node on the canvas (where the path is drawn in green).
import { useMemo } from 'react';
import { keyOfForm } from '../graph/mapping.ts';
import { useT } from '../i18n/index.ts';
import { focusNode, useFlow } from '../store/flow.ts';
import { visitsOf, type Visit } from './attribution.ts';
import { useSim } from './sim.ts';

function VisitItem({ visit }: { visit: Visit }) {
  const t = useT();
  const open = () => {
    const key = keyOfForm(useFlow.getState().graph.nodes, visit.form);
    if (key) focusNode(key);
  };
  return (
    <li data-testid="sim-visit" data-form={visit.form}>
      <button className="link" onClick={open}>
        {visit.form}
      </button>
      {visit.digits.map((d, i) => (
        <div key={`d${i}`} className="sim-detail" data-testid="sim-digits">
          {t('sim.keys', { digits: d.digits || '—', reason: d.reason })}
        </div>
      ))}
      {visit.checks.map((c, i) => (
        <div key={`c${i}`} className="sim-detail" data-testid="sim-check">
          {t('sim.check', { url: c.url })}
          <br />
          {c.error
            ? t('sim.checkFailed', { error: c.error, value: c.value ?? '' })
            : t('sim.checkAnswer', { status: c.status ?? '', body: c.body ?? '', ms: c.latencyMs ?? '' })}
        </div>
      ))}
      {visit.branches.map((b, i) => (
        <div key={`b${i}`} className="sim-detail" data-testid="sim-branch">
          {b.index < 0 ? t('sim.noBranch') : b.cond ? t('sim.branch', { cond: b.cond }) : t('sim.else')}
        </div>
      ))}
      {visit.notes.map((n, i) => (
        <div key={`n${i}`} className="sim-detail">
          {n}
        </div>
      ))}
      {visit.exit && (
        <div className="sim-detail" data-testid="sim-exit">
          {visit.exit.via === 'choice'
            ? t('sim.exitKey', { key: visit.exit.key || '—', next: visit.exit.next })
            : t('sim.exitGoto', { next: visit.exit.next })}
        </div>
      )}
    </li>
  );
}

export function SimPath() {
  const t = useT();
  const events = useSim((s) => s.events);
  const visits = useMemo(() => visitsOf(events), [events]);
  if (visits.length === 0) return null;
  return (
    <>
      <h3>{t('sim.path')}</h3>
      <ol className="sim-path" data-testid="sim-path">
        {visits.map((v, i) => (
          <VisitItem key={i} visit={v} />
        ))}
      </ol>
    </>
  );
}
