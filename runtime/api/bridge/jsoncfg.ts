// `/bridge/jsoncfg?opt=EXTNUM_STATE` (manual section 14): every extension's live state as the manual's JSON.
import { Hono, type Context } from 'hono';
import type { Control } from '../../callcenter/control/control.ts';
import type { ExtensionStatus } from '../../callcenter/extensions/live-state.ts';
import { send, sendJson } from './answer.ts';
import { readParams } from './params.ts';

/** The manual's field order (section 14's example): remoteNum sits between phoneType and state, only in a call. */
function row(s: ExtensionStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {
    telNum: s.telNum,
    userName: s.userName,
    telRegState: s.telRegState,
    phoneType: s.phoneType,
  };
  if (s.remoteNum !== undefined) out.remoteNum = s.remoteNum;
  out.state = s.state;
  out.presence = s.presence;
  out.missingCallCount = s.missingCallCount;
  return out;
}

export function jsoncfgRoutes(control: Control): Hono {
  const app = new Hono();
  const handle = async (c: Context) => {
    const opt = (await readParams(c)).get('opt')?.trim();
    if (opt === 'EXTNUM_STATE') return sendJson(c, control.extensionStates().map(row));
    return send(c, { code: 400, reason: opt ? `unknown opt ${opt.slice(0, 64)}` : 'opt is missing' });
  };
  app.get('/bridge/jsoncfg', handle);
  app.post('/bridge/jsoncfg', handle);
  return app;
}
