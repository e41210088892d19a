// The designer's start: opens ?flow=ID from the runtime, or the flow last edited in this browser, or else the
// runtime's flow list (the published examples one click away); then renders.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { useLang } from './i18n/index.ts';
import { warmUp } from './io/offload.ts';
import { api } from './runtime/api.ts';
import { openFlow } from './runtime/flows.ts';
import { restoreLocal, startAutosave } from './store/persist.ts';
import { openDialog } from './store/ui.ts';

/** A new visitor starts on the flow list when the runtime has flows (with `npm start`: the examples). */
async function startOnFlowList(): Promise<void> {
  const flows = await api.listFlows();
  if (flows.ok && flows.value.length > 0) openDialog({ type: 'flows', start: true });
}

export async function boot(): Promise<void> {
  document.documentElement.lang = useLang.getState().lang === 'zh' ? 'zh-CN' : 'en';
  const wanted = new URLSearchParams(location.search).get('flow');
  const opened = (wanted !== null && (await openFlow(wanted))) || restoreLocal();
  startAutosave();
  setTimeout(warmUp, 500);
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  if (!opened) await startOnFlowList();
  // The browser tests wait for this: the page has decided what it shows first.
  document.body.dataset.ready = 'true';
}
