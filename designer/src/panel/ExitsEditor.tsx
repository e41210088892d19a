// The exits of a node: condition or key, where each goes, and the steps of its branch; add and remove exits.
import type { Form, Item } from '../../../schema/ast.ts';
import {
  addBranchPrompt,
  addChoice,
  addCondition,
  branchPath,
  freeKey,
  removeExit,
  setChoiceKey,
  setCondition,
} from '../graph/branches.ts';
import { exitsOf } from '../graph/exits.ts';
import { getAt, removeAt } from '../graph/paths.ts';
import type { Exit } from '../graph/types.ts';
import { exitLabel } from '../canvas/NodeShell.tsx';
import { useT } from '../i18n/index.ts';
import { editForm, setExitNext } from '../store/flow.ts';
import { CommitInput } from './inputs.tsx';
import type { KindSchema } from './schema.ts';
import { SourcesEditor } from './SourcesEditor.tsx';
import { StepAttrInput } from './StepInputs.tsx';
import { TargetPicker } from './TargetPicker.tsx';
import { STEP_ATTRS } from './steps.ts';

interface Props {
  nodeKey: string;
  form: Form;
  mode: KindSchema['exits'];
}

function TargetSelect({ nodeKey, exit }: { nodeKey: string; exit: Exit }) {
  return (
    <TargetPicker
      value={exit.next ?? ''}
      testid={`exit-target-${exit.handle}`}
      onChange={(next) => setExitNext(nodeKey, exit.handle, next === '' ? undefined : next)}
    />
  );
}

function BranchSteps({ nodeKey, form, exit }: { nodeKey: string; form: Form; exit: Exit }) {
  const t = useT();
  const base = branchPath(exit);
  // A choice has no steps of its own; outside any branch the items are the node's own content, edited above.
  if (exit.on === 'choice' || base.length === 0) return null;
  const container = (getAt(form, base) as Item[] | undefined) ?? [];
  return (
    <div className="branch-steps">
      {container.map((item, i) => {
        if (item.type !== 'prompt' && item.type !== 'assign') return null;
        const remove = (
          <button
            className="icon"
            title={t('panel.remove')}
            data-testid={`step-remove-${exit.handle}-${i}`}
            onClick={() => editForm(nodeKey, (f) => removeAt(f, [...base, i]))}
          >
            ✕
          </button>
        );
        return item.type === 'prompt' ? (
          <div key={i} className="step">
            <SourcesEditor
              nodeKey={nodeKey}
              form={form}
              path={[...base, i]}
              testid={`step-${exit.handle}-${i}`}
            />
            {remove}
          </div>
        ) : (
          <div key={i} className="step">
            <span className="assign">
              {STEP_ATTRS.assign.map((spec) => (
                <StepAttrInput
                  key={spec.attr}
                  nodeKey={nodeKey}
                  form={form}
                  path={[...base, i]}
                  spec={spec}
                  problems={[]}
                  testid={`step-${exit.handle}-${i}-${spec.attr}`}
                />
              ))}
            </span>
            {remove}
          </div>
        );
      })}
      <button
        className="small"
        data-testid={`exit-add-play-${exit.handle}`}
        onClick={() =>
          editForm(nodeKey, (f) =>
            addBranchPrompt(f, exit, {
              type: 'prompt',
              bargein: false,
              sources: [{ type: 'tts', text: '' }],
            }),
          )
        }
      >
        + {t('panel.addPlay')}
      </button>
    </div>
  );
}

function ExitRow({ nodeKey, form, exit }: { nodeKey: string; form: Form; exit: Exit }) {
  const t = useT();
  const removable = exit.on === 'choice' || exit.on === 'cond' || (exit.on === 'else' && !exit.open);
  return (
    <li className="exit-edit" data-testid="exit-edit">
      <div className="row">
        {exit.on === 'cond' ? (
          <CommitInput
            value={exit.label}
            testid={`exit-cond-${exit.handle}`}
            onCommit={(cond) => editForm(nodeKey, (f) => setCondition(f, exit, cond))}
          />
        ) : exit.on === 'choice' ? (
          <CommitInput
            value={exit.label}
            testid={`exit-key-${exit.handle}`}
            onCommit={(dtmf) => editForm(nodeKey, (f) => setChoiceKey(f, exit, dtmf))}
          />
        ) : (
          <span className="exit-name">{exitLabel(t, exit)}</span>
        )}
        <TargetSelect nodeKey={nodeKey} exit={exit} />
        {removable && (
          <button
            className="icon"
            title={t('panel.remove')}
            onClick={() => editForm(nodeKey, (f) => removeExit(f, exit))}
          >
            ✕
          </button>
        )}
      </div>
      <BranchSteps nodeKey={nodeKey} form={form} exit={exit} />
    </li>
  );
}

export function ExitsEditor({ nodeKey, form, mode }: Props) {
  const t = useT();
  const exits = exitsOf(form);
  return (
    <section>
      <h3>{t('panel.exits')}</h3>
      <ul className="exit-list">
        {exits.map((e) => (
          <ExitRow key={e.handle} nodeKey={nodeKey} form={form} exit={e} />
        ))}
      </ul>
      <div className="row">
        {mode === 'conditions' && (
          <button
            data-testid="add-condition"
            onClick={() => editForm(nodeKey, (f) => addCondition(f, "input == '1'"))}
          >
            + {t('panel.addCondition')}
          </button>
        )}
        {mode === 'keys' && (
          <button data-testid="add-key" onClick={() => editForm(nodeKey, (f) => addChoice(f, freeKey(f)))}>
            + {t('panel.addKey')}
          </button>
        )}
      </div>
    </section>
  );
}
