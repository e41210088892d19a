// Which media server takes a new call: the least loaded of those that are up. Load is sessions over capacity,
// with sessions the larger of what the server last reported (its heartbeat lags by up to 20 s) and what this
// runtime holds there right now.

export interface ServerLoad {
  /** False while the server is away (its event socket closed); it takes no new calls. */
  up: boolean;
  /** Sessions the server reported in its last heartbeat. */
  reported: number;
  /** Sessions this runtime holds there now. */
  held: number;
  /** The server's max-sessions; 0 until its first heartbeat. */
  max: number;
}

/** Capacity assumed for a server that has not yet said how many sessions it takes. */
export const UNKNOWN_MAX = 1000;

/** The index of the least loaded server that is up (the first on a tie), or -1 when none is up. */
export function leastLoaded(servers: readonly ServerLoad[]): number {
  let best = -1;
  let bestLoad = Infinity;
  servers.forEach((s, i) => {
    if (!s.up) return;
    const load = Math.max(s.reported, s.held) / (s.max > 0 ? s.max : UNKNOWN_MAX);
    if (load < bestLoad) [best, bestLoad] = [i, load];
  });
  return best;
}
