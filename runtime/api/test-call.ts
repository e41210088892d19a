// One designer test call over the `/api/sim` WebSocket: starts the flow on a browser call and relays the protocol.
import type { MediaSource } from '../media/contract.ts';
import type { BrowserCall } from '../media/browser/channel.ts';
import { clientMessage, type ClientMessage, type ServerMessage } from '../media/browser/protocol.ts';
import { checkFlow, hasErrors } from '../callcenter/flow-registry.ts';
import type { CallCenter, RunnableFlow } from '../callcenter/call-center.ts';
import type { ApiDeps } from './deps.ts';
import { soundUrl } from '../files/sound-source.ts';
import { MAX_TTS_CHARS } from './tts.ts';

type Start = Extract<ClientMessage, { type: 'start' }>;
type Resolved = { ok: true; flow: RunnableFlow } | { ok: false; message: string; problems?: unknown[] };

let legSeq = 0;

export class TestCall {
  private leg: BrowserCall | undefined;
  /** Frames are handled one after another: a start that is still looking up its flow holds the next frame. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Pick<ApiDeps, 'calls' | 'flows' | 'store' | 'sounds' | 'log' | 'openBrowserCall'>,
    private readonly send: (msg: ServerMessage) => void,
  ) {}

  /** Handles one text frame from the browser, after the frames before it. */
  receive(text: string): void {
    this.queue = this.queue
      .then(() => this.handle(text))
      .catch((err: unknown) => {
        this.deps.log.error({ err }, 'test call message failed');
        this.send({ type: 'error', message: 'the message could not be handled' });
      });
  }

  private async handle(text: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.send({ type: 'error', message: 'message is not valid JSON' });
      return;
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      this.send({
        type: 'error',
        message: `bad message: ${first.path.join('.') || 'type'}: ${first.message}`,
      });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'start') await this.start(msg);
    else if (!this.leg) this.send({ type: 'error', message: 'no call in progress (send start first)' });
    else if (msg.type === 'dtmf') this.leg.digit(msg.digit);
    else if (msg.type === 'played') this.leg.played(msg.playId);
    else this.leg.remoteHangup();
  }

  /** The socket closed: the caller hung up (once the frames before the close are handled). */
  close(): void {
    this.queue = this.queue.then(() => this.leg?.remoteHangup());
  }

  private async resolve(msg: Start): Promise<Resolved> {
    let xml = msg.xml;
    if (xml === undefined && msg.flowId !== undefined) {
      if (!msg.draft) {
        const flow = await this.deps.flows.published(msg.flowId);
        return flow
          ? { ok: true, flow }
          : { ok: false, message: `flow '${msg.flowId}' has no published version` };
      }
      xml = (await this.deps.store.flows.get(msg.flowId))?.xml;
      if (xml === undefined) return { ok: false, message: `unknown flow '${msg.flowId}'` };
    }
    if (xml === undefined) return { ok: false, message: 'start needs xml or flowId' };
    const { document, problems } = checkFlow(xml);
    if (!document || hasErrors(problems)) return { ok: false, message: 'the flow has errors', problems };
    return { ok: true, flow: { document, flowId: msg.flowId ?? null, version: null } };
  }

  private urlFor = (source: MediaSource): string | undefined => {
    if (source.kind === 'file') return soundUrl(this.deps.sounds, source.path);
    const text = source.text.slice(0, MAX_TTS_CHARS);
    const voice = source.voice ? `&voice=${encodeURIComponent(source.voice)}` : '';
    return `/api/tts/preview?text=${encodeURIComponent(text)}${voice}`;
  };

  private async start(msg: Start): Promise<void> {
    if (this.leg) {
      this.send({ type: 'error', message: 'a call is already in progress' });
      return;
    }
    const resolved = await this.resolve(msg);
    if (!resolved.ok) {
      this.send({
        type: 'error',
        message: resolved.message,
        ...(resolved.problems ? { problems: resolved.problems } : {}),
      });
      return;
    }
    const browser = this.deps.openBrowserCall({
      id: `browser-${++legSeq}`,
      from: msg.caller ?? 'browser',
      to: msg.callee ?? msg.flowId ?? 'test',
      send: this.send,
      urlFor: this.urlFor,
    });
    let started: Awaited<ReturnType<CallCenter['startTest']>>;
    try {
      started = await this.deps.calls.startTest(browser.leg, resolved.flow, {
        vars: msg.vars,
        // The browser cannot record: without a directory <tns:record> is a traced error and the flow goes on.
        session: { recordingsDir: undefined },
        onTrace: (event) => this.send({ type: 'trace', event }),
      });
    } catch (err) {
      this.deps.log.error({ err }, 'cannot start a test call');
      this.send({ type: 'error', message: 'cannot start the call' });
      return;
    }
    this.leg = browser;
    const { callId, done } = started;
    this.send({ type: 'started', callId });
    done
      .then(
        (o) => this.send({ type: 'end', result: o.result, endReason: o.endReason }),
        (err: unknown) => {
          this.deps.log.error({ err, callId }, 'test call failed');
          this.send({ type: 'error', message: 'the call failed' });
        },
      )
      .finally(() => {
        if (this.leg === browser) this.leg = undefined;
      });
  }
}
