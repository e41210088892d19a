// The event bus: typed delivery in subscription order, failing readers isolated, durable readers awaited.
import { describe, expect, it } from 'vitest';
import { EventBus, type CallCenterEvent } from '../../runtime/callcenter/events.ts';
import { callTypeOf } from '../../runtime/callcenter/call-type.ts';

const ext = (n: string) => n === '801' || n === '802';
const changed = (number: string): CallCenterEvent => ({ type: 'extension.changed', at: 1, number });

describe('EventBus', () => {
  it('delivers by type, then to every-event readers, in subscription order', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    const seen: string[] = [];
    bus.onAny((ev) => void seen.push(`any:${ev.type}`));
    const off = bus.on('extension.changed', (ev) => void seen.push(`typed:${ev.number}`));
    bus.on('call.trace', () => void seen.push('wrong type'));
    await bus.emit(changed('801'));
    off();
    await bus.emit(changed('802'));
    expect(seen).toEqual(['typed:801', 'any:extension.changed', 'any:extension.changed']);
    expect(errors).toEqual([]);
  });

  it('isolates a failing reader, counts it, and still awaits the others', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((err) => errors.push(err));
    let committed = false;
    bus.on('extension.changed', () => {
      throw new Error('reader broke');
    });
    bus.on('extension.changed', async () => {
      await new Promise((r) => setImmediate(r));
      committed = true;
    });
    bus.on('extension.changed', () => Promise.reject(new Error('async reader broke')));
    await bus.emit(changed('801'));
    expect(committed).toBe(true);
    expect(bus.errors).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['reader broke', 'async reader broke']);
  });
});

describe('callTypeOf', () => {
  it.each([
    ['801', '802', 'CENTREX_CALL'],
    ['801', '60610123', 'LOCAL_CALL'],
    ['13800000000', '801', 'LOCAL_CALL'],
    ['801', '02088886666', 'NATIONAL_CALL'],
    ['801', '0085212345678', 'OVERSEAS_CALL'],
    ['+85212345678', '801', 'OVERSEAS_CALL'],
    ['anonymous', '1000', 'UNKNOW_CALL'],
  ])('%s -> %s is %s', (caller, callee, type) => {
    expect(callTypeOf(caller, callee, ext)).toBe(type);
  });
});
