// Every extension as EXTNUM_STATE has it, updated live: state, presence (settable), the party it talks with,
// missed calls and phone; below, click-to-dial for an agent.
import { useState } from 'react';
import { useT } from '../i18n/index.ts';
import { AnswerLine, useAction } from './Action.tsx';
import { control } from './control.ts';
import { extensionList } from './live-state.ts';
import { useLive } from './live.ts';
import { SETTABLE_PRESENCE, type ExtensionStatus, type SettablePresence } from './types.ts';

function PresenceCell({ ext }: { ext: ExtensionStatus }) {
  const t = useT();
  const [state, run] = useAction();
  const settable = (SETTABLE_PRESENCE as readonly string[]).includes(ext.presence);
  return (
    <td>
      {ext.telRegState === 1 && settable ? (
        <select
          value={ext.presence}
          data-testid={`ext-${ext.telNum}-presence`}
          aria-label={t('ops.ext.presence')}
          disabled={state.pending}
          onChange={(e) => run(() => control.setPresence(ext.telNum, e.target.value as SettablePresence))}
        >
          {SETTABLE_PRESENCE.map((p) => (
            <option key={p} value={p}>
              {t(`ops.presence.${p}`)}
            </option>
          ))}
        </select>
      ) : (
        <span className="hint" data-testid={`ext-${ext.telNum}-presence`}>
          {t(`ops.presence.${ext.presence}`)}
        </span>
      )}
      {state.answer?.code !== 200 && <AnswerLine state={state} testId={`ext-${ext.telNum}-answer`} />}
    </td>
  );
}

function ExtensionRow({ ext }: { ext: ExtensionStatus }) {
  const t = useT();
  return (
    <tr data-testid={`ext-${ext.telNum}`} data-state={ext.state} data-presence={ext.presence}>
      <td>
        <strong>{ext.telNum}</strong>
        {ext.userName !== ext.telNum && <span className="hint"> {ext.userName}</span>}
      </td>
      <td>
        <span className={`badge state-${ext.state}`} data-testid={`ext-${ext.telNum}-state`}>
          {t(`ops.state.${ext.state}`)}
        </span>
      </td>
      <PresenceCell ext={ext} />
      <td data-testid={`ext-${ext.telNum}-remote`}>{ext.remoteNum ?? ''}</td>
      <td className="num">{ext.missingCallCount || ''}</td>
      <td className="hint phone" title={ext.phoneType}>
        {ext.phoneType}
      </td>
    </tr>
  );
}

function ClickToDial({ extensions }: { extensions: ExtensionStatus[] }) {
  const t = useT();
  const [agent, setAgent] = useState('');
  const [number, setNumber] = useState('');
  const [state, run] = useAction();
  const chosen = agent || extensions[0]?.telNum || '';
  return (
    <form
      className="row dial"
      data-testid="dial-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen && number.trim()) run(() => control.dial(chosen, number.trim()));
      }}
    >
      <strong>{t('ops.dial.title')}</strong>
      <label>
        {t('ops.dial.agent')}{' '}
        <select value={chosen} data-testid="dial-agent" onChange={(e) => setAgent(e.target.value)}>
          {extensions.map((e) => (
            <option key={e.telNum} value={e.telNum}>
              {e.telNum}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ops.dial.number')}{' '}
        <input
          value={number}
          size={14}
          inputMode="tel"
          data-testid="dial-number"
          onChange={(e) => setNumber(e.target.value)}
        />
      </label>
      <button type="submit" disabled={state.pending || !chosen || !number.trim()} data-testid="dial-go">
        {t('ops.dial.go')}
      </button>
      <AnswerLine state={state} testId="dial-answer" done={(a) => t('ops.dial.placed', { id: a.text })} />
    </form>
  );
}

export function ExtensionsPanel() {
  const t = useT();
  const extensions = useLive((s) => s.extensions);
  const list = extensionList(extensions);
  return (
    <section className="ops-panel extensions" data-testid="ops-extensions">
      <h2>{t('ops.extensions')}</h2>
      {list.length === 0 ? (
        <p className="hint">{t('ops.ext.none')}</p>
      ) : (
        <table className="ops-table">
          <thead>
            <tr>
              <th>{t('ops.ext.number')}</th>
              <th>{t('ops.ext.state')}</th>
              <th>{t('ops.ext.presence')}</th>
              <th>{t('ops.ext.remote')}</th>
              <th>{t('ops.ext.missed')}</th>
              <th>{t('ops.ext.phone')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <ExtensionRow key={e.telNum} ext={e} />
            ))}
          </tbody>
        </table>
      )}
      <ClickToDial extensions={list} />
    </section>
  );
}
