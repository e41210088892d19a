// RIFF/WAVE reading (PCM 8/16/24/32, float, µ-law, A-law; any rate; downmixed to mono) and writing (µ-law or PCM16).
import { decodeSample, encode } from './g711.ts';

export interface WavAudio {
  sampleRate: number;
  /** Channels in the file; `samples` is always mono (channels averaged). */
  channels: number;
  samples: Int16Array;
}

export class WavError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavError';
  }
}

interface Format {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
  blockAlign: number;
}

const TAG_PCM = 1;
const TAG_FLOAT = 3;
const TAG_ALAW = 6;
const TAG_ULAW = 7;
const TAG_EXTENSIBLE = 0xfffe;

function readFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw new WavError('fmt chunk too short');
  let tag = view.getUint16(at, true);
  // WAVE_FORMAT_EXTENSIBLE keeps the real tag in the first two bytes of the sub-format GUID.
  if (tag === TAG_EXTENSIBLE && size >= 40) tag = view.getUint16(at + 24, true);
  return {
    tag,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bits: view.getUint16(at + 14, true),
  };
}

/** Reads one sample of channel data as a 16-bit integer. */
function sampleReader(fmt: Format, view: DataView): (at: number) => number {
  const { tag, bits } = fmt;
  if (tag === TAG_ULAW && bits === 8) return (at) => decodeSample('ulaw', view.getUint8(at));
  if (tag === TAG_ALAW && bits === 8) return (at) => decodeSample('alaw', view.getUint8(at));
  if (tag === TAG_PCM && bits === 8) return (at) => (view.getUint8(at) - 128) << 8;
  if (tag === TAG_PCM && bits === 16) return (at) => view.getInt16(at, true);
  if (tag === TAG_PCM && bits === 24) return (at) => view.getInt16(at + 1, true);
  if (tag === TAG_PCM && bits === 32) return (at) => view.getInt32(at, true) >> 16;
  if (tag === TAG_FLOAT && bits === 32) {
    return (at) => Math.max(-32768, Math.min(32767, Math.round(view.getFloat32(at, true) * 32767)));
  }
  throw new WavError(`unsupported WAV encoding: format ${tag}, ${bits} bits`);
}

function decodeData(fmt: Format, view: DataView, start: number, length: number): Int16Array {
  const bytesPerSample = fmt.bits / 8;
  const frameBytes = fmt.blockAlign || bytesPerSample * fmt.channels;
  const frames = Math.floor(length / frameBytes);
  const read = sampleReader(fmt, view);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    const base = start + f * frameBytes;
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) sum += read(base + c * bytesPerSample);
    out[f] = Math.round(sum / fmt.channels);
  }
  return out;
}

/** Parses a WAV file; throws WavError on anything it cannot play. */
export function readWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavError('not a RIFF/WAVE file');
  let fmt: Format | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') fmt = readFormat(view, body, Math.min(size, bytes.length - body));
    if (id === 'data') {
      if (!fmt) throw new WavError('data chunk before fmt chunk');
      if (fmt.channels < 1 || fmt.sampleRate < 1000) throw new WavError('bad channel count or sample rate');
      // Streamed WAVs (espeak-ng --stdout, sox to a pipe) announce a bogus size: trust the bytes we have.
      const length = Math.min(size, bytes.length - body);
      return {
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        samples: decodeData(fmt, view, body, length),
      };
    }
    at = body + size + (size & 1);
  }
  throw new WavError('no data chunk');
}

function header(dataBytes: number, tagValue: number, bits: number, sampleRate: number): Buffer {
  const extra = tagValue === TAG_PCM ? 0 : 2;
  const fmtSize = 16 + extra;
  const buf = Buffer.alloc(12 + 8 + fmtSize + 8);
  const bytesPerSample = bits / 8;
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(4 + 8 + fmtSize + 8 + dataBytes + (dataBytes & 1), 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(fmtSize, 16);
  buf.writeUInt16LE(tagValue, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * bytesPerSample, 28);
  buf.writeUInt16LE(bytesPerSample, 32);
  buf.writeUInt16LE(bits, 34);
  const dataAt = 36 + extra;
  buf.write('data', dataAt, 'latin1');
  buf.writeUInt32LE(dataBytes, dataAt + 4);
  return buf;
}

/** A mono 8 kHz µ-law WAV holding `codes` (already µ-law encoded). */
export function writeWavUlawCodes(codes: Uint8Array, sampleRate = 8000): Buffer {
  const pad = codes.length & 1 ? Buffer.from([0]) : Buffer.alloc(0);
  return Buffer.concat([header(codes.length, TAG_ULAW, 8, sampleRate), codes, pad]);
}

/** A mono µ-law WAV of `samples` (8 kHz unless told). */
export function writeWavUlaw(samples: Int16Array, sampleRate = 8000): Buffer {
  return writeWavUlawCodes(encode('ulaw', samples), sampleRate);
}

/** A mono PCM16 WAV of `samples`. */
export function writeWavPcm16(samples: Int16Array, sampleRate = 8000): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) data.writeInt16LE(samples[i], i * 2);
  return Buffer.concat([header(data.length, TAG_PCM, 16, sampleRate), data]);
}
