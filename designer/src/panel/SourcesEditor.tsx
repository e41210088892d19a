// Edits what one prompt plays: audio files (picked from the sound library) and TTS text with ${var}.
import type { Form, Prompt, PromptSource } from '../../../schema/ast.ts';
import { getAt, updateAt } from '../graph/paths.ts';
import type { ItemPath } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { ttsPreview } from '../runtime/api.ts';
import { editForm } from '../store/flow.ts';
import { notify, openDialog } from '../store/ui.ts';
import { CommitInput } from './inputs.tsx';

interface Props {
  nodeKey: string;
  form: Form;
  /** Path of the prompt item. */
  path: ItemPath;
  testid: string;
}

async function preview(text: string): Promise<void> {
  try {
    const url = await ttsPreview(text);
    await new Audio(url).play();
  } catch (err) {
    notify(String(err), 'error');
  }
}

export function SourcesEditor({ nodeKey, form, path, testid }: Props) {
  const t = useT();
  const prompt = getAt(form, path) as Prompt | undefined;
  if (!prompt) return null;
  const setSources = (update: (s: PromptSource[]) => PromptSource[]) =>
    editForm(nodeKey, (f) =>
      updateAt(f, path, (p) => ({ ...(p as Prompt), sources: update((p as Prompt).sources) })),
    );
  const setAt = (i: number, source: PromptSource) =>
    setSources((s) => s.map((x, j) => (j === i ? source : x)));
  return (
    <div className="sources" data-testid={testid}>
      {prompt.sources.map((s, i) => {
        if (s.type === 'comment') return null;
        const remove = (
          <button
            className="icon"
            title={t('panel.remove')}
            onClick={() => setSources((l) => l.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        );
        if (s.type === 'audio') {
          return (
            <div className="source" key={i}>
              <span className="source-kind">♪</span>
              <CommitInput
                value={s.src}
                testid={`${testid}-audio-${i}`}
                onCommit={(src) => setAt(i, { ...s, src })}
              />
              <button
                onClick={() => openDialog({ type: 'sounds', onPick: (src) => setAt(i, { ...s, src }) })}
                data-testid={`${testid}-pick-${i}`}
              >
                {t('panel.pick')}
              </button>
              {remove}
            </div>
          );
        }
        return (
          <div className="source" key={i}>
            <span className="source-kind">“”</span>
            <CommitInput
              value={s.text}
              multiline
              testid={`${testid}-tts-${i}`}
              placeholder={t('panel.tts')}
              onCommit={(text) => setAt(i, { ...s, text })}
            />
            <button onClick={() => void preview(s.text)} title={t('panel.preview')}>
              ▶
            </button>
            {remove}
            <CommitInput
              value={s.voice ?? ''}
              testid={`${testid}-voice-${i}`}
              placeholder={t('panel.voice')}
              onCommit={(voice) => {
                const { voice: _old, ...rest } = s;
                setAt(i, voice ? { ...rest, voice } : rest);
              }}
            />
          </div>
        );
      })}
      <div className="row">
        <button
          data-testid={`${testid}-add-audio`}
          onClick={() =>
            openDialog({ type: 'sounds', onPick: (src) => setSources((l) => [...l, { type: 'audio', src }]) })
          }
        >
          + {t('panel.addAudio')}
        </button>
        <button
          data-testid={`${testid}-add-tts`}
          onClick={() => setSources((l) => [...l, { type: 'tts', text: '' }])}
        >
          + {t('panel.addTts')}
        </button>
      </div>
    </div>
  );
}

/** Every prompt the node plays outside its branches, as paths (field prompts, then top-level prompts). */
export function promptPaths(form: Form): ItemPath[] {
  const out: ItemPath[] = [];
  form.items.forEach((item, i) => {
    if (item.type === 'prompt') out.push([i]);
    if (item.type === 'field')
      item.prompts.forEach((p, j) => p.type === 'prompt' && out.push([i, 'prompts', j]));
  });
  return out;
}
