// The UI language: browser language by default, switchable, remembered; `useT` gives the translate function.
import { create } from 'zustand';
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type Lang = 'en' | 'zh';
const TABLES: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORAGE = 'ivr-designer.lang';

function initial(): Lang {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE);
  if (saved === 'en' || saved === 'zh') return saved;
  const nav = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const useLang = create<{ lang: Lang }>(() => ({ lang: initial() }));

export function setLang(lang: Lang): void {
  localStorage.setItem(STORAGE, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  useLang.setState({ lang });
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = TABLES[lang][key] ?? en[key];
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m)) : text;
}

const translators: Record<Lang, Translate> = {
  en: (key, vars) => translate('en', key, vars),
  zh: (key, vars) => translate('zh', key, vars),
};

/** The translate function of the current language (the same function until the language changes). */
export function useT(): Translate {
  return translators[useLang((s) => s.lang)];
}

export type { MessageKey };
