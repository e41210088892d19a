// How the operations view writes times: durations that count up, and the yyyy-MM-dd days CALL_LOG_QUERY takes.

/** `m:ss` (or `h:mm:ss`) from `from` to `now`, both in milliseconds. */
export function elapsed(from: number, now: number): string {
  const s = Math.max(0, Math.floor((now - from) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The local day of `ms` as `yyyy-MM-dd`, `back` days earlier (the runtime reads days in its own time zone). */
export function day(ms: number, back = 0): string {
  const d = new Date(ms);
  d.setDate(d.getDate() - back);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** A call log's begin time, in the page's language. */
export function clock(ms: number, lang: string): string {
  return new Date(ms).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
  });
}
