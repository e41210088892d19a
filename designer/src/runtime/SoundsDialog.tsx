// The sound library: pick a file for an audio source, listen to it, or upload a new WAV.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.ts';
import { closeDialog, notify } from '../store/ui.ts';
import { Modal } from '../chrome/Modal.tsx';
import { api, soundUrl, type Sound } from './api.ts';

export function SoundsDialog({ onPick }: { onPick: (src: string) => void }) {
  const t = useT();
  const [sounds, setSounds] = useState<Sound[] | null>(null);
  const [filter, setFilter] = useState('');
  const [path, setPath] = useState('uploads/');
  const [file, setFile] = useState<File | null>(null);
  const load = () => void api.sounds().then((r) => setSounds(r.ok ? r.value : []));
  useEffect(load, []);
  const upload = async () => {
    if (!file) return;
    const target = path.endsWith('/') ? `${path}${file.name}` : path;
    const r = await api.uploadSound(target, file);
    if (!r.ok) notify(r.message, 'error');
    else load();
  };
  const pick = (src: string) => {
    onPick(src);
    closeDialog();
  };
  const shown = (sounds ?? []).filter((s) => s.path.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Modal title={t('sounds.title')} testid="sounds-dialog">
      <input
        placeholder="…"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="sounds-filter"
      />
      {sounds && shown.length === 0 && <p className="hint">{t('sounds.none')}</p>}
      <ul className="sound-list">
        {shown.map((s) => (
          <li key={s.path} data-testid="sound-row">
            <button className="icon" onClick={() => void new Audio(soundUrl(s.src)).play()}>
              ▶
            </button>
            <span className="sound-path">{s.path}</span>
            <span className="hint">{Math.round(s.bytes / 1024)} KiB</span>
            <button onClick={() => pick(s.src)}>{t('panel.pick')}</button>
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          type="file"
          accept=".wav,audio/wav"
          data-testid="sounds-upload-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          title={t('sounds.uploadPath')}
          data-testid="sounds-upload-path"
        />
        <button onClick={() => void upload()} disabled={!file} data-testid="sounds-upload">
          {t('sounds.upload')}
        </button>
      </div>
      <div className="row">
        <button onClick={() => pick('[FILE_PATH]/')}>{t('panel.audio')}: [FILE_PATH]/…</button>
      </div>
    </Modal>
  );
}
