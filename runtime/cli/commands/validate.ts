// `ivr validate FILE… [--json] [--sounds DIR]`: checks tns:vxml documents and prints their problems (100 a file).
import { readFile, stat } from 'node:fs/promises';
import type { Problem } from '../../../schema/ast.ts';
import { checkDocument } from '../../../schema/check.ts';
import { ConfinedRoot } from '../../files/confined-root.ts';
import { soundExistsIn } from '../../files/sound-source.ts';
import { DEFAULT_MAX_BYTES } from '../../../schema/xml-scan.ts';

const USAGE = 'usage: ivr validate FILE… [--json] [--sounds DIR]\n';

interface Options {
  files: string[];
  json: boolean;
  sounds?: string;
}

/** Reads the command line; a string is a usage error. */
function options(args: string[]): Options | string {
  const opts: Options = { files: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') opts.json = true;
    else if (arg === '--sounds') {
      if (args[i + 1] === undefined) return '--sounds needs a directory';
      opts.sounds = args[++i];
    } else if (arg.startsWith('--sounds=')) opts.sounds = arg.slice('--sounds='.length);
    else if (arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
    else opts.files.push(arg);
  }
  return opts.files.length === 0 ? 'no file given' : opts;
}

/** A file's bytes, or a refusal when it is larger than the parser accepts (so 50 MB is never read). */
export async function readDocument(file: string): Promise<Uint8Array | Problem> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error('not a regular file');
  if (info.size > DEFAULT_MAX_BYTES) {
    const message = `document is larger than ${DEFAULT_MAX_BYTES} bytes (${info.size} bytes)`;
    return { code: 'E_TOO_LARGE', severity: 'error', message, line: 1, column: 1 };
  }
  return readFile(file);
}

/** `FILE:LINE:COL CODE message` */
export function problemLine(file: string, p: Problem): string {
  return `${file}:${p.line ?? 1}:${p.column ?? 1} ${p.code} ${p.message}`;
}

export async function run(args: string[]): Promise<number> {
  const opts = options(args);
  if (typeof opts === 'string') {
    process.stderr.write(`ivr validate: ${opts}\n${USAGE}`);
    return 2;
  }
  const audioExists = opts.sounds === undefined ? undefined : soundExistsIn(new ConfinedRoot(opts.sounds));
  const rows: Record<string, unknown>[] = [];
  let errors = false;
  let unreadable = false;
  for (const file of opts.files) {
    let problems: Problem[];
    try {
      const bytes = await readDocument(file);
      problems = bytes instanceof Uint8Array ? checkDocument(bytes, { audioExists }).problems : [bytes];
    } catch (err) {
      process.stderr.write(`ivr validate: cannot read ${file}: ${(err as Error).message}\n`);
      unreadable = true;
      continue;
    }
    errors ||= problems.some((p) => p.severity === 'error');
    for (const p of problems) {
      if (opts.json)
        rows.push({
          file,
          code: p.code,
          severity: p.severity,
          message: p.message,
          form: p.form,
          line: p.line,
          column: p.column,
          omitted: p.omitted,
        });
      else process.stdout.write(`${problemLine(file, p)}\n`);
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  return unreadable ? 2 : errors ? 1 : 0;
}
