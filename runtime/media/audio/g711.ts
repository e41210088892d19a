// G.711 µ-law and A-law codecs (ITU-T G.711, the Sun reference algorithm) through precomputed lookup tables.

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;
const SEG_UEND = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff];
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, ends: number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]) return i;
  return 8;
}

function linearToUlaw(pcm: number): number {
  let mask: number;
  let v = pcm;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (v > ULAW_CLIP) v = ULAW_CLIP;
  v += ULAW_BIAS;
  const seg = segment(v, SEG_UEND);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 3)) & 0xf)) ^ mask;
}

function ulawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + ULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

function linearToAlaw(pcm: number): number {
  // The Sun algorithm works on 13-bit magnitudes.
  let v = pcm >> 3;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = segment(v, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (v >> 1) & 0xf : (v >> seg) & 0xf;
  return aval ^ mask;
}

function alawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

/** Index with `sample & 0xffff` (two's complement 16-bit). */
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);
const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
/** Direct code-to-code transcoding for bridges between PCMU and PCMA legs. */
const ULAW_TO_ALAW = new Uint8Array(256);
const ALAW_TO_ULAW = new Uint8Array(256);

for (let i = 0; i < 65536; i++) {
  const s = i >= 32768 ? i - 65536 : i;
  ULAW_ENCODE[i] = linearToUlaw(s);
  ALAW_ENCODE[i] = linearToAlaw(s);
}
for (let c = 0; c < 256; c++) {
  ULAW_DECODE[c] = ulawToLinear(c);
  ALAW_DECODE[c] = alawToLinear(c);
}
for (let c = 0; c < 256; c++) {
  ULAW_TO_ALAW[c] = ALAW_ENCODE[ULAW_DECODE[c] & 0xffff];
  ALAW_TO_ULAW[c] = ULAW_ENCODE[ALAW_DECODE[c] & 0xffff];
}

export type G711Law = 'ulaw' | 'alaw';

/** The code of digital silence in each law (what a zero sample encodes to). */
export const SILENCE_CODE: Record<G711Law, number> = { ulaw: 0xff, alaw: 0xd5 };

export function encodeSample(law: G711Law, sample: number): number {
  return (law === 'ulaw' ? ULAW_ENCODE : ALAW_ENCODE)[sample & 0xffff];
}

export function decodeSample(law: G711Law, code: number): number {
  return (law === 'ulaw' ? ULAW_DECODE : ALAW_DECODE)[code & 0xff];
}

/** Encodes PCM into `out` (allocated when absent); returns `out`. */
export function encode(law: G711Law, pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const table = law === 'ulaw' ? ULAW_ENCODE : ALAW_ENCODE;
  const dst = out ?? new Uint8Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) dst[i] = table[pcm[i] & 0xffff];
  return dst;
}

/** Decodes codes into `out` (allocated when absent); returns `out`. */
export function decode(law: G711Law, codes: Uint8Array, out?: Int16Array): Int16Array {
  const table = law === 'ulaw' ? ULAW_DECODE : ALAW_DECODE;
  const dst = out ?? new Int16Array(codes.length);
  for (let i = 0; i < codes.length; i++) dst[i] = table[codes[i]];
  return dst;
}

/** Rewrites codes of one law as the other, in place when `out` is `codes`. */
export function transcode(from: G711Law, to: G711Law, codes: Uint8Array, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(codes.length);
  if (from === to) {
    if (dst !== codes) dst.set(codes);
    return dst;
  }
  const table = from === 'ulaw' ? ULAW_TO_ALAW : ALAW_TO_ULAW;
  for (let i = 0; i < codes.length; i++) dst[i] = table[codes[i]];
  return dst;
}
