// Entry point: restores the browser's working copy (or opens ?flow=ID from the runtime), then renders.
import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { useLang } from './i18n/index.ts';
import { warmUp } from './io/offload.ts';
import { openFlow } from './runtime/flows.ts';
import { restoreLocal, startAutosave } from './store/persist.ts';

async function boot(): Promise<void> {
  document.documentElement.lang = useLang.getState().lang === 'zh' ? 'zh-CN' : 'en';
  const wanted = new URLSearchParams(location.search).get('flow');
  if (!(wanted && (await openFlow(wanted)))) restoreLocal();
  startAutosave();
  setTimeout(warmUp, 500);
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
