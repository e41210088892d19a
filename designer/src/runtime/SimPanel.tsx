// The test-call panel: call, keypad, what is playing, and the live trace (the canvas highlights the node).
import { useState } from 'react';
import { useT } from '../i18n/index.ts';
import { hangup, pressKey, startCall, useSim } from './sim.ts';
import { SimPath } from './SimPath.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export function SimPanel() {
  const t = useT();
  const sim = useSim();
  const [caller, setCaller] = useState('13800000000');
  const inCall = sim.status === 'in-call' || sim.status === 'connecting';
  return (
    <div className="sim" data-testid="sim-panel">
      <h2>{t('sim.title')}</h2>
      <div className="row">
        <label>
          {t('sim.caller')} <input value={caller} onChange={(e) => setCaller(e.target.value)} size={12} />
        </label>
        {inCall ? (
          <button className="danger" onClick={hangup} data-testid="sim-hangup">
            {t('sim.hangup')}
          </button>
        ) : (
          <button className="primary" onClick={() => startCall(caller)} data-testid="sim-call">
            {t('sim.start')}
          </button>
        )}
      </div>
      <div className="keypad">
        {KEYS.map((k) => (
          <button
            key={k}
            disabled={sim.status !== 'in-call'}
            onClick={() => pressKey(k)}
            data-testid={`sim-key-${k}`}
          >
            {k}
          </button>
        ))}
      </div>
      {sim.playing && <p className="playing">♪ {sim.playing}</p>}
      {sim.status === 'error' && <p className="error">{t('sim.notConnected')}</p>}
      {sim.status === 'ended' && (
        <p data-testid="sim-ended">{t('sim.ended', { reason: sim.endReason ?? '' })}</p>
      )}
      <SimPath />
      <h3>{t('sim.trace')}</h3>
      <ol className="trace" data-testid="sim-trace">
        {sim.log.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ol>
    </div>
  );
}
