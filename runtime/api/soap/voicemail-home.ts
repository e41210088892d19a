// VoiceMailHome (manual section 27): getMailsIncludePub, getMails, downloadVoice, deleteWithId over the voicemail
// module; VoiceMailInfo with the manual's fields (filepath absolute, as the call log's recordVoice).
import type { VoiceMail, Voicemail } from '../../callcenter/voicemail/voicemail.ts';
import { NUMBER } from '../bridge/params.ts';
import { required } from './args.ts';
import { fileBytes } from './download.ts';
import { namespaceOf, SoapFault, type Args, type ServiceSpec } from './spec.ts';

const mailsField = { name: 'return', type: { complex: 'VoiceMailInfo' }, array: true } as const;

function extnumOf(args: Args, optional: boolean): string | undefined {
  const v = args.extnum === undefined ? '' : String(args.extnum).trim();
  if (v === '' && optional) return undefined;
  if (!NUMBER.test(v))
    throw new SoapFault(400, v === '' ? 'missing parameter extnum' : 'bad parameter extnum');
  return v;
}

const count = (v: unknown, fallback: number, name: string): number => {
  if (v === undefined) return fallback;
  if ((v as number) < 0) throw new SoapFault(400, `bad parameter ${name}: negative`);
  return v as number;
};

export function voiceMailHome(vm: VoiceMail): ServiceSpec {
  const info = (v: Voicemail) => ({
    id: v.id,
    caller: v.caller,
    ivrInput: v.ivrInput,
    beginTime: new Date(v.beginTime),
    duration: v.duration,
    publicMail: v.publicMail,
    filepath: vm.pathOf(v),
  });
  const name = 'VoiceMailHome';
  return {
    name,
    namespace: namespaceOf(name),
    types: {
      VoiceMailInfo: [
        { name: 'id', type: 'int' },
        { name: 'caller', type: 'string' },
        { name: 'ivrInput', type: 'string' },
        { name: 'beginTime', type: 'dateTime' },
        { name: 'duration', type: 'int' },
        { name: 'publicMail', type: 'boolean' },
        { name: 'filepath', type: 'string' },
      ],
    },
    operations: [
      {
        name: 'getMailsIncludePub',
        params: [
          { name: 'first', type: 'int' },
          { name: 'maxresults', type: 'int' },
          { name: 'extnum', type: 'string' },
          { name: 'begin', type: 'dateTime' },
          { name: 'end', type: 'dateTime' },
        ],
        returns: mailsField,
        handler: async (args) => {
          const begin = (args.begin as Date | undefined)?.getTime();
          const end = (args.end as Date | undefined)?.getTime();
          if (begin !== undefined && end !== undefined && end < begin)
            throw new SoapFault(400, 'bad parameter end: before begin');
          const mails = await vm.includingPublic({
            extnum: extnumOf(args, true),
            begin,
            end,
            first: count(args.first, 0, 'first'),
            max: count(args.maxresults, 10_000, 'maxresults'),
          });
          return mails.map(info);
        },
      },
      {
        name: 'getMails',
        params: [{ name: 'extnum', type: 'string' }],
        returns: mailsField,
        handler: async (args) => (await vm.privateOf(extnumOf(args, false)!)).map(info),
      },
      {
        name: 'downloadVoice',
        params: [{ name: 'filepath', type: 'string' }],
        returns: { name: 'return', type: 'base64Binary' },
        handler: async (args) => fileBytes(await vm.file(String(required(args, 'filepath'))), 'voicemail'),
      },
      {
        name: 'deleteWithId',
        params: [{ name: 'mailId', type: 'int' }],
        handler: async (args) => {
          if (!(await vm.remove(required<number>(args, 'mailId'))))
            throw new SoapFault(404, 'no such message');
        },
      },
    ],
  };
}
