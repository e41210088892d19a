// Node-only helpers of the dialect (file system, xmllint); everything else in schema/ runs in a browser too.
import { execFile } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The placeholder an audio `src` starts with; it stands for the configured sound root. */
export const FILE_PATH = '[FILE_PATH]';

/** Path of the dialect's XML Schema. */
export const XSD_PATH = fileURLToPath(new URL('./switchboard.xsd', import.meta.url));

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' ? false : !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The file an audio `src` names under `soundRoot` (`[FILE_PATH]/a/b.wav` -> `<root>/a/b.wav`), or undefined
 * when the src does not start with `[FILE_PATH]/` or would leave the root (`..`, absolute paths, symlinks out).
 */
export function resolveAudio(soundRoot: string, src: string): string | undefined {
  if (!src.startsWith(`${FILE_PATH}/`)) return undefined;
  const rest = src.slice(FILE_PATH.length + 1).replace(/\\/g, '/');
  if (rest.includes('\0')) return undefined;
  const root = resolve(soundRoot);
  const path = resolve(root, rest);
  if (!inside(root, path)) return undefined;
  try {
    const real = realpathSync(path);
    return inside(realpathSync(root), real) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** An `audioExists` for validate(): true when the src names a regular file inside `soundRoot`. */
export function audioExistsIn(soundRoot: string): (src: string) => boolean {
  return (src) => {
    const path = resolveAudio(soundRoot, src);
    if (!path) return false;
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
}

export interface XmllintResult {
  ok: boolean;
  output: string;
}

/**
 * Validates with `xmllint --noout --schema schema/switchboard.xsd`. `source` is a file path, or XML text
 * when it starts with `<` (after optional whitespace), which is passed on stdin.
 */
export function xmllintValidate(source: string): Promise<XmllintResult> {
  const isText = source.trimStart().startsWith('<');
  return new Promise((done, fail) => {
    const child = execFile(
      'xmllint',
      ['--noout', '--nonet', '--schema', XSD_PATH, isText ? '-' : source],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') fail(err);
        else done({ ok: !err, output: `${stdout}${stderr}` });
      },
    );
    if (isText) child.stdin?.end(source);
    else child.stdin?.end();
  });
}
