// `/bridge/SmsQuerySvlt`: the SMS gateway's side of section 23. A gateway that received an SMS sends `telnum`,
// `contant` and `channel` (GET or form POST); the answer is the text to send back (200), or 204 for no reply.
import { Hono, type Context } from 'hono';
import type { SmsQuery } from '../../callcenter/sms/sms-query.ts';
import { send } from '../bridge/answer.ts';
import { param, readParams } from '../bridge/params.ts';

const CHANNEL = /^[A-Za-z0-9_.@+*#-]{1,64}$/;
const MAX_SMS = 2000;

export function smsRoutes(sms: SmsQuery | undefined): Hono {
  const app = new Hono();
  const handler = async (c: Context) => {
    if (!sms)
      return send(c, { code: 503, reason: 'SMS self-service is off (callCenter.sms.url is not set)' });
    const p = await readParams(c);
    const telnum = param(p, 'telnum');
    const channel = param(p, 'channel', CHANNEL);
    const contant = p.get('contant');
    if (!telnum || !channel || contant === undefined || contant.length > MAX_SMS)
      return send(c, { code: 400, reason: 'missing or malformed: telnum, contant, channel' });
    if (!sms.accepts(channel))
      return send(c, { code: 404, reason: `channel ${channel} is not an SMS channel` });
    const answer = await sms.query({ telnum, contant, channel });
    if (answer.reply === undefined) return c.body(null, 204);
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return c.body(answer.reply, 200);
  };
  app.get('/bridge/SmsQuerySvlt', handler);
  app.post('/bridge/SmsQuerySvlt', handler);
  return app;
}
