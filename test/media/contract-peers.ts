// The real SIP peers the media contract cases talk to, for any engine reached at one SIP address: sipp scripts as
// callers and callees, baresip as tone-sending callers and callees; and the tone files the cases play.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaEngine } from '../../runtime/media/contract.ts';
import type {
  CalleeBehaviour,
  CallerScript,
  ContractPeer,
  ContractSetup,
  PeerOutcome,
  ToneCall,
} from './contract-cases.ts';
import { MUSIC_HZ, PROMPT_HZ } from './contract-cases-media.ts';
import { startTonePeer, stopTonePeers, type BaresipEvent, type TonePeer } from './tone-peer.ts';
import { killPeers, runSipp, runSippUas, type SippResult } from './embedded/sip/peers.ts';

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

/** An 8 kHz mono 16-bit WAV of a steady `hz` tone lasting `seconds`, written by sox. */
export function writeTone(file: string, seconds: number, hz: number): void {
  execFileSync('sox', [
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
}

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

/** Peers that call the engine at `target()` (`host:port`, read at each call) and that the engine calls. */
export function sipPeers(target: () => string): ContractPeer {
  return {
    caller: '5551234',
    async call(script) {
      const { scenario, extra } = CALLER_SCENARIOS[script];
      const run = await runSipp(scenario, target(), { extra });
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
      const dialed = await peer.command('dial', `sip:ivr@${target()}`);
      if (!dialed.ok) throw new Error(`baresip could not dial: ${dialed.data ?? ''}\n${peer.output()}`);
      return { established };
    },
    async toneCallee(hz) {
      // Callees take PCMA only and callers prefer PCMU: conferences mix both laws.
      const peer = await startTonePeer(hz, { codec: 'PCMA' });
      return { target: { kind: 'uri', uri: peer.uri }, established: establishedOf(peer) };
    },
  };
}

/** The files a ContractSetup gives the cases: its prompts and hold music as tones, in a new temporary folder. */
export type ContractSounds = Pick<ContractSetup, 'dir' | 'shortPrompt' | 'longPrompt' | 'holdMusic'>;

export function contractSounds(prefix: string): ContractSounds {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sounds = {
    dir,
    shortPrompt: join(dir, 'short.wav'),
    longPrompt: join(dir, 'long.wav'),
    holdMusic: join(dir, 'moh.wav'),
  };
  writeTone(sounds.shortPrompt, 1, PROMPT_HZ);
  writeTone(sounds.longPrompt, 8, PROMPT_HZ);
  writeTone(sounds.holdMusic, 3, MUSIC_HZ);
  return sounds;
}

/**
 * A started engine as a ContractSetup: sipp and baresip peers at its SIP port; `close` stops the peers, then
 * `stop` (the engine), then removes the sounds' folder.
 */
export function contractSetup(
  engine: MediaEngine & { readonly sipPort: number | undefined },
  sounds: ContractSounds,
  stop: () => Promise<void>,
): ContractSetup {
  return {
    engine,
    ...sounds,
    peer: sipPeers(() => `127.0.0.1:${engine.sipPort}`),
    async close() {
      killPeers();
      await stopTonePeers();
      await stop();
      rmSync(sounds.dir, { recursive: true, force: true });
    },
  };
}
