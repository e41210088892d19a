// Every step of a form, nested as in the XML, each with all its attributes: add, edit, move and remove any
// element of the dialect (extensions included), with the validator's messages next to the step they concern.
import { useMemo } from 'react';
import type { Form, If, Item, Problem } from '../../../schema/ast.ts';
import { appendAt, getAt, removeAt, updateAt } from '../graph/paths.ts';
import type { ItemPath } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { editForm, useFlow } from '../store/flow.ts';
import { CommitInput, ProblemLines } from './inputs.tsx';
import { SourcesEditor } from './SourcesEditor.tsx';
import { StepAttrInput } from './StepInputs.tsx';
import { moveAt, newStep, STEP_ATTRS, stepTypes, type StepType } from './steps.ts';
import { stepProblems } from './steps.ts';

interface Ctx {
  nodeKey: string;
  form: Form;
  problems: Map<string, Problem[]>;
}

type Where = 'form' | 'menu' | 'branch' | 'field';

const keyOf = (path: ItemPath) => (path.length ? path.join('.') : 'top');

function AddStep({ ctx, path, where }: { ctx: Ctx; path: ItemPath; where: Where }) {
  const t = useT();
  const types: StepType[] = where === 'field' ? ['prompt', 'comment'] : stepTypes(where);
  return (
    <select
      className="add-step"
      value=""
      data-testid={`add-item-${keyOf(path)}`}
      onChange={(e) => {
        const type = e.target.value as StepType;
        if (type) editForm(ctx.nodeKey, (f) => appendAt(f, path, newStep(type)));
      }}
    >
      <option value="">+ {t('step.add')}</option>
      {types.map((type) => (
        <option key={type} value={type}>
          {t(`step.${type}`)}
        </option>
      ))}
    </select>
  );
}

function StepList({ ctx, path, where }: { ctx: Ctx; path: ItemPath; where: Where }) {
  const items = ((path.length ? getAt(ctx.form, path) : ctx.form.items) as Item[] | undefined) ?? [];
  return (
    <div className="step-list">
      <ol className="steps">
        {items.map((item, i) => (
          <Step key={i} ctx={ctx} path={[...path, i]} item={item} />
        ))}
      </ol>
      <AddStep ctx={ctx} path={path} where={where} />
    </div>
  );
}

function Branches({ ctx, path, item }: { ctx: Ctx; path: ItemPath; item: If }) {
  const t = useT();
  const k = path.join('.');
  const edit = (update: (f: Form) => Form) => editForm(ctx.nodeKey, update);
  return (
    <div className="branches">
      <div className="branch">
        <span className="branch-name">{t('step.then')}</span>
        <StepList ctx={ctx} path={[...path, 'then']} where="branch" />
      </div>
      {item.elseifs.map((e, j) => (
        <div className="branch" key={j} data-testid={`item-${k}-elseif-${j}`}>
          <div className="row">
            <span className="branch-name">{t('step.elseif')}</span>
            <CommitInput
              value={e.cond}
              testid={`item-${k}-elseif-${j}-cond`}
              onCommit={(cond) =>
                edit((f) => updateAt(f, [...path, 'elseifs', j], (b) => ({ ...(b as object), cond })))
              }
            />
            <button
              className="icon"
              title={t('panel.remove')}
              onClick={() => edit((f) => removeAt(f, [...path, 'elseifs', j]))}
            >
              ✕
            </button>
          </div>
          <ProblemLines problems={ctx.problems.get([...path, 'elseifs', j].join('.')) ?? []} />
          <StepList ctx={ctx} path={[...path, 'elseifs', j, 'items']} where="branch" />
        </div>
      ))}
      <div className="row">
        <button
          className="small"
          data-testid={`item-${k}-add-elseif`}
          onClick={() =>
            edit((f) => appendAt(f, [...path, 'elseifs'], { cond: "input == '2'", items: [] } as never))
          }
        >
          + {t('step.elseif')}
        </button>
        {!item.else && (
          <button
            className="small"
            data-testid={`item-${k}-add-else`}
            onClick={() => edit((f) => updateAt(f, [...path, 'else'], () => []))}
          >
            + {t('step.else')}
          </button>
        )}
      </div>
      {item.else && (
        <div className="branch" data-testid={`item-${k}-else`}>
          <div className="row">
            <span className="branch-name">{t('step.else')}</span>
            <button
              className="icon"
              title={t('panel.remove')}
              onClick={() => edit((f) => updateAt(f, [...path, 'else'], () => undefined))}
            >
              ✕
            </button>
          </div>
          <StepList ctx={ctx} path={[...path, 'else']} where="branch" />
        </div>
      )}
    </div>
  );
}

