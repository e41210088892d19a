// The browser test-call WebSocket end to end: a real `ws` client plays the caller through the food-ordering flow
// against the real examples backend, and the call is logged like a phone call.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import type { ServerMessage } from '../../runtime/media/browser/protocol.ts';
import { call, REPO_SOUNDS, startApi, type ApiHarness } from './harness.ts';

const FOOD = readFileSync(resolve(import.meta.dirname, '../../examples/food-ordering/flow.xml'), 'utf8');

let api: ApiHarness;
let backend: RunningBackend;

/** A test-call client: records every message and waits for one matching a predicate. */
class Caller {
  readonly messages: ServerMessage[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(url: string, onMessage?: (m: ServerMessage, c: Caller) => void) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((res, rej) => {
      this.ws.once('open', () => res());
      this.ws.once('error', rej);
    });
    this.closed = new Promise((res) => this.ws.once('close', () => res()));
    this.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      this.messages.push(m);
      onMessage?.(m, this);
      for (const w of this.waiters.filter((x) => x.match(m))) w.resolve(m);
      this.waiters = this.waiters.filter((x) => !x.match(m));
    });
  }

  send(msg: object): void {
    this.ws.send(JSON.stringify(msg));
  }

  waitFor<T extends ServerMessage['type']>(
    type: T,
    timeoutMs = 30_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const seen = this.messages.find((m) => m.type === type);
    if (seen) return Promise.resolve(seen as Extract<ServerMessage, { type: T }>);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no '${type}' within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: (m) => m.type === type,
        resolve: (m) => {
          clearTimeout(timer);
          res(m as Extract<ServerMessage, { type: T }>);
        },
      });
    });
  }
}

beforeAll(async () => {
  backend = await startExamplesBackend({ port: 0, host: '127.0.0.1' });
  api = await startApi({ soundRoot: REPO_SOUNDS });
});
afterAll(async () => {
  await api.close();
  await backend.close();
});

const wsUrl = () => `${api.base.replace('http', 'ws')}/api/sim`;

/** Keys the caller presses when a prompt with this sound starts; other prompts are listened to the end. */
const KEYS: Record<string, string> = {
  'delicious/menu.wav': '13800000000#',
  'delicious/login_success.wav': '0101',
  'delicious/goods_ok_suffix.wav': '1',
};

