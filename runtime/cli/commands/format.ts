// `ivr format FILE… [--write]`: prints (or writes back) the canonical serialization of tns:vxml documents.
import { readFile, writeFile } from 'node:fs/promises';
import { checkDocument } from '../../../schema/check.ts';
import { serialize } from '../../../schema/serialize.ts';
import { problemLine, readDocument } from './validate.ts';

const USAGE = 'usage: ivr format FILE… [--write]\n';

/** The canonical text of one file, or undefined after printing why it cannot be formatted. */
async function formatFile(file: string): Promise<string | undefined> {
  const bytes = await readDocument(file);
  const { document, problems } =
    bytes instanceof Uint8Array ? checkDocument(bytes) : { document: undefined, problems: [bytes] };
  // Any error refuses: a best-effort tree of a broken file would silently drop what could not be read.
  if (!document || problems.some((p) => p.severity === 'error')) {
    for (const p of problems) process.stderr.write(`${problemLine(file, p)}\n`);
    return undefined;
  }
  return serialize(document);
}

export async function run(args: string[]): Promise<number> {
  const write = args.includes('--write');
  const files = args.filter((a) => a !== '--write');
  const unknown = files.find((a) => a.startsWith('-'));
  if (files.length === 0 || unknown) {
    process.stderr.write(
      `ivr format: ${unknown ? `unknown option '${unknown}'` : 'no file given'}\n${USAGE}`,
    );
    return 2;
  }
  let code = 0;
  for (const file of files) {
    let text: string | undefined;
    try {
      text = await formatFile(file);
    } catch (err) {
      process.stderr.write(`ivr format: cannot read ${file}: ${(err as Error).message}\n`);
      code = 2;
      continue;
    }
    if (text === undefined) code = Math.max(code, 1);
    else if (!write) process.stdout.write(text);
    else if ((await readFile(file, 'utf8')) !== text) {
      await writeFile(file, text);
      process.stderr.write(`formatted ${file}\n`);
    }
  }
  return code;
}
