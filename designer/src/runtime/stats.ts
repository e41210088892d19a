// Per-node call counts from the runtime's traces, shown on the nodes.
import { useOverlay } from '../store/overlay.ts';
import { useSession } from '../store/session.ts';
import { notify } from '../store/ui.ts';
import { api } from './api.ts';
import { translate, useLang } from '../i18n/index.ts';

export async function loadCounts(from?: string, to?: string): Promise<void> {
  const { flowId } = useSession.getState();
  if (!flowId) {
    notify(translate(useLang.getState().lang, 'stats.noFlow'), 'error');
    return;
  }
  const r = await api.stats(flowId, from, to);
  if (r.ok) useOverlay.setState({ counts: r.value });
  else notify(r.message, 'error');
}

export function clearCounts(): void {
  useOverlay.setState({ counts: undefined });
}
