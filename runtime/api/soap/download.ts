// The `byte[]` answers of downloadVoice / downloadVoiceWithCallId: a file read whole, within a size cap.
import { readFile } from 'node:fs/promises';
import type { FoundFile } from '../../files/confined-root.ts';
import { SoapFault } from './spec.ts';

/** Largest file sent inside an envelope (base64 makes it a third larger). */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

export async function fileBytes(found: FoundFile | undefined, what: string): Promise<Buffer> {
  if (!found) throw new SoapFault(404, `no such ${what}`);
  if (found.bytes > MAX_DOWNLOAD_BYTES)
    throw new SoapFault(413, `${what} larger than ${MAX_DOWNLOAD_BYTES} bytes`);
  return readFile(found.file);
}
