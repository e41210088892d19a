// Call logs through CALL_LOG_QUERY: search by number, days and direction, page by page, newest first; a recorded
// call plays in the page (FileDownServlet) or opens the manual's player page (RecordPlayerSvlt).
import { useCallback, useEffect, useRef, useState } from 'react';
import { en } from '../i18n/en.ts';
import { useLang, useT, type MessageKey } from '../i18n/index.ts';
import { playerUrl, queryCallLogs, recordingUrl, type Answer, type LogQuery } from './control.ts';
import { AnswerLine } from './Action.tsx';
import { clock, day } from './format.ts';
import type { Calllog } from './types.ts';

/** Rows per page. */
export const PAGE = 20;

type Filter = Omit<LogQuery, 'first' | 'maxResults'>;

/** What the page shows first: every call of the last seven days. */
const recent = (): Filter => ({
  telnum: '',
  beginDate: day(Date.now(), 6),
  endDate: day(Date.now()),
  dirction: '0',
});

function Recording({ log }: { log: Calllog }) {
  const t = useT();
  const [playing, setPlaying] = useState(false);
  if (!log.recordVoice) return <td className="hint">—</td>;
  return (
    <td className="recording">
      {playing ? (
        <audio controls autoPlay preload="metadata" src={recordingUrl(log.callid)} data-testid="log-audio" />
      ) : (
        <button className="small" data-testid="log-play" onClick={() => setPlaying(true)}>
          ▶ {t('ops.logs.play')}
        </button>
      )}{' '}
      <a href={playerUrl(log.callid)} target="_blank" rel="noopener" data-testid="log-player">
        {t('ops.logs.player')}
      </a>
    </td>
  );
}

function Row({ log }: { log: Calllog }) {
  const t = useT();
  const lang = useLang((s) => s.lang);
  // The manual's words (STATE_RECEIVED, LOCAL_CALL…) in the page's language; a word it adds later shows as is.
  const known = (prefix: string, v: string) => {
    const key = `${prefix}${v}`;
    return key in en ? t(key as MessageKey) : v;
  };
  return (
    <tr data-testid="log" data-callid={log.callid} data-caller={log.caller} data-state={log.state}>
      <td title={log.callid}>{clock(log.beginTime, lang)}</td>
      <td>{log.caller}</td>
      <td>{log.callee}</td>
      <td>{known('ops.type.', log.callType)}</td>
      <td>{known('ops.logs.', log.state)}</td>
      <td className="num">{t('ops.logs.seconds', { n: log.duration })}</td>
      <Recording log={log} />
    </tr>
  );
}

function SearchForm({ onSearch }: { onSearch: (q: Filter) => void }) {
  const t = useT();
  const [first] = useState(recent);
  const [telnum, setTelnum] = useState(first.telnum);
  const [beginDate, setBegin] = useState(first.beginDate);
  const [endDate, setEnd] = useState(first.endDate);
  const [dirction, setDir] = useState(first.dirction);
  return (
    <form
      className="row"
      data-testid="log-search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ telnum, beginDate, endDate, dirction });
      }}
    >
      <label>
        {t('ops.logs.number')}{' '}
        <input
          value={telnum}
          size={14}
          data-testid="log-number"
          onChange={(e) => setTelnum(e.target.value)}
        />
      </label>
      <label>
        {t('ops.logs.from')}{' '}
        <input
          type="date"
          value={beginDate}
          data-testid="log-from"
          onChange={(e) => setBegin(e.target.value)}
        />
      </label>
      <label>
        {t('ops.logs.to')}{' '}
        <input type="date" value={endDate} data-testid="log-to" onChange={(e) => setEnd(e.target.value)} />
      </label>
      <label>
        {t('ops.logs.direction')}{' '}
        <select
          value={dirction}
          data-testid="log-direction"
          onChange={(e) => setDir(e.target.value as LogQuery['dirction'])}
        >
          {(['0', '1', '2'] as const).map((d) => (
            <option key={d} value={d}>
              {t(`ops.logs.dir.${d}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" data-testid="log-go">
        {t('ops.logs.search')}
      </button>
    </form>
  );
}

type Found = { query: LogQuery; logs?: Calllog[]; refused?: Answer; pending: boolean };

export function CallLogsPanel() {
  const t = useT();
  const [found, setFound] = useState<Found | undefined>();
  // Only the newest search may fill the table (an older answer arriving late is dropped).
  const latest = useRef(0);
  const search = useCallback((query: LogQuery) => {
    const n = ++latest.current;
    setFound((f) => ({ query, logs: f?.logs, pending: true }));
    void queryCallLogs(query).then((r) => {
      if (n !== latest.current) return;
      setFound(r.ok ? { query, logs: r.logs, pending: false } : { query, refused: r.answer, pending: false });
    });
  }, []);
  useEffect(() => search({ ...recent(), first: 0, maxResults: PAGE }), [search]);
  const q = found?.query;
  const logs = found?.logs ?? [];
  return (
    <section className="ops-panel logs" data-testid="ops-logs" data-pending={found?.pending ?? true}>
      <h2>{t('ops.logs')}</h2>
      <SearchForm onSearch={(f) => search({ ...f, first: 0, maxResults: PAGE })} />
      {found?.refused && <AnswerLine state={{ pending: false, answer: found.refused }} testId="log-answer" />}
      {found && !found.pending && !found.refused && logs.length === 0 && (
        <p className="hint" data-testid="log-none">
          {t('ops.logs.none')}
        </p>
      )}
      {logs.length > 0 && (
        <table className="ops-table" data-testid="log-table" aria-busy={found?.pending}>
          <thead>
            <tr>
              <th>{t('ops.logs.time')}</th>
              <th>{t('ops.logs.caller')}</th>
              <th>{t('ops.logs.callee')}</th>
              <th>{t('ops.logs.type')}</th>
              <th>{t('ops.logs.state')}</th>
              <th>{t('ops.logs.duration')}</th>
              <th>{t('ops.logs.recording')}</th>
            </tr>
          </thead>
          <tbody>
            {logs.map((l) => (
              <Row key={l.callid} log={l} />
            ))}
          </tbody>
        </table>
      )}
      {q && (q.first > 0 || logs.length === PAGE) && (
        <div className="row">
          <button
            data-testid="log-prev"
            disabled={q.first === 0 || found.pending}
            onClick={() => search({ ...q, first: Math.max(0, q.first - PAGE) })}
          >
            {t('ops.logs.prev')}
          </button>
          <span className="hint">{t('ops.logs.page', { n: q.first / PAGE + 1 })}</span>
          <button
            data-testid="log-next"
            disabled={logs.length < PAGE || found.pending}
            onClick={() => search({ ...q, first: q.first + PAGE })}
          >
            {t('ops.logs.next')}
          </button>
        </div>
      )}
    </section>
  );
}
