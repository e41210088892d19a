// The dialer's rules as functions: the pwd digest, outcome codes and retry names, start pacing, pre-calling, and
// the result strings of section 18.
import { describe, expect, it } from 'vitest';
import { localDate, pwdAccepted, pwdDigest } from '../../../runtime/callcenter/dialer/pwd.ts';
import { retryNameOf, stateOf } from '../../../runtime/callcenter/dialer/outcome.ts';
import { Pace } from '../../../runtime/callcenter/dialer/pace.ts';
import { freeAgents, mayPrecall, type AgentView } from '../../../runtime/callcenter/dialer/precall.ts';
import { ivrResult, varsOf } from '../../../runtime/callcenter/dialer/result.ts';
import type { OriginateFailure } from '../../../runtime/media/contract.ts';
import { knownSpeech } from '../../../runtime/callcenter/dialer/warm.ts';
import { parse } from '../../../schema/parse.ts';

describe('pwd', () => {
  it('is the lower-case md5 of secret, callee, code and the day', () => {
    // md5 of "s3cret" "13227841198" "112233" "2015-03-16", computed with md5sum.
    expect(pwdDigest('s3cret', '13227841198', '112233', '2015-03-16')).toBe(
      '7544dbfa38d399b0a146494298bdac14',
    );
    expect(localDate(new Date(2015, 2, 16, 23, 59).getTime())).toBe('2015-03-16');
  });

  it('accepts today and yesterday, in either case; `no` unless required; nothing without a secret', () => {
    const now = new Date(2015, 2, 17, 0, 5).getTime();
    const policy = { secret: 's3cret', required: false };
    const day = (d: string) => pwdDigest('s3cret', '135', '1', d);
    expect(pwdAccepted(policy, day('2015-03-17'), '135', '1', now)).toBe(true);
    expect(pwdAccepted(policy, day('2015-03-16').toUpperCase(), '135', '1', now)).toBe(true);
    expect(pwdAccepted(policy, day('2015-03-15'), '135', '1', now)).toBe(false);
    expect(pwdAccepted(policy, day('2015-03-17'), '136', '1', now)).toBe(false);
    expect(pwdAccepted(policy, 'no', '135', '1', now)).toBe(true);
    expect(pwdAccepted(policy, undefined, '135', '1', now)).toBe(true);
    expect(pwdAccepted({ ...policy, required: true }, 'no', '135', '1', now)).toBe(false);
    expect(pwdAccepted({ ...policy, required: true }, undefined, '135', '1', now)).toBe(false);
    expect(pwdAccepted({ required: false }, day('2015-03-17'), '135', '1', now)).toBe(false);
  });
});

describe('outcomes', () => {
  it.each<[OriginateFailure, number, string | undefined]>([
    ['not-found', 3, undefined],
    ['busy', 5, 'busy'],
    ['unavailable', 6, 'unreachable'],
    ['no-answer', 2, 'no-answer'],
    ['failed', 2, 'failed'],
    ['cancelled', 2, 'failed'],
  ])('%s is state %i, retried as %s', (failure, state, retry) => {
    expect(stateOf(failure)).toBe(state);
    expect(retryNameOf(failure)).toBe(retry);
  });
});

