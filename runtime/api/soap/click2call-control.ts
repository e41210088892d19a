// Click2CallControl (manual section 25): click2call, click2ipcall, click2hungup, state4click over the control
// operations CLICK_TO_DIAL uses; the returned key is the clickcallid (the call's callid).
import type { Control } from '../../callcenter/control/control.ts';
import { NUMBER } from '../bridge/params.ts';
import { required } from './args.ts';
import { namespaceOf, SoapFault, type Args, type ServiceSpec } from './spec.ts';

const CALL_ID = /^\S{1,200}$/;

function number(args: Args, name: string): string {
  const v = String(required(args, name)).trim();
  if (!NUMBER.test(v)) throw new SoapFault(400, `bad parameter ${name}: not a number or extension`);
  return v;
}

function clickCallId(args: Args): string {
  const v = String(required(args, 'clickCallId')).trim();
  if (!CALL_ID.test(v)) throw new SoapFault(400, 'bad parameter clickCallId');
  return v;
}

export function click2CallControl(control: Control): ServiceSpec {
  // One trunk here: the VoIP variant places the same call (as CLICK_TO_IP_DIAL does).
  const dial = async (args: Args) => {
    const r = await control.clickToDial(number(args, 'extnum'), number(args, 'callee'));
    if (r.code !== 200 || !r.data) throw new SoapFault(r.code, r.reason ?? 'click-to-dial failed');
    return r.data;
  };
  const dialParams = [
    { name: 'extnum', type: 'string' as const },
    { name: 'callee', type: 'string' as const },
  ];
  const name = 'Click2CallControl';
  return {
    name,
    namespace: namespaceOf(name),
    types: {},
    operations: [
      { name: 'click2call', params: dialParams, returns: { name: 'return', type: 'string' }, handler: dial },
      {
        name: 'click2ipcall',
        params: dialParams,
        returns: { name: 'return', type: 'string' },
        handler: dial,
      },
      {
        name: 'click2hungup',
        params: [{ name: 'clickCallId', type: 'string' }],
        handler: async (args) => {
          const r = await control.hangupClickCall(clickCallId(args));
          if (r.code !== 200) throw new SoapFault(r.code, r.reason ?? 'hang-up failed');
        },
      },
      {
        name: 'state4click',
        params: [{ name: 'clickCallId', type: 'string' }],
        returns: { name: 'return', type: 'int' },
        handler: async (args) => control.clickCallState(clickCallId(args)),
      },
    ],
  };
}
