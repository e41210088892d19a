// Maps sound names (`dir/name.wav`, `[FILE_PATH]/dir/name.wav`) to files that never leave the sound root.
import { realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const SEGMENT = /^[A-Za-z0-9_\-.\u00a0-\uffff ]{1,128}$/u;
export const FILE_PATH = '[FILE_PATH]';

/** Splits a relative sound path into safe segments, or undefined (`..`, `.`, empty, absolute, backslash, NUL). */
export function soundSegments(rel: string): string[] | undefined {
  if (rel.length === 0 || rel.length > 512 || rel.startsWith('/')) return undefined;
  const parts = rel.split('/');
  for (const p of parts) {
    if (p === '.' || p === '..' || !SEGMENT.test(p) || p.trim() !== p) return undefined;
  }
  return parts;
}

/** The file a relative path names inside `root`, checked lexically (symlinks are checked by `openInside`). */
export function fileInside(root: string, rel: string): string | undefined {
  const parts = soundSegments(rel);
  return parts && join(root, ...parts);
}

/** The file an audio `src` names (`[FILE_PATH]/x.wav`), or undefined when it does not use the sound root. */
export function soundFileOf(root: string, src: string): string | undefined {
  if (!src.startsWith(`${FILE_PATH}/`)) return undefined;
  return fileInside(root, src.slice(FILE_PATH.length + 1));
}

/** True when `file` is `root` or inside it after resolving every symlink. */
export async function realInside(root: string, file: string): Promise<boolean> {
  try {
    const [r, f] = await Promise.all([realpath(root), realpath(file)]);
    const rel = relative(r, f);
    return rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep);
  } catch {
    return false;
  }
}

/** The regular file a relative path names, only if it really lies inside the root; else undefined. */
export async function openInside(
  root: string,
  rel: string,
): Promise<{ file: string; bytes: number } | undefined> {
  const file = fileInside(root, rel);
  if (!file || !(await realInside(root, file))) return undefined;
  const st = await stat(file).catch(() => undefined);
  return st?.isFile() ? { file, bytes: st.size } : undefined;
}

/** The URL path under which the runtime serves a file of the sound root (`/sounds/dir/name.wav`). */
export function soundUrl(root: string, file: string): string | undefined {
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return `/sounds/${rel.split(sep).map(encodeURIComponent).join('/')}`;
}
