// The food-ordering example end to end on virtual time against its real check backend.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import { parse } from '../../schema/parse.ts';
import { leftovers, simulate, withCheckPort, type Run } from './session-harness.ts';

const FLOW = new URL('../../examples/food-ordering/flow.xml', import.meta.url);
const soundRoot = new URL('../../sounds', import.meta.url).pathname;
const flow = parse(readFileSync(FLOW));
let backend: RunningBackend;

beforeAll(async () => {
  backend = await startExamplesBackend({ port: 0 });
});
afterAll(() => backend.close());

let calls = 0;
async function call(keys: string, opts: Parameters<typeof simulate>[1] = {}): Promise<Run> {
  return simulate(withCheckPort(flow, backend.port), {
    soundRoot,
    keys,
    callId: `food-${++calls}@test`,
    ...opts,
  });
}

function forms(run: Run): string[] {
  return run.of('form.enter').map((e) => e.form as string);
}

async function orders(): Promise<{ callid: string; member: string; items: string[] }[]> {
  const res = await fetch(`http://127.0.0.1:${backend.port}/orders`);
  return res.json() as Promise<{ callid: string; member: string; items: string[] }[]>;
}

describe('food ordering', () => {
  it('member number, item 0101, confirm with 1: the order is placed and the call hangs up', async () => {
    const run = await call('13800000000#,0101,1');
    expect(forms(run)).toEqual([
      'main',
      'input_telnum',
      'order',
      '0101',
      'input_goods_confirm',
      'finish_order',
    ]);
    expect(run.of('check.response').map((e) => e.value)).toEqual(['LOGIN_SUCCESS', '0101', 'OK']);
    expect(run.of('error')).toEqual([]);
    expect(run.result.endReason).toBe('hangup');
    expect(run.leg.state).toBe('ended');
    const mine = (await orders()).find((o) => o.callid === run.leg.callId);
    expect(mine).toMatchObject({ member: '13800000000', items: ['0101'] });
    // Every prompt played from the real sound files, with their real lengths.
    expect(run.leg.played.every((p) => p.durationMs > 0)).toBe(true);
    expect(run.leg.played.at(-1)?.source).toMatchObject({ kind: 'file' });
    expect(String((run.leg.played.at(-1)?.source as { path: string }).path)).toMatch(/order_confirm\.wav$/);
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('a wrong member number is refused and asked again; 0102 then 2 keeps ordering', async () => {
    const run = await call('123#,13800000000#,0102,2,0101,1');
    expect(forms(run)).toEqual([
      'main',
      'input_telnum',
      'input_telnum',
      'order',
      '0102',
      'input_goods_confirm',
      'order',
      '0101',
      'input_goods_confirm',
      'finish_order',
    ]);
    expect(run.of('check.response')[0].value).toBe('LOGIN_ERROR');
    const mine = (await orders()).find((o) => o.callid === run.leg.callId);
    expect(mine?.items).toEqual(['0102', '0101']);
  });

  it('sold-out and unknown items are announced and asked again', async () => {
    const run = await call('13800000000#,0103,9999,0101,1');
    expect(run.of('check.response').map((e) => e.value)).toEqual([
      'LOGIN_SUCCESS',
      'GOODS_FALSE',
      'GOODS_ERROR',
      '0101',
      'OK',
    ]);
    const played = run.leg.played.map((p) => (p.source as { path: string }).path.split('/').pop());
    expect(played).toContain('goods_false.wav');
    expect(played).toContain('goods_error.wav');
    expect(run.result.endReason).toBe('hangup');
  });

  it('a key other than 1 or 2 asks for confirmation again', async () => {
    const run = await call('13800000000#,0101,5,1');
    expect(forms(run).slice(-3)).toEqual(['input_goods_confirm', 'input_goods_confirm', 'finish_order']);
  });

  it('a silent caller hears the prompt three times, then goodbye', async () => {
    const run = await call('');
    expect(run.of('prompt.start').filter((e) => e.form === 'input_telnum')).toHaveLength(3);
    expect(forms(run)).toEqual(['main', 'input_telnum', 'no_input']);
    expect(run.of('check.request')).toHaveLength(0);
    expect(run.result.endReason).toBe('hangup');
  });

  it('the caller hanging up mid-order ends the call', async () => {
    const run = await call('13800000000#,01!');
    expect(run.result.endReason).toBe('caller-hangup');
    expect(forms(run).at(-1)).toBe('order');
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('a backend that is down sends the caller to the agent group', async () => {
    const down = await startExamplesBackend({ port: 0 });
    const port = down.port;
    await down.close();
    const dests: string[] = [];
    const run = await simulate(withCheckPort(flow, port), {
      soundRoot,
      keys: '13800000000#',
      transfer: async (dest) => {
        dests.push(dest);
        return { status: 'transferred' };
      },
    });
    expect(run.of('check.response')[0]).toMatchObject({ error: 'E_CHECK_NETWORK', value: 'CHECK_ERROR' });
    expect(forms(run)).toEqual(['main', 'input_telnum', 'service_error']);
    expect(dests).toEqual(['8000']);
    expect(run.result.endReason).toBe('transferred');
  });

  it('is deterministic: the same keys give the same trace (but for real check latency)', async () => {
    const strip = (run: Run) =>
      run.trace.map(({ callId: _c, ...e }) => ('latencyMs' in e ? { ...e, latencyMs: 0 } : e));
    const a = await call('123#,13800000000#,0103,0101,5,2,0102,1', { callId: 'same@test' });
    const b = await call('123#,13800000000#,0103,0101,5,2,0102,1', { callId: 'same@test' });
    expect(strip(b)).toEqual(strip(a));
    expect(a.trace.length).toBeGreaterThan(50);
  });

  it('random callers always end cleanly within the budgets', async () => {
    // A small deterministic PRNG (mulberry32) so a failure can be replayed.
    let seed = 20261124;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const turns = [
      '13800000000#',
      '123#',
      '0101',
      '0102',
      '0103',
      '9999',
      '1',
      '2',
      '5',
      '_',
      '#',
      '12!',
      '!',
    ];
    for (let i = 0; i < 25; i++) {
      const keys = Array.from(
        { length: 1 + Math.floor(random() * 8) },
        () => turns[Math.floor(random() * turns.length)],
      );
      const run = await call(keys.join(','));
      expect(['hangup', 'caller-hangup', 'end-of-document'], keys.join(',')).toContain(run.result.endReason);
      expect(run.of('error').filter((e) => e.code === 'E_INTERNAL')).toEqual([]);
      expect(run.trace.at(-1)?.type).toBe('result');
      expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
    }
  });
});
