// Flow control and the other elements: if/elseif/else, goto, assign, hangup, budgets, transfer, record, TTS.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TransferRequest } from '../../runtime/interpreter/session.ts';
import { wavDurationMs } from '../../runtime/media/sim/wav.ts';
import { doc, form, leftovers, makeSounds, simulate, xml } from './session-harness.ts';

const sounds = makeSounds();
afterAll(() => sounds.cleanup());
const soundRoot = sounds.root;

describe('if / goto / assign', () => {
  const branching = (value: string) =>
    xml(`<tns:form id="main">
      <tns:assign name="x" expr="'${value}'"/>
      <tns:if cond="x == 'a'"><tns:assign name="r" expr="'then'"/>
        <tns:elseif cond="x == 'b'"><tns:assign name="r" expr="'elseif0'"/></tns:elseif>
        <tns:elseif cond="x == 'c'"><tns:goto next="#other"/></tns:elseif>
        <tns:else><tns:assign name="r" expr="'else'"/></tns:else>
      </tns:if>
      <tns:assign name="after" expr="'yes'"/>
    </tns:form>
    <tns:form id="other"><tns:assign name="r" expr="'other form'"/></tns:form>`);

  it.each([
    ['a', 'then', 0, 'yes'],
    ['b', 'elseif0', 1, 'yes'],
    ['c', 'other form', 2, undefined],
    ['z', 'else', 3, 'yes'],
  ])('x=%s takes the right branch', async (x, r, index, after) => {
    const run = await simulate(branching(x));
    expect(run.result.vars.r).toBe(r);
    expect(run.result.vars.after).toBe(after);
    expect(run.of('branch')[0].index).toBe(index);
    expect(run.result.endReason).toBe('end-of-document');
  });

  it('an if without a true branch and without else takes none and goes on', async () => {
    const run = await simulate(
      xml(
        `<tns:form id="main"><tns:if cond="caller == '1'"><tns:hangup/></tns:if><tns:assign name="y" expr="caller"/></tns:form>`,
      ),
    );
    expect(run.of('branch')[0].index).toBe(-1);
    expect(run.result.vars.y).toBe('13800000000');
  });

  it('trace items carry their path inside branches', async () => {
    const run = await simulate(branching('b'));
    expect(run.of('assign').map((e) => e.item)).toEqual(['0', '1/elseif/0/0', '2']);
  });

  it('a bad cond counts as false and is traced', async () => {
    const d = doc(
      form('main', {
        type: 'if',
        cond: 'x ==',
        then: [{ type: 'hangup' }],
        elseifs: [],
        else: [{ type: 'assign', name: 'e', expr: '1' }],
      }),
    );
    const run = await simulate(d);
    expect(run.of('error')[0].code).toBe('E_COND');
    expect(run.result.vars.e).toBe('1');
  });

  it('goto hungup hangs up; goto to a missing form ends with an error', async () => {
    const hung = await simulate(
      xml(`<tns:form id="main"><tns:goto next="hungup"/><tns:assign name="n" expr="1"/></tns:form>`),
    );
    expect(hung.result.endReason).toBe('hangup');
    expect(hung.result.vars.n).toBeUndefined();
    expect(hung.leg.hangupCause).toBe('normal');
    const missing = await simulate(xml(`<tns:form id="main"><tns:goto next="#nowhere"/></tns:form>`));
    expect(missing.result.endReason).toBe('error');
    expect(missing.of('error')[0]).toMatchObject({ code: 'E_GOTO_TARGET' });
    expect(missing.leg.hangupCause).toBe('error');
  });

  it('a document without main ends with an error', async () => {
    const run = await simulate(xml(`<tns:form id="start"><tns:hangup/></tns:form>`));
    expect(run.result.endReason).toBe('error');
  });

  it('a goto loop ends on the step budget', async () => {
    const loop = xml(`<tns:form id="main"><tns:assign name="n" expr="1"/><tns:goto next="#b"/></tns:form>
      <tns:form id="b"><tns:goto next="#main"/></tns:form>`);
    const run = await simulate(loop);
    expect(run.result.endReason).toBe('step-budget');
    expect(run.result.steps).toBe(10_000);
    expect(run.of('error').at(-1)?.code).toBe('E_STEP_BUDGET');
    const small = await simulate(loop, { maxSteps: 7 });
    expect(small.result.endReason).toBe('step-budget');
    expect(small.of('goto')).toHaveLength(4);
    expect(small.result.steps).toBe(7);
    expect(leftovers(small)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('a form that ends without a transition hangs up', async () => {
    const run = await simulate(xml(`<tns:form id="main"><tns:assign name="n" expr="1"/></tns:form>`));
    expect(run.result.endReason).toBe('end-of-document');
    expect(run.leg.state).toBe('ended');
    expect(run.of('hangup')[0].reason).toBe('end-of-document');
    expect(run.trace.at(-1)).toMatchObject({
      type: 'result',
      endReason: 'end-of-document',
      result: 'state=1',
    });
  });

  it('<tns:hangup/> ends the call', async () => {
    const run = await simulate(
      xml(`<tns:form id="main"><tns:hangup/><tns:assign name="n" expr="1"/></tns:form>`),
    );
    expect(run.result.endReason).toBe('hangup');
    expect(run.result.vars.n).toBeUndefined();
  });

  it('assign evaluates expressions; a bad one leaves the variable and is traced', async () => {
    const run = await simulate(
      doc(
        form(
          'main',
          { type: 'assign', name: 'ok', expr: "callee == '4000' && caller != ''" },
          { type: 'assign', name: 'ok', expr: 'f(' },
        ),
      ),
    );
    expect(run.result.vars.ok).toBe('true');
    expect(run.of('error')[0].code).toBe('E_ASSIGN');
  });
});

describe('tts', () => {
  it('interpolates variables (tts* from the request, collected fields) and takes 150 ms a character', async () => {
    const d = xml(`<tns:form id="main">
      <tns:field name="amount" length="3"><tns:prompt><tns:tts>您好${'${ttsname}'}</tns:tts></tns:prompt></tns:field>
      <tns:prompt><tns:tts voice="zh">共${'${amount}'}元</tns:tts></tns:prompt></tns:form>`);
    const run = await simulate(d, { soundRoot, vars: { ttsname: '张三' }, keys: '120' });
    expect(run.of('prompt.start').map((e) => e.sources)).toEqual([['tts:您好张三'], ['tts:共120元']]);
    expect(run.leg.played[1].source).toEqual({ kind: 'tts', text: '共120元', voice: 'zh' });
    expect(run.leg.played[1].durationMs).toBe(5 * 150);
    expect(run.result.vars.ttsname).toBe('张三');
    expect(run.result.result).toBe('state=1;amount=120');
  });

  it('interpolates audio src', async () => {
    const d = xml(
      `<tns:form id="main"><tns:assign name="n" expr="'b'"/><tns:prompt><tns:audio src="[FILE_PATH]/${'${n}'}.wav"/></tns:prompt></tns:form>`,
    );
    const run = await simulate(d, { soundRoot });
    expect(run.leg.played[0].durationMs).toBe(2000);
  });

  it('a standalone prompt plays repeat times; a barge-in key stops it', async () => {
    const d = xml(
      `<tns:form id="main"><tns:prompt repeat="3" bargein="true"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt></tns:form>`,
    );
    const run = await simulate(d, { soundRoot });
    expect(run.leg.played).toHaveLength(3);
    const stopped = await simulate(d, {
      soundRoot,
      onEvent: (ev, { leg, clock }) => {
        if (ev.type === 'prompt.start' && ev.play === 2) clock.setTimeout(() => leg.pressKeys('5'), 100);
      },
    });
    expect(stopped.leg.played.map((p) => p.playedMs)).toEqual([1000, 100]);
    expect(stopped.result.vars.input).toBe('');
  });
});

describe('transfer', () => {
  const d =
    xml(`<tns:form id="main"><tns:assign name="agent" expr="'801'"/><tns:transfer dest="${'${agent}'}" timeout="20"/>
    <tns:if cond="transfer_status == 'busy'"><tns:assign name="fallback" expr="'yes'"/></tns:if></tns:form>`);

  it('without a handler it fails cleanly and the flow goes on', async () => {
    const run = await simulate(d);
    expect(run.of('transfer')[0]).toMatchObject({ dest: '801', status: 'failed' });
    expect(run.result.vars.transfer_status).toBe('failed');
    expect(run.result.endReason).toBe('end-of-document');
  });

  it('a successful transfer ends the session without hanging up the leg', async () => {
    const seen: [string, TransferRequest][] = [];
    const run = await simulate(d, {
      transfer: async (dest, req) => {
        seen.push([dest, req]);
        return { status: 'transferred' };
      },
    });
    expect(seen[0][0]).toBe('801');
    expect(seen[0][1].timeoutSec).toBe(20);
    expect(run.result.endReason).toBe('transferred');
    expect(run.leg.state).toBe('answered');
    expect(run.of('hangup')).toHaveLength(0);
  });

  it('a busy destination continues with the next item', async () => {
    const run = await simulate(d, { transfer: async () => ({ status: 'busy', detail: '486' }) });
    expect(run.result.vars.fallback).toBe('yes');
    expect(run.of('transfer')[0]).toMatchObject({ status: 'busy', detail: '486' });
  });

  it('a caller hang-up during the transfer aborts its signal and ends the call', async () => {
    const run = await simulate(d, {
      onEvent: (ev, { leg, clock }) => {
        if (ev.type === 'form.enter') clock.setTimeout(() => leg.hangupFromCaller(), 1000);
      },
      transfer: (_dest, req) =>
        new Promise((resolve) => {
          req.signal.addEventListener('abort', () => resolve({ status: 'cancelled' }));
        }),
    });
    expect(run.of('transfer')[0]).toMatchObject({ status: 'cancelled', t: 1000 });
    expect(run.result.endReason).toBe('caller-hangup');
    expect(run.result.vars.fallback).toBeUndefined();
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('a handler that throws counts as failed', async () => {
    const run = await simulate(d, {
      transfer: async () => {
        throw new Error('engine down');
      },
    });
    expect(run.of('transfer')[0]).toMatchObject({ status: 'failed', detail: 'engine down' });
  });
});

describe('record', () => {
  const d = xml(
    `<tns:form id="main"><tns:record name="msg" maxtime="5" public="true"/><tns:assign name="after" expr="1"/></tns:form>`,
  );

  it('records until # into the recordings dir and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-rec-'));
    try {
      const recs: unknown[] = [];
      const run = await simulate(d, {
        recordingsDir: dir,
        onRecording: (r) => recs.push(r),
        onEvent: (ev, { leg, clock }) => {
          if (ev.type === 'form.enter') clock.setTimeout(() => leg.pressKeys('#'), 2500);
        },
      });
      const ev = run.of('record')[0];
      expect(ev).toMatchObject({ name: 'msg', durationMs: 2500, reason: 'terminator' });
      expect(ev.path?.startsWith(dir)).toBe(true);
      expect(wavDurationMs(ev.path as string)).toBe(2500);
      expect(recs).toEqual([{ name: 'msg', path: ev.path, durationMs: 2500, public: true, ivrInput: '' }]);
      expect(run.result.vars.after).toBe('1');
      expect(
        readFileSync(ev.path as string)
          .subarray(0, 4)
          .toString(),
      ).toBe('RIFF');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops at maxtime; a caller hang-up keeps the message and ends the call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-rec-'));
    try {
      const full = await simulate(d, { recordingsDir: dir });
      expect(full.of('record')[0]).toMatchObject({ durationMs: 5000, reason: 'max-time' });
      const hung = await simulate(d, {
        recordingsDir: dir,
        onEvent: (ev, { leg, clock }) => {
          if (ev.type === 'form.enter') clock.setTimeout(() => leg.hangupFromCaller(), 1200);
        },
      });
      expect(hung.of('record')[0]).toMatchObject({ durationMs: 1200, reason: 'hungup' });
      expect(hung.result.endReason).toBe('caller-hangup');
      expect(hung.result.vars.after).toBeUndefined();
      expect(leftovers(hung)).toEqual({ timers: 0, holds: 0, listeners: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a recordings dir it is an error in the trace and the flow goes on', async () => {
    const run = await simulate(d);
    expect(run.of('error')[0].code).toBe('E_RECORD');
    expect(run.result.vars.after).toBe('1');
  });
});