function Step({ ctx, path, item }: { ctx: Ctx; path: ItemPath; item: Item }) {
  const t = useT();
  const k = path.join('.');
  const problems = ctx.problems.get(k) ?? [];
  const specs = STEP_ATTRS[item.type];
  const claimed = new Set(specs.flatMap((s) => s.codes));
  const edit = (update: (f: Form) => Form) => editForm(ctx.nodeKey, update);
  return (
    <li className={`step-item step-${item.type}`} data-testid={`item-${k}`} data-type={item.type}>
      <div className="step-head">
        <strong>{t(`step.${item.type}`)}</strong>
        <span className="step-tools">
          <button
            className="icon"
            title={t('step.up')}
            data-testid={`item-up-${k}`}
            onClick={() => edit((f) => moveAt(f, path, -1))}
          >
            ↑
          </button>
          <button
            className="icon"
            title={t('step.down')}
            data-testid={`item-down-${k}`}
            onClick={() => edit((f) => moveAt(f, path, 1))}
          >
            ↓
          </button>
          <button
            className="icon"
            title={t('panel.remove')}
            data-testid={`item-remove-${k}`}
            onClick={() => edit((f) => removeAt(f, path))}
          >
            ✕
          </button>
        </span>
      </div>
      {specs.map((spec) => (
        <StepAttrInput
          key={spec.attr}
          nodeKey={ctx.nodeKey}
          form={ctx.form}
          path={path}
          spec={spec}
          testid={`item-${k}-${spec.attr}`}
          problems={problems.filter((p) => spec.codes.includes(p.code))}
        />
      ))}
      <ProblemLines problems={problems.filter((p) => !claimed.has(p.code))} testid={`item-${k}-problems`} />
      {item.type === 'prompt' && (
        <SourcesEditor nodeKey={ctx.nodeKey} form={ctx.form} path={path} testid={`item-${k}-sources`} />
      )}
      {item.type === 'field' && <StepList ctx={ctx} path={[...path, 'prompts']} where="field" />}
      {item.type === 'if' && <Branches ctx={ctx} path={path} item={item} />}
    </li>
  );
}

/** The form's element (form or menu) and all its steps. */
export function StepsEditor({ nodeKey, form }: { nodeKey: string; form: Form }) {
  const t = useT();
  const ids = useFlow((s) => s.graph.nodes.map((n) => n.form.id).join('\n'));
  const problems = useMemo(() => stepProblems(form, ids.split('\n')), [form, ids]);
  const ctx = { nodeKey, form, problems };
  return (
    <div className="steps-editor" data-testid="steps-editor">
      <label className="attr">
        <span>{t('step.element')}</span>
        <select
          value={form.kind}
          data-testid="step-element"
          onChange={(e) => editForm(nodeKey, (f) => ({ ...f, kind: e.target.value as Form['kind'] }))}
        >
          <option value="form">form</option>
          <option value="menu">menu</option>
        </select>
      </label>
      <ProblemLines problems={problems.get('') ?? []} />
      <StepList ctx={ctx} path={[]} where={form.kind === 'menu' ? 'menu' : 'form'} />
    </div>
  );
}
