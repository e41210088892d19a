// Runs SOAP calls through zeep (Debian's python3-zeep): a client no one here wrote reads our WSDL and speaks to us.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, 'fixtures', 'zeep_calls.py');
// Debian's interpreter, where python3-zeep installs (a python3 first on PATH may be another one).
const PYTHON = '/usr/bin/python3';

export type ZeepOutcome = { result: unknown } | { fault: { message: string; code: string } };

/** Calls each `[operation, args]` in one zeep client of `wsdl`; resolves with the outcomes in order. */
export function zeep(wsdl: string, calls: [string, Record<string, unknown>][]): Promise<ZeepOutcome[]> {
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      [SCRIPT, wsdl, JSON.stringify(calls)],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, out, stderr) => {
        if (err) return reject(new Error(`zeep failed: ${stderr || err.message}`));
        resolve(JSON.parse(out) as ZeepOutcome[]);
      },
    );
  });
}

/** The one outcome of a single call. */
export async function zeepOne(
  wsdl: string,
  op: string,
  args: Record<string, unknown> = {},
): Promise<ZeepOutcome> {
  return (await zeep(wsdl, [[op, args]]))[0];
}
