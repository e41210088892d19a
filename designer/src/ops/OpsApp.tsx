// The operations view for supervisors (/ops): extensions and live calls from the runtime's event stream, the
// actions of the manual's control API, and call logs with their recordings.
import { useEffect } from 'react';
import { setLang, useLang, useT, type Lang } from '../i18n/index.ts';
import { CallLogsPanel } from './CallLogsPanel.tsx';
import { CallsPanel } from './CallsPanel.tsx';
import { ExtensionsPanel } from './ExtensionsPanel.tsx';
import { extensionList } from './live-state.ts';
import { connectLive, useLive } from './live.ts';
import { loadSupervisors, setMe, useMe } from './me.ts';

function MePicker() {
  const t = useT();
  const { me, supervisors } = useMe();
  const extensions = extensionList(useLive((s) => s.extensions));
  return (
    <label className="me" title={t('ops.me.hint')}>
      {t('ops.me')}{' '}
      <select value={me} data-testid="ops-me" onChange={(e) => setMe(e.target.value)}>
        <option value="">{t('ops.me.none')}</option>
        {/* A remembered extension that no longer exists stays selectable, so the choice never jumps. */}
        {me && !extensions.some((e) => e.telNum === me) && <option value={me}>{me}</option>}
        {extensions.map((e) => (
          <option key={e.telNum} value={e.telNum}>
            {supervisors.includes(e.telNum)
              ? t('ops.me.may', { number: e.telNum, name: e.userName === e.telNum ? '' : e.userName })
              : `${e.telNum} ${e.userName === e.telNum ? '' : e.userName}`}
          </option>
        ))}
      </select>
    </label>
  );
}

function Header() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const connection = useLive((s) => s.connection);
  return (
    <header className="toolbar" data-testid="ops-toolbar">
      <strong className="brand">{t('ops.title')}</strong>
      <a className="nav" href="/" data-testid="ops-designer-link">
        {t('ops.designer')}
      </a>
      <span
        className={`connection connection-${connection}`}
        data-testid="ops-connection"
        data-state={connection}
      >
        {t(`ops.connection.${connection}`)}
      </span>
      <span className="group right">
        <MePicker />
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

export function OpsApp() {
  const t = useT();
  useEffect(() => {
    document.title = t('ops.title');
  }, [t]);
  useEffect(() => {
    void loadSupervisors();
    return connectLive();
  }, []);
  return (
    <div className="app ops" data-testid="ops">
      <Header />
      <main className="ops-main">
        <ExtensionsPanel />
        <CallsPanel />
        <CallLogsPanel />
      </main>
    </div>
  );
}
