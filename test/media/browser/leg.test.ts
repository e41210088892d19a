// BrowserLeg: prompts resolve on the browser's `played`, on a barge-in key, on the server deadline, abort or hang-up.
import { describe, expect, it } from 'vitest';
import { BrowserLeg } from '../../../runtime/media/browser/leg.ts';
import type { ServerMessage } from '../../../runtime/media/browser/protocol.ts';
import type { DtmfEvent, MediaSource } from '../../../runtime/media/contract.ts';
import { VirtualClock } from '../../../runtime/media/sim/virtual-clock.ts';

const TTS: MediaSource = { kind: 'tts', text: 'hello' };

function makeLeg(clock = new VirtualClock()) {
  const sent: ServerMessage[] = [];
  const leg = new BrowserLeg({
    id: 'b1',
    from: '555',
    to: '1000',
    send: (m) => sent.push(m),
    urlFor: (s) =>
      s.kind === 'tts'
        ? `/tts?${s.text}`
        : s.path.startsWith('/root/')
          ? `/sounds/${s.path.slice(6)}`
          : undefined,
    slackMs: 1000,
    clock,
  });
  return { leg, sent, clock };
}

const lastPlay = (sent: ServerMessage[]) =>
  sent.filter((m) => m.type === 'play').pop() as Extract<ServerMessage, { type: 'play' }>;

describe('BrowserLeg', () => {
  it('sends a play and completes when the browser reports it played', async () => {
    const { leg, sent } = makeLeg();
    await leg.answer();
    expect(leg.state).toBe('answered');
    const result = leg.play([TTS], { bargein: false });
    const play = lastPlay(sent);
    expect(play).toEqual({
      type: 'play',
      playId: 1,
      bargein: false,
      items: [{ kind: 'tts', text: 'hello', url: '/tts?hello' }],
    });
    leg.played(99);
    leg.played(play.playId);
    expect(await result).toEqual({ reason: 'completed', errors: [] });
  });

  it('stops a barge-in prompt on a key, delivers the key as dtmf and tells the browser to stop', async () => {
    const { leg, sent } = makeLeg();
    const keys: DtmfEvent[] = [];
    leg.on('dtmf', (ev) => keys.push(ev));
    const result = leg.play([TTS], { bargein: true });
    leg.digit('5');
    expect(await result).toEqual({ reason: 'interrupted', digit: '5', errors: [] });
    expect(keys.map((k) => k.digit)).toEqual(['5']);
    expect(sent[sent.length - 1]).toEqual({ type: 'stop', playId: 1 });
  });

  it('keeps playing through keys without barge-in, and ends at the deadline when the browser stays silent', async () => {
    const { leg, clock } = makeLeg();
    let settled = false;
    const result = leg.play([TTS], { bargein: false }).then((r) => ((settled = true), r));
    leg.digit('1');
    // 'hello' is estimated at 5 × 150 ms, plus 1000 ms slack.
    await clock.advance(1749);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await result).toEqual({ reason: 'completed', errors: [] });
  });

  it('reports sources the browser cannot fetch as errors and plays the rest', async () => {
    const { leg, sent } = makeLeg();
    const outside: MediaSource = { kind: 'file', path: '/etc/x.wav' };
    const result = leg.play([outside, TTS], { bargein: false });
    leg.played(lastPlay(sent).playId);
    const r = await result;
    expect(r.reason).toBe('completed');
    expect(r.errors).toEqual([{ source: outside, message: expect.stringMatching(/not playable/) }]);
    expect(lastPlay(sent).items).toHaveLength(1);
  });

  it('ends a prompt on abort and on hang-up, and refuses recording', async () => {
    const { leg, sent } = makeLeg();
    const ctl = new AbortController();
    const aborted = leg.play([TTS], { bargein: false, signal: ctl.signal });
    ctl.abort();
    expect((await aborted).reason).toBe('aborted');
    expect(sent[sent.length - 1]).toEqual({ type: 'stop', playId: 1 });

    const hangups: string[] = [];
    leg.on('hangup', (ev) => hangups.push(`${ev.by}:${ev.cause}`));
    const playing = leg.play([TTS], { bargein: false });
    leg.remoteHangup();
    expect((await playing).reason).toBe('hungup');
    expect(leg.state).toBe('ended');
    await leg.hangup();
    expect(hangups).toEqual(['remote:caller-hangup']);
    expect((await leg.play([TTS], { bargein: false })).reason).toBe('hungup');
    await expect(leg.record({ path: '/tmp/x.wav', maxSeconds: 5 })).rejects.toThrow(/not supported/);
  });
});
