// Runs the shared media contract cases against the embedded engine, with sipp as caller and callee.
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
} from '../contract-cases.ts';
import { killPeers, runSipp, runSippUas, type SippResult } from './sip/peers.ts';

const CALLER_SCENARIOS: Record<CallerScript, { scenario: string; extra?: string[] }> = {
  'digits-then-wait-bye': { scenario: 'uac_dtmf.xml' },
  'wait-bye': { scenario: 'uac_wait_bye.xml' },
  'bye-soon': { scenario: 'uac_bye.xml' },
  'expect-refusal': {
    scenario: 'uac_refused.xml',
    extra: ['-key', 'caller', '5551234', '-key', 'codec', '0'],
  },
};

const CALLEE_SCENARIOS: Record<CalleeBehaviour, { scenario: string; extra?: string[] }> = {
  'answer-wait-bye': { scenario: 'uas_answer.xml' },
  'answer-then-bye': { scenario: 'uas_answer_bye.xml' },
  busy: { scenario: 'uas_busy.xml' },
  'not-found': { scenario: 'uas_not_found.xml' },
  'ring-forever': { scenario: 'uas_ring.xml' },
};

const outcome = (r: SippResult): PeerOutcome => ({ ok: r.code === 0, detail: r.errors });

runMediaContractCases('embedded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  const shortPrompt = join(dir, 'short.wav');
  const longPrompt = join(dir, 'long.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', shortPrompt, 'synth', '1', 'sine', '440']);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', longPrompt, 'synth', '8', 'sine', '440']);
  const engine = new EmbeddedEngine({ host: '127.0.0.1', sipPort: 0, transports: ['udp', 'tcp'] });
  await engine.start();
  return {
    engine,
    shortPrompt,
    longPrompt,
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
    },
    async close() {
      killPeers();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
