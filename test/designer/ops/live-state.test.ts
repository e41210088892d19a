// The operations view's model: GET /api/live's events folded into extensions and calls, the agent a call's actions
// act on, the manual's plain-text answers, and the shapes it shares with the runtime.
import { describe, expect, it } from 'vitest';
import type { CallView as RuntimeCallView } from '../../../runtime/callcenter/events.ts';
import type { ExtensionStatus as RuntimeExtensionStatus } from '../../../runtime/callcenter/extensions/live-state.ts';
import { readAnswer } from '../../../designer/src/ops/control.ts';
import { day, elapsed } from '../../../designer/src/ops/format.ts';
import {
  agentOf,
  applyLive,
  callList,
  EMPTY,
  ENDED_KEPT,
  extensionList,
  type LiveState,
} from '../../../designer/src/ops/live-state.ts';
import type { CallView, ExtensionStatus, LegView } from '../../../designer/src/ops/types.ts';

// The runtime's rows must be readable as the view's (a field renamed there fails to type-check here).
const _ext = (e: RuntimeExtensionStatus): ExtensionStatus => e;
const _call = (c: RuntimeCallView): CallView => c;
void [_ext, _call];

const ext = (telNum: string, state: ExtensionStatus['state'] = 'ONLINE'): ExtensionStatus => ({
  telNum,
  userName: telNum,
  telRegState: state === 'OFFLINE' ? 0 : 1,
  phoneType: 'baresip',
  state,
  presence: state === 'OFFLINE' ? 'offline' : 'online',
  missingCallCount: 0,
});

const leg = (
  role: LegView['role'],
  number: string,
  status: LegView['status'],
  extension?: string,
): LegView => ({
  legId: `${role}-${number}-${status}`,
  role,
  number,
  extension,
  direction: role === 'customer' ? 'outgoing' : 'incoming',
  businessId: role === 'customer' ? 'maincall' : `b-${number}`,
  status,
  answered: status === 'talking',
  beganAt: 0,
});

const call = (callId: string, beganAt: number, legs: LegView[] = []): CallView => ({
  callId,
  kind: 'inbound',
  caller: '13800000000',
  callee: '1000',
  flowId: 'f',
  beganAt,
  legs,
});

const fold = (...events: Parameters<typeof applyLive>[1][]): LiveState => events.reduce(applyLive, EMPTY);

describe('applyLive', () => {
  it('starts from the snapshot and follows extension and call events', () => {
    const s = fold(
      { event: 'snapshot', data: { extensions: [ext('802'), ext('801')], calls: [call('a', 5)] } },
      { event: 'extension', data: ext('801', 'BUSY_INCOMING') },
      { event: 'call', data: call('b', 3) },
    );
    expect(extensionList(s.extensions).map((e) => [e.telNum, e.state])).toEqual([
      ['801', 'BUSY_INCOMING'],
      ['802', 'ONLINE'],
    ]);
    expect(callList(s.calls).map((c) => c.callId)).toEqual(['b', 'a']);
  });

  it('orders extensions by number, 90 before 801', () => {
    const s = fold({ event: 'snapshot', data: { extensions: [ext('801'), ext('90')], calls: [] } });
    expect(extensionList(s.extensions).map((e) => e.telNum)).toEqual(['90', '801']);
  });

  it('moves an ended call to the ended list, and its legs hung up afterwards never bring it back', () => {
    const live = call('a', 1, [leg('customer', '138', 'talking')]);
    const s = fold(
      { event: 'snapshot', data: { extensions: [], calls: [live] } },
      {
        event: 'call-ended',
        data: { callId: 'a', ending: { endedAt: 9, answered: true, reason: 'hangup' } },
      },
      { event: 'call', data: call('a', 1, [leg('customer', '138', 'ended')]) },
    );
    expect(s.calls).toEqual({});
    expect(s.ended).toHaveLength(1);
    expect(s.ended[0].ending.reason).toBe('hangup');
    expect(s.ended[0].call.legs[0].status).toBe('ended');
    // A snapshot taken while the call still hangs up its legs does not revive it either.
    const again = applyLive(s, { event: 'snapshot', data: { extensions: [], calls: [live] } });
    expect(again.calls).toEqual({});
  });

  it('keeps only the newest ended calls', () => {
    let s = EMPTY;
    for (let i = 0; i < ENDED_KEPT + 3; i++) {
      s = applyLive(s, { event: 'call', data: call(`c${i}`, i) });
      s = applyLive(s, {
        event: 'call-ended',
        data: { callId: `c${i}`, ending: { endedAt: i, answered: false, reason: 'canceled' } },
      });
    }
    expect(s.ended.map((e) => e.call.callId)).toEqual(['c7', 'c6', 'c5', 'c4', 'c3']);
  });
});

describe('agentOf', () => {
  it('is the talking agent, else the ringing one; never an ended one or the supervisor', () => {
    expect(agentOf(call('a', 0, [leg('customer', '138', 'talking')]))).toBeUndefined();
    expect(
      agentOf(call('a', 0, [leg('customer', '138', 'talking'), leg('agent', '801', 'ringing', '801')])),
    ).toBe('801');
    const transferred = call('a', 0, [
      leg('customer', '138', 'talking'),
      leg('agent', '801', 'ended', '801'),
      leg('agent', '802', 'talking', '802'),
      leg('supervisor', '803', 'talking', '803'),
    ]);
    expect(agentOf(transferred)).toBe('802');
    const ringingAfter = call('a', 0, [
      leg('customer', '138', 'talking'),
      leg('agent', '801', 'talking', '801'),
      leg('agent', '802', 'ringing', '802'),
    ]);
    expect(agentOf(ringingAfter)).toBe('801');
  });
});

describe('readAnswer', () => {
  it('reads the code and the reason of the manual’s plain-text answers', () => {
    expect(readAnswer(200, '200\n')).toEqual({ code: 200, text: '' });
    expect(readAnswer(403, '403\nextension 802 lacks the monitor permission\n')).toEqual({
      code: 403,
      text: 'extension 802 lacks the monitor permission',
    });
    expect(readAnswer(200, '200\nabc@host\n')).toEqual({ code: 200, text: 'abc@host' });
  });

  it('keeps the HTTP status when the body is not an answer, and code 0 when the runtime was not reached', () => {
    expect(readAnswer(502, '<html>Bad gateway</html>')).toEqual({
      code: 502,
      text: '<html>Bad gateway</html>',
    });
    expect(readAnswer(0, 'TypeError: Failed to fetch')).toEqual({
      code: 0,
      text: 'TypeError: Failed to fetch',
    });
  });
});

describe('format', () => {
  it('counts up m:ss, then h:mm:ss', () => {
    expect(elapsed(0, 0)).toBe('0:00');
    expect(elapsed(1000, 66_500)).toBe('1:05');
    expect(elapsed(0, 3_723_000)).toBe('1:02:03');
    expect(elapsed(5000, 0)).toBe('0:00');
  });

  it('writes local days as CALL_LOG_QUERY takes them', () => {
    const noon = new Date(2026, 0, 1, 12).getTime();
    expect(day(noon)).toBe('2026-01-01');
    expect(day(noon, 1)).toBe('2025-12-31');
  });
});
