// Tone files (manual section 24): prompts integrators list, upload and delete by id, kept in the sound root's
// `tones/` folder in the engine's format. `toneFile(id)` is how CAPTCHA calls (section 3, `toneid`) find one.
import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import type { Store } from '../store/db.ts';
import type { ConfinedRoot } from '../../files/confined-root.ts';
import { toPromptFormat } from './convert.ts';

/** The folder of the sound root that holds tone files (flows can play them as `[FILE_PATH]/tones/<path>`). */
export const TONES_DIR = 'tones';

/** A tone file as section 24's query answers it (`titel` [sic]). */
export interface ToneFileInfo {
  id: number;
  titel: string;
  path: string;
  des: string;
}

export interface ToneSave {
  /** Present: modify that tone; absent: add one. */
  id?: number;
  title: string;
  des: string;
  /** The uploaded WAV; may be absent when modifying (title and description only). */
  file?: Uint8Array;
}

export type SaveResult = { ok: true; id: number } | { ok: false; code: 400 | 404; reason: string };

/** The absolute WAV path of a tone id, for CAPTCHA calls (undefined: unknown id or the file is gone). */
export type ToneFileLookup = (id: number | string) => Promise<string | undefined>;

export class Tones {
  constructor(
    private readonly store: Store,
    /** The sound root. */
    private readonly sounds: ConfinedRoot,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<ToneFileInfo[]> {
    return (await this.store.toneFiles.list()).map((t) => ({
      id: t.id,
      titel: t.title,
      path: t.path,
      des: t.des,
    }));
  }

  readonly toneFile: ToneFileLookup = async (id) => {
    const n = typeof id === 'number' ? id : /^\d{1,12}$/.test(id.trim()) ? Number(id) : NaN;
    if (!Number.isSafeInteger(n)) return undefined;
    const tone = await this.store.toneFiles.get(n);
    const found = tone && (await this.sounds.open(`${TONES_DIR}/${tone.path}`));
    return found?.file;
  };

  async save(s: ToneSave): Promise<SaveResult> {
    const old = s.id !== undefined ? await this.store.toneFiles.get(s.id) : undefined;
    if (s.id !== undefined && !old) return { ok: false, code: 404, reason: `no tone file ${s.id}` };
    if (!old && !s.file) return { ok: false, code: 400, reason: 'missing: file' };
    let path: string | undefined;
    if (s.file) {
      const converted = await toPromptFormat(s.file);
      if (!converted.ok) return { ok: false, code: 400, reason: converted.reason };
      path = await this.write(converted.wav);
    }
    const updatedAt = this.now();
    if (old) {
      await this.store.toneFiles.update(old.id, { title: s.title, des: s.des, path, updatedAt });
      if (path && path !== old.path) await this.unlink(old.path);
      return { ok: true, id: old.id };
    }
    const id = await this.store.toneFiles.add({ title: s.title, des: s.des, path: path!, updatedAt });
    return { ok: true, id };
  }

  /** Deletes the tone and its file; false when the id is unknown. */
  async remove(id: number): Promise<boolean> {
    const tone = await this.store.toneFiles.get(id);
    if (!tone || !(await this.store.toneFiles.remove(id))) return false;
    await this.unlink(tone.path);
    return true;
  }

  /** Writes the file under a new name like the manual's (`1472020704123.wav`, the time of upload in ms). */
  private async write(wav: Buffer): Promise<string> {
    const dir = this.sounds.pathOf(TONES_DIR)!;
    await mkdir(dir, { recursive: true });
    if (!(await this.sounds.containsOrIs(dir))) throw new Error('the tones folder is outside the sound root');
    for (let t = this.now(); ; t++) {
      const name = `${t}.wav`;
      const target = this.sounds.pathOf(`${TONES_DIR}/${name}`)!;
      const temp = `${target}.part`;
      try {
        // `wx`: never overwrite (two uploads in the same millisecond take the next name).
        await writeFile(temp, wav, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      if (await this.sounds.open(`${TONES_DIR}/${name}`)) {
        await rm(temp, { force: true });
        continue;
      }
      await rename(temp, target);
      return name;
    }
  }

  private async unlink(path: string): Promise<void> {
    const found = await this.sounds.open(`${TONES_DIR}/${path}`);
    if (found) await rm(found.file, { force: true });
  }
}
