// SDP (RFC 4566) offer/answer (RFC 3264) for one G.711 audio stream with telephone-event (RFC 4733).

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export type CodecName = 'PCMU' | 'PCMA';

export interface SdpCodec {
  name: CodecName;
  payloadType: number;
}

export interface AudioOffer {
  address: string;
  port: number;
  /** Payload types in the order the offerer prefers them, with their encoding names (upper case). */
  formats: { payloadType: number; name: string; rate: number }[];
  direction: Direction;
}

const STATIC: Record<number, { name: string; rate: number }> = {
  0: { name: 'PCMU', rate: 8000 },
  8: { name: 'PCMA', rate: 8000 },
};

/** The first audio stream of an SDP body, or undefined when there is none or it cannot be read. */
export function parseSdp(text: string): AudioOffer | undefined {
  let sessionAddress: string | undefined;
  let sessionDirection: Direction = 'sendrecv';
  let media: AudioOffer | undefined;
  let mediaAddress: string | undefined;
  let inAudio = false;
  let seenMedia = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const type = line[0];
    const value = line.slice(2);
    if (line[1] !== '=') continue;
    if (type === 'm') {
      if (media) break; // only the first audio stream is used
      seenMedia = true;
      const m = /^audio (\d+)(?:\/\d+)? RTP\/(?:S?AVPF?) ([\d ]+)$/.exec(value);
      inAudio = !!m;
      if (m) {
        const pts = m[2].trim().split(/\s+/).map(Number);
        media = {
          address: '',
          port: Number(m[1]),
          direction: sessionDirection,
          formats: pts.map((pt) => ({ payloadType: pt, ...(STATIC[pt] ?? { name: '', rate: 8000 }) })),
        };
      }
    } else if (type === 'c') {
      const addr = /^IN IP[46] ([^\s/]+)/.exec(value)?.[1];
      if (!seenMedia) sessionAddress = addr;
      else if (inAudio) mediaAddress = addr;
    } else if (type === 'a') {
      if (/^(sendrecv|sendonly|recvonly|inactive)$/.test(value)) {
        if (!seenMedia) sessionDirection = value as Direction;
        else if (inAudio && media) media.direction = value as Direction;
      }
      const rtpmap = /^rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(value);
      if (rtpmap && inAudio && media) {
        const f = media.formats.find((x) => x.payloadType === Number(rtpmap[1]));
        if (f) Object.assign(f, { name: rtpmap[2].toUpperCase(), rate: Number(rtpmap[3]) });
      }
    }
  }
  if (!media) return undefined;
  const address = mediaAddress ?? sessionAddress;
  if (!address) return undefined;
  return { ...media, address };
}

export interface Negotiated {
  codec: SdpCodec;
  telephoneEvent?: number;
  remote: { address: string; port: number };
  /** The direction of our answer (the mirror of the offer's). */
  direction: Direction;
  /** The peer put us on hold (sendonly/inactive offer or a 0.0.0.0 address). */
  held: boolean;
}

const MIRROR: Record<Direction, Direction> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/** Picks the offerer's first codec we support; undefined means 488 Not Acceptable Here. */
export function negotiate(
  offer: AudioOffer,
  supported: CodecName[] = ['PCMU', 'PCMA'],
): Negotiated | undefined {
  const f = offer.formats.find((x) => x.rate === 8000 && (supported as string[]).includes(x.name));
  if (!f || offer.port === 0) return undefined;
  const te = offer.formats.find((x) => x.name === 'TELEPHONE-EVENT' && x.rate === 8000);
  return {
    codec: { name: f.name as CodecName, payloadType: f.payloadType },
    telephoneEvent: te?.payloadType,
    remote: { address: offer.address, port: offer.port },
    direction: MIRROR[offer.direction],
    held: offer.direction === 'sendonly' || offer.direction === 'inactive' || offer.address === '0.0.0.0',
  };
}

export interface SdpBuild {
  address: string;
  port: number;
  /** Offered or answered codecs, in preference order. */
  codecs: SdpCodec[];
  telephoneEvent?: number;
  direction?: Direction;
  sessionId: number;
  version: number;
}

export function buildSdp(b: SdpBuild): string {
  const pts = [
    ...b.codecs.map((c) => c.payloadType),
    ...(b.telephoneEvent !== undefined ? [b.telephoneEvent] : []),
  ];
  const lines = [
    'v=0',
    `o=- ${b.sessionId} ${b.version} IN IP4 ${b.address}`,
    's=ivr',
    `c=IN IP4 ${b.address}`,
    't=0 0',
    `m=audio ${b.port} RTP/AVP ${pts.join(' ')}`,
    ...b.codecs.map((c) => `a=rtpmap:${c.payloadType} ${c.name}/8000`),
  ];
  if (b.telephoneEvent !== undefined) {
    lines.push(`a=rtpmap:${b.telephoneEvent} telephone-event/8000`, `a=fmtp:${b.telephoneEvent} 0-16`);
  }
  lines.push('a=ptime:20', `a=${b.direction ?? 'sendrecv'}`);
  return lines.join('\r\n') + '\r\n';
}

export const OFFER_CODECS: SdpCodec[] = [
  { name: 'PCMU', payloadType: 0 },
  { name: 'PCMA', payloadType: 8 },
];
export const OFFER_TELEPHONE_EVENT = 101;
