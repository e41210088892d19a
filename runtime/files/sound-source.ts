// Audio sources of the dialect (`[FILE_PATH]/dir/x.wav`): the file each names in the sound root, and its URL.
import { existsSync, realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { ConfinedRoot } from './confined-root.ts';

/** The placeholder an audio `src` starts with; it stands for the configured sound root. */
export const FILE_PATH = '[FILE_PATH]';

/** The name inside the sound root an audio `src` uses, or undefined when it does not start with `[FILE_PATH]/`. */
export function soundName(src: string): string | undefined {
  return src.startsWith(`${FILE_PATH}/`) ? src.slice(FILE_PATH.length + 1).replace(/\\/g, '/') : undefined;
}

/**
 * The absolute file an audio `src` names, or undefined when it would leave the root (`..`, a symlink out, no
 * `[FILE_PATH]/` prefix). A missing file inside the root is returned as named, so that playback reports it; an
 * existing one is returned symlink-resolved.
 */
export function soundFile(root: ConfinedRoot, src: string): string | undefined {
  const name = soundName(src);
  const file = name === undefined ? undefined : root.pathOf(name);
  if (!file) return undefined;
  if (!existsSync(file)) return file;
  return root.containsSync(file) ? realpathSync(file) : undefined;
}

/** An `audioExists` for the validator: true when the src names a regular file really inside the root. */
export function soundExistsIn(root: ConfinedRoot): (src: string) => boolean {
  return (src) => {
    const name = soundName(src);
    return name !== undefined && root.isFileSync(name);
  };
}

/** The URL path under which the runtime serves a file of the sound root (`/sounds/dir/name.wav`). */
export function soundUrl(root: ConfinedRoot, file: string): string | undefined {
  const rel = relative(root.dir, file);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return `/sounds/${rel.split(sep).map(encodeURIComponent).join('/')}`;
}
