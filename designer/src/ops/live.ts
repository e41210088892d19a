// The operations view's live data: one EventSource on GET /api/live feeding the store (no polling). The browser
// reconnects by itself after a drop (the runtime sends `retry`), and each reconnect starts with a fresh snapshot.
import { create } from 'zustand';
import { applyLive, EMPTY, type LiveEvent, type LiveState } from './live-state.ts';

/** `connecting` until the first snapshot, `live` while events flow, `reconnecting` after a drop. */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'closed';

export const useLive = create<LiveState & { connection: Connection }>(() => ({
  ...EMPTY,
  connection: 'connecting',
}));

const EVENTS = ['snapshot', 'extension', 'call', 'call-ended'] as const;

/** Opens the stream; returns the function that closes it. */
export function connectLive(url = '/api/live'): () => void {
  const source = new EventSource(url);
  for (const name of EVENTS)
    source.addEventListener(name, (e: MessageEvent<string>) => {
      let data: unknown;
      try {
        data = JSON.parse(e.data);
      } catch {
        return;
      }
      const ev = { event: name, data } as LiveEvent;
      useLive.setState((s) => ({
        ...applyLive(s, ev),
        connection: name === 'snapshot' ? 'live' : s.connection,
      }));
    });
  source.onerror = () =>
    // CLOSED: the runtime refused the stream (401, say) and the browser will not retry.
    useLive.setState({ connection: source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting' });
  return () => source.close();
}
