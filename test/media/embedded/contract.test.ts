// Runs the shared media contract cases against the embedded engine, with sipp and baresip as callers and callees.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import {
  runMediaContractCases,
  type CalleeBehaviour,
  type CallerScript,
  type PeerOutcome,
  type ToneCall,
} from '../contract-cases.ts';
import { MUSIC_HZ, PROMPT_HZ } from '../contract-cases-media.ts';
import { startTonePeer, stopTonePeers, type BaresipEvent, type TonePeer } from '../tone-peer.ts';
import { killPeers, runSipp, runSippUas, type SippResult } from './sip/peers.ts';

const CALLER_SCENARIOS: Record<CallerScript, { scenario: string; extra?: string[] }> = {
  'digits-then-wait-bye': { scenario: 'uac_dtmf.xml' },
  'wait-bye': { scenario: 'uac_wait_bye.xml' },
  'bye-soon': { scenario: 'uac_bye.xml' },
  'expect-refusal': {
    scenario: 'uac_refused.xml',
    extra: ['-key', 'caller', '5551234', '-key', 'codec', '0'],
  },
  'expect-503': { scenario: 'uac_expect_503.xml' },
};

const CALLEE_SCENARIOS: Record<CalleeBehaviour, { scenario: string; extra?: string[] }> = {
  'answer-wait-bye': { scenario: 'uas_answer.xml' },
  'answer-then-bye': { scenario: 'uas_answer_bye.xml' },
  busy: { scenario: 'uas_busy.xml' },
  'not-found': { scenario: 'uas_not_found.xml' },
  'ring-forever': { scenario: 'uas_ring.xml' },
};

const outcome = (r: SippResult): PeerOutcome => ({ ok: r.code === 0, detail: r.errors });

const sine = (file: string, seconds: number, hz: number): void =>
  void execFileSync('sox', [
    '-n',
    '-r',
    '8000',
    '-c',
    '1',
    '-b',
    '16',
    file,
    'synth',
    `${seconds}`,
    'sine',
    `${hz}`,
  ]);

/** The ToneCall of a baresip peer once its call is established (`ev` carries the SIP Call-ID). */
function toneCallOf(peer: TonePeer, ev: BaresipEvent): ToneCall {
  return {
    hz: peer.hz,
    sipCallId: String(ev.id),
    heard: () => peer.heard(),
    async hangup() {
      await peer.command('hangup');
      await peer.event('CALL_CLOSED');
    },
    stop: () => peer.stop(),
  };
}

/** Settles with the call once `peer` reports it established; never an unhandled rejection meanwhile. */
function establishedOf(peer: TonePeer): Promise<ToneCall> {
  const established = peer.event('CALL_ESTABLISHED').then((ev) => toneCallOf(peer, ev));
  established.catch(() => undefined);
  return established;
}

runMediaContractCases('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  const shortPrompt = join(dir, 'short.wav');
  const longPrompt = join(dir, 'long.wav');
  const holdMusic = join(dir, 'moh.wav');
  sine(shortPrompt, 1, PROMPT_HZ);
  sine(longPrompt, 8, PROMPT_HZ);
  sine(holdMusic, 3, MUSIC_HZ);
  const engine = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['udp', 'tcp'] });
  await engine.start();
  return {
    engine,
    shortPrompt,
    longPrompt,
    holdMusic,
    dir,
    peer: {
      caller: '5551234',
      async call(script) {
        const { scenario, extra } = CALLER_SCENARIOS[script];
        const run = await runSipp(scenario, `127.0.0.1:${engine.sipPort}`, { extra });
        return { done: run.done.then(outcome) };
      },
      async callee(behaviour) {
        const { scenario, extra } = CALLEE_SCENARIOS[behaviour];
        const run = await runSippUas(scenario, { extra });
        return {
          target: { kind: 'uri', uri: `sip:callee@127.0.0.1:${run.port}` },
          done: run.done.then(outcome),
        };
      },
      async toneCall(hz) {
        const peer = await startTonePeer(hz);
        const established = establishedOf(peer);
        const dialed = await peer.command('dial', `sip:ivr@127.0.0.1:${engine.sipPort}`);
        if (!dialed.ok) throw new Error(`baresip could not dial: ${dialed.data ?? ''}\n${peer.output()}`);
        return { established };
      },
      async toneCallee(hz) {
        // Callees take PCMA only and callers prefer PCMU: conferences mix both laws.
        const peer = await startTonePeer(hz, { codec: 'PCMA' });
        return { target: { kind: 'uri', uri: peer.uri }, established: establishedOf(peer) };
      },
    },
    async close() {
      killPeers();
      await stopTonePeers();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
