// Which extension the supervisor at this browser is ("me": CALL_MONITOR and FORCE_HUNGUP act as it), remembered
// in this browser, and which extensions may monitor (from GET /api/extensions) so the choice can say so.
import { create } from 'zustand';
import { api } from '../runtime/api.ts';

const STORAGE = 'ivr-ops.me';

interface MeState {
  me: string;
  /** Extensions with the `monitor` permission. */
  supervisors: string[];
}

const saved = () => (typeof localStorage === 'undefined' ? '' : (localStorage.getItem(STORAGE) ?? ''));

export const useMe = create<MeState>(() => ({ me: saved(), supervisors: [] }));

export function setMe(me: string): void {
  localStorage.setItem(STORAGE, me);
  useMe.setState({ me });
}

/** Loads who may monitor; a runtime out of reach leaves the list empty (the actions then say why they fail). */
export async function loadSupervisors(): Promise<void> {
  const res = await api.extensions();
  if (res.ok)
    useMe.setState({
      supervisors: res.value.filter((e) => e.permissions.includes('monitor')).map((e) => e.number),
    });
}
