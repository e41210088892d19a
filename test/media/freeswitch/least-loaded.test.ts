// Which media server takes a new call: the least loaded one that is up.
import { describe, expect, it } from 'vitest';
import { leastLoaded, UNKNOWN_MAX, type ServerLoad } from '../../../runtime/media/freeswitch/least-loaded.ts';

const server = (o: Partial<ServerLoad> = {}): ServerLoad => ({
  up: true,
  reported: 0,
  held: 0,
  max: 100,
  ...o,
});

describe('leastLoaded', () => {
  it('picks the server with the lowest share of its capacity in use', () => {
    expect(leastLoaded([server({ reported: 50 }), server({ reported: 10 }), server({ reported: 30 })])).toBe(
      1,
    );
    // 40 of 1000 is lighter than 10 of 100.
    expect(leastLoaded([server({ reported: 10, max: 100 }), server({ reported: 40, max: 1000 })])).toBe(1);
  });

  it('counts the calls this runtime placed there since the last heartbeat', () => {
    expect(leastLoaded([server({ reported: 5, held: 20 }), server({ reported: 10, held: 10 })])).toBe(1);
  });

  it('avoids a server that went away, whatever its load', () => {
    expect(leastLoaded([server({ up: false }), server({ reported: 90 })])).toBe(1);
  });

  it('answers -1 when no server is up', () => {
    expect(leastLoaded([server({ up: false }), server({ up: false })])).toBe(-1);
    expect(leastLoaded([])).toBe(-1);
  });

  it('takes the first on a tie and assumes a capacity before the first heartbeat', () => {
    expect(leastLoaded([server({ reported: 3 }), server({ reported: 3 })])).toBe(0);
    expect(leastLoaded([server({ held: 2, max: 0 }), server({ held: 1, max: 100 })])).toBe(0);
    expect(2 / UNKNOWN_MAX).toBeLessThan(1 / 100);
  });

  it('spreads new calls over equal servers as each one is counted', () => {
    const servers = [server(), server(), server()];
    const picks: number[] = [];
    for (let n = 0; n < 6; n++) {
      const i = leastLoaded(servers);
      picks.push(i);
      servers[i].held++;
    }
    expect(picks).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
