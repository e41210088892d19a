// One rule for every folder the runtime serves or writes (sounds, recordings, voicemail, the built designer): a
// name resolves to a file inside its root, or to nothing. Lexical checks first, then symlinks resolved.
import { realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

const MAX_NAME = 1024;
const MAX_SEGMENT = 255;
// Control characters (NUL included) never belong in a file name we serve or write.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// Windows drive paths as the manual prints them (`D:/records/…`): absolute, never relative to the root.
const DRIVE = /^[A-Za-z]:[\\/]/;

/** The segments of a relative name, or undefined (`.`, `..`, empty segments, absolute, control characters). */
export function safeSegments(rel: string): string[] | undefined {
  if (rel.length === 0 || rel.length > MAX_NAME || rel.startsWith('/') || DRIVE.test(rel)) return undefined;
  const parts = rel.split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.length > MAX_SEGMENT || CONTROL.test(p)) return undefined;
  }
  return parts;
}

/** True when `path` lies strictly inside `root` (both absolute and normalised). */
function lexicallyInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

export interface FoundFile {
  /** Absolute path (as named, not symlink-resolved). */
  file: string;
  /** The name relative to the root, with `/` separators. */
  name: string;
  bytes: number;
}

export class ConfinedRoot {
  /** The root folder, absolute. */
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** The absolute path a relative name denotes (`a/b.wav`), checked lexically; undefined when unsafe. */
  pathOf(rel: string): string | undefined {
    const parts = safeSegments(rel.replace(/\\/g, '/'));
    return parts && join(this.dir, ...parts);
  }

  /**
   * The relative name of a path given either relative to the root or absolute (the manual's integrators send back
   * the absolute `recordVoice` path they were given); undefined when it does not lie inside the root.
   */
  nameOf(pathOrName: string): string | undefined {
    const p = pathOrName.replace(/\\/g, '/');
    if (!isAbsolute(p) && !DRIVE.test(p)) return this.pathOf(p) && p;
    if (CONTROL.test(p) || DRIVE.test(p)) return undefined;
    const abs = resolve(p);
    if (!lexicallyInside(this.dir, abs)) return undefined;
    return relative(this.dir, abs).split(sep).join('/');
  }

  /** True when `file` (absolute) is inside the root once every symlink is resolved; false when it does not exist. */
  async contains(file: string): Promise<boolean> {
    try {
      const [r, f] = await Promise.all([realpath(this.dir), realpath(file)]);
      return lexicallyInside(r, f);
    } catch {
      return false;
    }
  }

  /** `contains`, or the root itself (a folder files are about to be written into). */
  async containsOrIs(dir: string): Promise<boolean> {
    try {
      const [r, d] = await Promise.all([realpath(this.dir), realpath(dir)]);
      return r === d || lexicallyInside(r, d);
    } catch {
      return false;
    }
  }

  /** `contains` for synchronous callers (the validator's audio check, the interpreter's prompt resolution). */
  containsSync(file: string): boolean {
    try {
      return lexicallyInside(realpathSync(this.dir), realpathSync(file));
    } catch {
      return false;
    }
  }

  /** The regular file a name (relative or absolute) denotes, only if it really lies inside the root. */
  async open(pathOrName: string): Promise<FoundFile | undefined> {
    const name = this.nameOf(pathOrName);
    const file = name === undefined ? undefined : this.pathOf(name);
    if (!file || !name || !(await this.contains(file))) return undefined;
    const st = await stat(file).catch(() => undefined);
    return st?.isFile() ? { file, name, bytes: st.size } : undefined;
  }

  /** `open` for synchronous callers: true when the name is a regular file really inside the root. */
  isFileSync(pathOrName: string): boolean {
    const name = this.nameOf(pathOrName);
    const file = name === undefined ? undefined : this.pathOf(name);
    if (!file || !this.containsSync(file)) return false;
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  }
}