describe('browser test call', () => {
  it('orders food through the whole flow and ends with the result, trace and call log', async () => {
    const xml = FOOD.replaceAll('http://127.0.0.1:8080/', `http://127.0.0.1:${backend.port}/`);
    const plays: string[] = [];
    const caller = new Caller(wsUrl(), (m, c) => {
      if (m.type !== 'play') return;
      const first = m.items[0];
      const sound =
        first.kind === 'audio' ? decodeURIComponent(first.url.replace(/^\/sounds\//, '')) : first.text;
      plays.push(sound);
      const keys = KEYS[sound];
      if (keys) for (const digit of keys) c.send({ type: 'dtmf', digit });
      else {
        c.send({ type: 'played', playId: m.playId });
        // The closing menu waits for any key: press one instead of waiting out its timeout.
        if (sound === 'delicious/order_confirm.wav') c.send({ type: 'dtmf', digit: '9' });
      }
    });
    await caller.opened;
    caller.send({ type: 'start', xml, caller: '13800000000', callee: '1000' });
    const started = await caller.waitFor('started');
    expect(started.callId).toMatch(/@127\.0\.0\.1$/);
    const end = await caller.waitFor('end');
    expect(end.endReason).toBe('hangup');
    expect(end.result).toMatch(/^state=1/);
    expect(plays).toEqual([
      'delicious/menu.wav',
      'delicious/login_success.wav',
      'delicious/goods_ok_prefix.wav',
      'delicious/goods_ok_suffix.wav',
      'delicious/order_confirm.wav',
    ]);
    // Barge-in prompts were stopped by the first key.
    expect(caller.messages.filter((m) => m.type === 'stop')).toHaveLength(3);
    const forms = caller.messages.flatMap((m) =>
      m.type === 'trace' && (m.event as { type: string }).type === 'form.enter'
        ? [(m.event as { form: string }).form]
        : [],
    );
    expect(forms).toEqual(['main', 'input_telnum', 'order', '0101', 'input_goods_confirm', 'finish_order']);

    const orders = (await (await fetch(`http://127.0.0.1:${backend.port}/orders`)).json()) as {
      callid: string;
      items: string[];
    }[];
    expect(orders).toContainEqual(
      expect.objectContaining({ callid: started.callId, member: '13800000000', items: ['0101'] }),
    );

    const log = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(started.callId)}`);
    expect(log.body).toMatchObject({
      direction: 'test',
      state: 'STATE_RECEIVED',
      result: end.result,
      caller: '13800000000',
    });
    const trace = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(started.callId)}/trace`);
    const relayed = caller.messages.filter((m) => m.type === 'trace').length;
    expect(trace.body).toHaveLength(relayed);
    caller.ws.close();
    await caller.closed;
  });

  it('plays TTS as a preview URL, and a closed socket hangs the call up', async () => {
    const xml = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main">
      <tns:prompt><tns:tts>Hello \${caller}</tns:tts></tns:prompt><tns:hangup/></tns:form></tns:vxml>`;
    const caller = new Caller(wsUrl());
    await caller.opened;
    caller.send({ type: 'start', xml, caller: '555' });
    const { callId } = await caller.waitFor('started');
    const play = await caller.waitFor('play');
    expect(play.items).toEqual([
      { kind: 'tts', text: 'Hello 555', url: '/api/tts/preview?text=Hello%20555' },
    ]);
    const audio = await fetch(api.base + play.items[0].url + '&voice=en');
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    caller.ws.close();
    await caller.closed;
    const deadline = Date.now() + 10_000;
    let row = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(callId)}`);
    while (row.body.state === 'STATE_RECEIVING' && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
      row = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(callId)}`);
    }
    expect(row.body).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'caller-hangup' });
  });

  it('runs a stored draft or published flow by id, and reports bad requests as errors', async () => {
    const xml = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main">
      <tns:assign name="x" expr="'7'"/><tns:hangup/></tns:form></tns:vxml>`;
    await call(api.base, 'POST', '/api/flows', { id: 'sim-flow', name: 'Sim', xml });
    const caller = new Caller(wsUrl());
    await caller.opened;
    caller.send({ type: 'start', flowId: 'sim-flow' });
    expect((await caller.waitFor('error')).message).toMatch(/no published version/);
    caller.send({ type: 'dtmf', digit: '1' });
    caller.send({ type: 'dtmf', digit: 'x' });
    caller.send({ type: 'start', xml: '<tns:vxml' });
    caller.ws.send('not json');
    caller.send({ type: 'start', flowId: 'sim-flow', draft: true });
    const end = await caller.waitFor('end');
    expect(end.endReason).toBe('hangup');
    const errors = caller.messages
      .filter((m) => m.type === 'error')
      .map((m) => (m as { message: string }).message);
    expect(errors).toEqual([
      "flow 'sim-flow' has no published version",
      'no call in progress (send start first)',
      'bad message: digit: one key: 0-9, *, #, A-D',
      'the flow has errors',
      'message is not valid JSON',
    ]);
    caller.ws.close();
    await caller.closed;
  });

  it('turns <tns:record> into a traced error in a test call and goes on', async () => {
    const xml = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main">
      <tns:record name="msg" maxtime="5"/><tns:hangup/></tns:form></tns:vxml>`;
    const caller = new Caller(wsUrl());
    await caller.opened;
    caller.send({ type: 'start', xml });
    const end = await caller.waitFor('end');
    expect(end.endReason).toBe('hangup');
    const codes = caller.messages.flatMap((m) =>
      m.type === 'trace' && (m.event as { type: string }).type === 'error'
        ? [(m.event as { code: string }).code]
        : [],
    );
    expect(codes).toEqual(['E_RECORD']);
    caller.ws.close();
    await caller.closed;
  });
});
