// SMS over SIP MESSAGE on the embedded engine: each message to an SMS channel is forwarded (sms-query.ts) and the
// integrator's answer is sent back to the sender as a MESSAGE.
import type { Logger } from '../../log.ts';
import type { SmsQuery } from './sms-query.ts';

/** A SIP MESSAGE as an engine hands it over (the embedded engine's `message` event). */
export interface IncomingSms {
  from: string;
  to: string;
  contentType: string;
  body: string;
  reply(body: string): Promise<number>;
}

/** The part of an engine that receives SIP MESSAGEs. */
export interface MessageSource {
  on(event: 'message', fn: (ev: IncomingSms) => void): void;
}

/** Only text is an SMS (a phone's typing notifications and other bodies are ignored). */
const isText = (type: string) => /^text\/plain\b/i.test(type.trim());

/** Forwards every text MESSAGE to an SMS channel; `onAnswered` hears how each one ended. */
export function serveSmsOverSip(
  engine: MessageSource,
  sms: SmsQuery,
  log: Logger,
  onAnswered?: (ev: { telnum: string; channel: string; replied: boolean; status?: number }) => void,
): void {
  engine.on('message', (m) => {
    if (!isText(m.contentType) || !sms.accepts(m.to)) return;
    void (async () => {
      // Phones and gateways end texts with line breaks of their own: the text is what is between.
      const answer = await sms.query({ telnum: m.from, contant: m.body.trim(), channel: m.to });
      if (answer.reply === undefined) {
        log.info({ telnum: m.from, channel: m.to, why: answer.why }, 'sms not answered');
        onAnswered?.({ telnum: m.from, channel: m.to, replied: false });
        return;
      }
      const status = await m.reply(answer.reply);
      if (status >= 300) log.warn({ telnum: m.from, status }, 'sms reply refused by the sender');
      onAnswered?.({ telnum: m.from, channel: m.to, replied: true, status });
    })();
  });
}
