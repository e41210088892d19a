// TextToCallService (manual section 26): makeCall, remove, listWithToken, listUnCalled over the call center's
// text calls (runtime/callcenter/texttocall/), which the one dialer places; table 6-1's Texttocal as printed.
import type { TextToCall } from '../../callcenter/texttocall/text-to-call.ts';
import { NUMBER } from '../bridge/params.ts';
import { MAX_RESULTS } from '../bridge/call-logs.ts';
import { required } from './args.ts';
import { namespaceOf, SoapFault, type Args, type Field, type ServiceSpec } from './spec.ts';

/** Longest text read to a customer (as IVR_TTS_CALL's tts* values). */
const MAX_CONTENT = 1000;
const MAX_SERVICETYPE = 64;

const TEXTTOCAL: Field[] = [
  { name: 'id', type: 'int' },
  { name: 'caller', type: 'string' },
  { name: 'callee', type: 'string' },
  { name: 'content', type: 'string' },
  { name: 'assisid', type: 'int' },
  { name: 'calldate', type: 'dateTime' },
  { name: 'voipcall', type: 'boolean' },
  { name: 'servicetype', type: 'string' },
  { name: 'linkkey', type: 'int' },
  // Written by the system; ignored in makeCall.
  { name: 'createTime', type: 'dateTime' },
  { name: 'state', type: 'string' },
  { name: 'ttsfile', type: 'string' },
  { name: 'calltime', type: 'int' },
  { name: 'playingtime', type: 'int' },
];

function number(v: Args, name: string, optional = false): string {
  if (optional && (v[name] === undefined || v[name] === '')) return '';
  const s = String(required(v, name)).trim();
  if (!NUMBER.test(s)) throw new SoapFault(400, `bad parameter ${name}: not a number or extension`);
  return s;
}

function text(v: Args, name: string, max: number, optional = false): string {
  const s = optional && v[name] === undefined ? '' : String(required(v, name)).trim();
  if (s.length > max) throw new SoapFault(400, `bad parameter ${name}: longer than ${max} characters`);
  return s;
}

const int = (v: Args, name: string): number | undefined => v[name] as number | undefined;

function page(args: Args) {
  const first = int(args, 'first') ?? 0;
  const max = int(args, 'maxResults') ?? MAX_RESULTS;
  if (first < 0 || max < 0) throw new SoapFault(400, 'bad parameter first or maxResults: negative');
  return {
    servicetype: text(args, 'servicetype', MAX_SERVICETYPE),
    linkkey: int(args, 'linkkey'),
    offset: first,
    limit: Math.min(max, MAX_RESULTS),
  };
}

const listParams: Field[] = [
  { name: 'first', type: 'int' },
  { name: 'maxResults', type: 'int' },
  { name: 'servicetype', type: 'string' },
  { name: 'linkkey', type: 'int' },
];

export function textToCallService(calls: TextToCall, now: () => number = Date.now): ServiceSpec {
  const name = 'TextToCallService';
  return {
    name,
    namespace: namespaceOf(name),
    types: { Texttocal: TEXTTOCAL },
    operations: [
      {
        name: 'makeCall',
        params: [{ name: 'info', type: { complex: 'Texttocal' } }],
        returns: { name: 'return', type: 'int' },
        handler: async (args) => {
          const info = required<Args>(args, 'info');
          const calldate = info.calldate as Date | undefined;
          const r = await calls.make({
            id: int(info, 'id'),
            caller: number(info, 'caller', true),
            callee: number(info, 'callee'),
            content: text(info, 'content', MAX_CONTENT),
            assisid: int(info, 'assisid') ?? 0,
            calldate: calldate?.getTime() ?? now(),
            voipcall: (info.voipcall as boolean | undefined) ?? false,
            servicetype: text(info, 'servicetype', MAX_SERVICETYPE, true),
            linkkey: int(info, 'linkkey') ?? null,
          });
          if ('code' in r) throw new SoapFault(r.code, r.reason);
          return r.id;
        },
      },
      {
        name: 'remove',
        params: [{ name: 'texttocalld', type: 'int' }],
        handler: async (args) => {
          const refused = await calls.remove(required<number>(args, 'texttocalld'));
          if (refused) throw new SoapFault(refused.code, refused.reason);
        },
      },
      {
        name: 'listWithToken',
        params: listParams,
        returns: { name: 'return', type: { complex: 'Texttocal' }, array: true },
        handler: async (args) => calls.list(page(args)),
      },
      {
        name: 'listUnCalled',
        params: listParams,
        returns: { name: 'return', type: { complex: 'Texttocal' }, array: true },
        handler: async (args) => calls.listUncalled(page(args)),
      },
    ],
  };
}
