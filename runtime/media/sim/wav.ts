// Reads the duration of a WAV file from its RIFF header (the simulator plays files for their real length).
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';

/** Reads `length` bytes at `offset`; fewer when the file is shorter. */
function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  return buf.subarray(0, n);
}

/**
 * Duration in ms of a RIFF/WAVE file: data bytes / byte rate. Synchronous on purpose: the simulator runs on
 * virtual time, and a synchronous read keeps playback start deterministic. Throws when the file is missing
 * or is not a WAV file.
 */
export function wavDurationMs(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const head = readAt(fd, 0, 12);
    if (
      head.length < 12 ||
      head.toString('ascii', 0, 4) !== 'RIFF' ||
      head.toString('ascii', 8, 12) !== 'WAVE'
    ) {
      throw new Error('not a RIFF/WAVE file');
    }
    let offset = 12;
    let byteRate = 0;
    // Chunks (fmt, LIST, fact, data...) are walked in order; a chunk body is padded to an even size.
    for (let guard = 0; guard < 64; guard++) {
      const chunk = readAt(fd, offset, 20);
      if (chunk.length < 8) break;
      const id = chunk.toString('ascii', 0, 4);
      const size = chunk.readUInt32LE(4);
      if (id === 'fmt ' && chunk.length >= 20) byteRate = chunk.readUInt32LE(16);
      if (id === 'data') {
        if (byteRate <= 0) throw new Error('WAV data before a valid fmt chunk');
        return Math.round((size / byteRate) * 1000);
      }
      offset += 8 + size + (size % 2);
    }
    throw new Error('WAV file has no data chunk');
  } finally {
    closeSync(fd);
  }
}

/** Writes a silent 8 kHz mono 16-bit PCM WAV file of `durationMs` (the simulator's recordings). */
export function writeSilentWav(path: string, durationMs: number): void {
  const rate = 8000;
  const dataSize = Math.round((rate * durationMs) / 1000) * 2;
  const buf = Buffer.alloc(44 + dataSize);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataSize, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataSize, 40);
  writeFileSync(path, buf);
}
