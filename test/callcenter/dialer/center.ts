// A runtime for the dialer's live tests: a copy of the sound root, a tone uploaded through ToneFileSvlt, the sipp
// customers behind the trunk, an IVR published as a survey, and the manual's HTTP interfaces.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Runtime } from '../../../runtime/server.ts';
import { ROOT, startCallRuntime, tempDir, until, type PublishedFlow } from '../../calls/harness.ts';

/** The tone CAPTCHA calls play in these tests: the first tone file uploaded through ToneFileSvlt gets id 1. */
export const TONE_ID = '1';
export const TONE_HZ = 1500;

/**
 * A survey in the shape of section 18: the customer is greeted with `${ttsname}` (TTS), asked for a key into
 * `satisfact`, then the call ends.
 */
export const SURVEY = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="satisfact" length="1" inputexpires="8000">
      <tns:prompt bargein="true" repeat="2">
        <tns:tts>\${ttsname}</tns:tts>
        <tns:audio src="[FILE_PATH]/survey/rate.wav"/>
      </tns:prompt>
    </tns:field>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

/** The survey's IVR number (section 18's `toneid`). */
export const SURVEY_IVR = '20';

/** A copy of the repository's sounds. */
export function soundRoot(dir: string): string {
  const root = join(dir, 'sounds');
  cpSync(join(ROOT, 'sounds'), root, { recursive: true });
  return root;
}

/** Uploads a 1.5 kHz tone of 1.5 s through ToneFileSvlt (section 24) and checks it got id `TONE_ID`. */
export async function uploadTone(httpPort: number, dir: string): Promise<void> {
  const file = join(dir, 'tone.wav');
  const args = ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', file, 'synth', '1.5', 'sine', String(TONE_HZ)];
  const r = spawnSync('sox', [...args, 'vol', '0.5']);
  if (r.status !== 0) throw new Error(`sox: ${r.stderr?.toString()}`);
  const form = new FormData();
  form.set('opt', 'save');
  form.set('title', 'captcha');
  form.set('des', "the CAPTCHA tests' tone");
  form.set('file', new Blob([new Uint8Array(readFileSync(file))], { type: 'audio/wav' }), 'tone.wav');
  const res = await fetch(`http://127.0.0.1:${httpPort}/bridge/ToneFileSvlt`, { method: 'POST', body: form });
  const id = (await res.text()).trim();
  if (res.status !== 200 || id !== TONE_ID) throw new Error(`tone upload: ${res.status} ${id}`);
}

export interface DialerCenter {
  runtime: Runtime;
  dir: string;
  /** GET `/bridge/callctrl?<query>` exactly as written. */
  callctrl(query: string): Promise<{ status: number; text: string }>;
  /** Polls IVR_TTS_CALL_RESULT (or GET_CAPTCHA_RESULT for `kind: 'captcha'`) until the task is finished. */
  finished(token: string, kind?: 'ivr' | 'captcha', ms?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The runtime with the dialer's trunk at `trunkPort` and the survey published as IVR 20. */
export async function startDialerCenter(opts: {
  trunkPort: number;
  overrides?: Record<string, unknown>;
  flows?: PublishedFlow[];
}): Promise<DialerCenter> {
  const dir = tempDir('ivr-dialer-');
  const runtime = await startCallRuntime(
    dir,
    [{ id: 'survey', number: SURVEY_IVR, xml: SURVEY }, ...(opts.flows ?? [])],
    {
      sounds: soundRoot(dir),
      'sip.trunk': { host: '127.0.0.1', port: opts.trunkPort },
      'dialer.ringSec': 5,
      'dialer.retry': { maxAttempts: 1, delaySec: 0 },
      ...opts.overrides,
    },
  );
  await uploadTone(runtime.http.port, dir);
  const base = `http://127.0.0.1:${runtime.http.port}/bridge/callctrl?`;
  const callctrl = async (query: string) => {
    const res = await fetch(base + query);
    return { status: res.status, text: await res.text() };
  };
  const finished = async (token: string, kind: 'ivr' | 'captcha' = 'ivr', ms = 60_000) => {
    const query =
      kind === 'ivr' ? `token=${token}&opt=IVR_TTS_CALL_RESULT` : `id=${token}&opt=GET_CAPTCHA_RESULT`;
    let last = '';
    await until(
      async () => {
        last = (await callctrl(query)).text.trim();
        const state = kind === 'ivr' ? /^state=(\d+)/.exec(last)?.[1] : last;
        return state !== undefined && !['0', '4'].includes(state);
      },
      ms,
      `task ${token} to finish`,
    );
    return last;
  };
  return {
    runtime,
    dir,
    callctrl,
    finished,
    stop: async () => {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
