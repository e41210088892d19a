// The live calls, each with its legs as the runtime reports them, and the supervisor's actions on it: hang up
// (CLICK_TO_HUNGUP), blind transfer (CLICK_TO_TRANSFER), monitor and force hang-up as "me" (CALL_MONITOR,
// FORCE_HUNGUP). Below, the calls that just ended and why.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.ts';
import { AnswerLine, useAction } from './Action.tsx';
import { control } from './control.ts';
import { elapsed } from './format.ts';
import { agentOf, callList, extensionList } from './live-state.ts';
import { useLive } from './live.ts';
import { useMe } from './me.ts';
import type { CallView, LegView } from './types.ts';

/** The time now, once a second: call and leg durations count up on screen (no request is made). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function Leg({ leg, now }: { leg: LegView; now: number }) {
  const t = useT();
  return (
    <li
      className={`leg leg-${leg.status}`}
      data-testid="leg"
      data-role={leg.role}
      data-number={leg.number}
      data-status={leg.status}
    >
      <span className="role">{t(`ops.role.${leg.role}`)}</span>
      <strong>{leg.number}</strong>
      <span className={`badge leg-status-${leg.status}`}>{t(`ops.leg.${leg.status}`)}</span>
      {leg.status !== 'ended' && <span className="hint">{elapsed(leg.answeredAt ?? leg.beganAt, now)}</span>}
    </li>
  );
}

function Transfer({ agent }: { agent: string | undefined }) {
  const t = useT();
  const extensions = useLive((s) => s.extensions);
  const targets = extensionList(extensions).filter((e) => e.telNum !== agent);
  const [target, setTarget] = useState('');
  const [state, run] = useAction();
  const chosen = target || targets.find((e) => e.state === 'ONLINE')?.telNum || targets[0]?.telNum || '';
  return (
    <span className="row">
      <label>
        {t('ops.call.transferTo')}{' '}
        <select value={chosen} data-testid="call-transfer-target" onChange={(e) => setTarget(e.target.value)}>
          {targets.map((e) => (
            <option key={e.telNum} value={e.telNum}>
              {e.telNum} · {t(`ops.state.${e.state}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        data-testid="call-transfer"
        disabled={!agent || !chosen || state.pending}
        onClick={() => agent && run(() => control.transfer(agent, chosen))}
      >
        {t('ops.call.transfer')}
      </button>
      <AnswerLine state={state} testId="call-transfer-answer" />
    </span>
  );
}

function Actions({ call }: { call: CallView }) {
  const t = useT();
  const me = useMe((s) => s.me);
  const agent = agentOf(call);
  const [hangup, runHangup] = useAction();
  const [monitor, runMonitor] = useAction();
  const [force, runForce] = useAction();
  return (
    <div className="actions">
      <span className="row">
        <button
          className="danger"
          data-testid="call-hangup"
          disabled={hangup.pending}
          onClick={() => runHangup(() => control.hangUp(call.caller, call.callee))}
        >
          {t('ops.call.hangup')}
        </button>
        <AnswerLine state={hangup} testId="call-hangup-answer" />
      </span>
      <Transfer agent={agent} />
      <span className="row">
        <button
          data-testid="call-monitor"
          disabled={!agent || !me || monitor.pending}
          onClick={() => agent && runMonitor(() => control.monitor(me, agent))}
        >
          {t('ops.call.monitor')}
        </button>
        <button
          data-testid="call-force"
          disabled={!agent || !me || force.pending}
          onClick={() => agent && runForce(() => control.forceHangUp(me, agent))}
        >
          {t('ops.call.force')}
        </button>
        <AnswerLine state={monitor} testId="call-monitor-answer" />
        <AnswerLine state={force} testId="call-force-answer" />
      </span>
      {!agent && <p className="hint">{t('ops.call.noAgent')}</p>}
      {agent && !me && <p className="hint">{t('ops.call.needMe')}</p>}
    </div>
  );
}

function Call({ call, now }: { call: CallView; now: number }) {
  const t = useT();
  return (
    <article className="call-card" data-testid="call" data-callid={call.callId} data-caller={call.caller}>
      <header className="row">
        <span className={`badge kind-${call.kind}`}>{t(`ops.kind.${call.kind}`)}</span>
        <strong>
          {call.caller} → {call.callee}
        </strong>
        {call.flowId && <span className="hint">{call.flowId}</span>}
        <span className="hint right" data-testid="call-elapsed">
          {elapsed(call.beganAt, now)}
        </span>
      </header>
      <ul className="legs">
        {call.legs.map((l) => (
          <Leg key={l.legId} leg={l} now={now} />
        ))}
      </ul>
      <Actions call={call} />
    </article>
  );
}

function JustEnded() {
  const t = useT();
  const ended = useLive((s) => s.ended);
  if (ended.length === 0) return null;
  return (
    <div className="ended" data-testid="calls-ended">
      <h3>{t('ops.ended.title')}</h3>
      <ul>
        {ended.map(({ call, ending }) => (
          <li key={call.callId} data-testid="call-ended" data-callid={call.callId}>
            {call.caller} → {call.callee}{' '}
            <span className="hint">{t('ops.ended.reason', { reason: ending.reason })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CallsPanel() {
  const t = useT();
  const calls = useLive((s) => s.calls);
  const now = useNow();
  const list = callList(calls);
  return (
    <section className="ops-panel calls" data-testid="ops-calls">
      <h2>
        {t('ops.calls')} <span className="count">{list.length}</span>
      </h2>
      {list.length === 0 && <p className="hint">{t('ops.calls.none')}</p>}
      {list.map((c) => (
        <Call key={c.callId} call={c} now={now} />
      ))}
      <JustEnded />
    </section>
  );
}
