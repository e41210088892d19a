// Test helper: reads the format of a RIFF/WAVE file by walking its chunks (no audio library).

export interface WavInfo {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
}

/** The fmt and data chunks of a WAV file; throws when the bytes are not RIFF/WAVE with both chunks. */
export function readWav(bytes: Buffer): WavInfo {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  if (bytes.readUInt32LE(4) + 8 !== bytes.length) throw new Error('RIFF size does not match the file size');
  let fmt: Omit<WavInfo, 'dataBytes'> | undefined;
  let dataBytes: number | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (body + size > bytes.length) throw new Error(`chunk ${id} runs past the end of the file`);
    if (id === 'fmt ') {
      fmt = {
        formatTag: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      dataBytes = size;
    }
    at = body + size + (size % 2);
  }
  if (!fmt || dataBytes === undefined) throw new Error('fmt or data chunk missing');
  return { ...fmt, dataBytes };
}

/** WAVE_FORMAT_MULAW with one 8-bit channel at 8 kHz: what the media engine plays without transcoding. */
export const TELEPHONE_ULAW = { formatTag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8 } as const;
