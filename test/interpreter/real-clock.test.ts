// The same session on the real clock (as on a live call): collection timing and clean ends with real timers.
import { describe, expect, it } from 'vitest';
import { realClock } from '../../runtime/media/contract.ts';
import { runSession } from '../../runtime/interpreter/session.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { xml } from './session-harness.ts';

const flow = xml(`<tns:form id="main">
  <tns:field name="pin" length="4" inputexpires="300"><tns:prompt><tns:tts>abcdef</tns:tts></tns:prompt></tns:field>
  <tns:if cond="pin == '12'"><tns:goto next="hungup"/></tns:if></tns:form>`);

function realTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('on the real clock', () => {
  it('collects keys pressed in real time and ends on #', async () => {
    const leg = new SimLeg({ clock: realClock, ttsMsPerChar: 5 });
    const trace: TraceEvent[] = [];
    const result = await runSession({
      document: flow,
      leg,
      clock: realClock,
      soundRoot: '/nonexistent',
      onTrace: (ev) => {
        trace.push(ev);
        if (ev.type === 'collect.start') setTimeout(() => leg.pressKeys('12#'), 10);
      },
    });
    expect(result.vars.pin).toBe('12');
    expect(result.endReason).toBe('hangup');
    expect(trace.find((e) => e.type === 'collect.end')).toMatchObject({ reason: 'terminator' });
    expect(leg.listenerCount()).toBe(0);
  });

  it('a caller hang-up during collection leaves no real timer behind', async () => {
    const before = realTimers();
    const leg = new SimLeg({ clock: realClock, ttsMsPerChar: 5 });
    const trace: TraceEvent[] = [];
    const result = await runSession({
      document: flow,
      leg,
      clock: realClock,
      soundRoot: '/nonexistent',
      onTrace: (ev) => {
        trace.push(ev);
        if (ev.type === 'collect.start') setTimeout(() => leg.hangupFromCaller(), 50);
      },
    });
    expect(result.endReason).toBe('caller-hangup');
    // Ended by the hang-up, not by inputexpires.
    expect(trace.find((e) => e.type === 'collect.end')).toMatchObject({ reason: 'hangup' });
    expect(realTimers()).toBeLessThanOrEqual(before);
    expect(leg.listenerCount()).toBe(0);
  });
});
