// The operations view's start: renders it, then tells the browser tests the page is there.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useLang } from '../i18n/index.ts';
import { OpsApp } from './OpsApp.tsx';
import './ops.css';

export function boot(): void {
  document.documentElement.lang = useLang.getState().lang === 'zh' ? 'zh-CN' : 'en';
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <OpsApp />
    </StrictMode>,
  );
  document.body.dataset.ready = 'true';
}