describe('Pace', () => {
  it('starts at most callsPerSecond calls in any one second, and counts channels', () => {
    let now = 10_000;
    const pace = new Pace(2, 3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(pace.wait()).toBe(0);
      pace.take();
      now += 10;
    }
    // Three started at 10 000, 10 010 and 10 020: the fourth waits for the first to leave the window.
    expect(pace.wait()).toBe(970);
    now = 11_000;
    expect(pace.wait()).toBe(0);
    pace.take();
    expect(pace.wait()).toBe(10);
    // A late timer catches up: after a quiet second, three may start at once, then no fourth.
    now = 13_000;
    for (let i = 0; i < 3; i++) {
      expect(pace.wait()).toBe(0);
      pace.take();
    }
    expect(pace.wait()).toBe(1000);
    expect(pace.hasChannel(1)).toBe(true);
    expect(pace.hasChannel(2)).toBe(false);
  });

  it('lets INVITEs go in order, at most callsPerSecond in any one second', async () => {
    let now = 0;
    const slept: number[] = [];
    const pace = new Pace(
      10,
      2,
      () => now,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    const went: [number, number][] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => pace.admit().then(() => went.push([n, now]))));
    expect(went).toEqual([
      [1, 0],
      [2, 0],
      [3, 1000],
      [4, 1000],
      [5, 2000],
    ]);
    // An aborted caller goes at once and takes no slot.
    const aborted = new AbortController();
    aborted.abort();
    await pace.admit(aborted.signal);
    expect(now).toBe(2000);
  });

  it('spreads rates below one call a second over a longer window', () => {
    let now = 0;
    const pace = new Pace(1, 0.5, () => now);
    pace.take();
    now = 1500;
    expect(pace.wait()).toBe(500);
  });
});

describe('pre-calling', () => {
  const view = (free: string[], presence: Record<string, string> = {}): AgentView => ({
    directory: {
      group: (n) => (n === '3000' ? ({ number: '3000' } as never) : undefined),
      membersOf: () => ['801', '802', '803'].map((number) => ({ number }) as never),
      isExtension: (n) => ['801', '802', '803'].includes(n),
    },
    states: {
      isFree: (n) => free.includes(n),
      presenceOf: (n) => (presence[n] ?? 'online') as never,
    },
  });

  it('counts free agents of a group or an extension; busy presence is not free', () => {
    expect(freeAgents(view(['801', '803'], { '803': 'busy' }), '3000')).toBe(1);
    expect(freeAgents(view(['801']), '801')).toBe(1);
    expect(freeAgents(view([]), '801')).toBe(0);
    expect(freeAgents(view(['801']), '999')).toBe(0);
  });

  it('dials while calls in flight stay below free agents plus precallcount', () => {
    const twoFree = view(['801', '802']);
    expect(mayPrecall(twoFree, '3000', 0, 1)).toBe(true);
    expect(mayPrecall(twoFree, '3000', 0, 2)).toBe(false);
    expect(mayPrecall(twoFree, '3000', 1, 2)).toBe(true);
    expect(mayPrecall(view([]), '3000', 0, 0)).toBe(false);
    expect(mayPrecall(view([]), '3000', 2, 1)).toBe(true);
  });
});

describe('results', () => {
  it('keeps the variables of an IVR result and writes them after the state', () => {
    expect(varsOf('state=1;satisfact=8;comment=1')).toBe('satisfact=8;comment=1');
    expect(varsOf('state=1')).toBeNull();
    expect(varsOf(null)).toBeNull();
    expect(ivrResult(1, 'satisfact=8')).toBe('state=1;satisfact=8');
    expect(ivrResult(4, '')).toBe('state=4');
  });
});

describe('speech prepared while the customer rings', () => {
  it('is every TTS of the IVR that reads only the request variables, caller and callee', () => {
    const doc = parse(`<tns:vxml xmlns:tns="http://www.example.org/voicemail">
      <tns:form id="main">
        <tns:prompt><tns:tts voice="en">Hello \${ttsname}, calling \${callee}</tns:tts></tns:prompt>
        <tns:field name="k" length="1"><tns:prompt><tns:tts>You said \${k}</tns:tts></tns:prompt></tns:field>
        <tns:goto next="#b"/>
      </tns:form>
      <tns:form id="b"><tns:prompt><tns:tts>Bye \${ttsname}</tns:tts></tns:prompt><tns:hangup/></tns:form>
    </tns:vxml>`);
    expect(knownSpeech(doc, { ttsname: 'Li', callee: '139', caller: '0' })).toEqual([
      { kind: 'tts', text: 'Hello Li, calling 139', voice: 'en' },
      { kind: 'tts', text: 'Bye Li' },
    ]);
  });
});
