// The dialer's rules as functions: the pwd digest, outcome codes and retry names, start pacing, pre-calling, and
// the result strings of section 18.
import { describe, expect, it } from 'vitest';
import { localDate, pwdAccepted, pwdDigest } from '../../../runtime/callcenter/dialer/pwd.ts';
import { retryNameOf, stateOf } from '../../../runtime/callcenter/dialer/outcome.ts';
import { Pace } from '../../../runtime/callcenter/dialer/pace.ts';
import { freeAgents, mayPrecall, type AgentView } from '../../../runtime/callcenter/dialer/precall.ts';
import { ivrResult, varsOf } from '../../../runtime/callcenter/dialer/result.ts';
import type { OriginateFailure } from '../../../runtime/media/contract.ts';

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
  it('spaces starts 1/cps apart and counts channels', () => {
    let now = 10_000;
    const pace = new Pace(2, 20, () => now);
    expect(pace.wait()).toBe(0);
    pace.take();
    expect(pace.wait()).toBe(50);
    now += 30;
    expect(pace.wait()).toBe(20);
    now += 20;
    expect(pace.wait()).toBe(0);
    pace.take();
    // Idle for a while: no burst is saved up.
    now += 5000;
    pace.take();
    expect(pace.wait()).toBe(50);
    expect(pace.hasChannel(1)).toBe(true);
    expect(pace.hasChannel(2)).toBe(false);
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
