// The inputs of one step's attributes in the step editor: text, whole number, yes/no, or a target form.
import { useEffect, useState } from 'react';
import type { Form, Problem } from '../../../schema/ast.ts';
import { getAt } from '../graph/paths.ts';
import type { ItemPath } from '../graph/types.ts';
import { useT } from '../i18n/index.ts';
import { editForm } from '../store/flow.ts';
import { CommitInput, ProblemLines } from './inputs.tsx';
import { TargetPicker } from './TargetPicker.tsx';
import { setStepAttr, type StepAttr } from './steps.ts';

interface Props {
  nodeKey: string;
  form: Form;
  path: ItemPath;
  spec: StepAttr;
  problems: Problem[];
  testid: string;
}

export function StepAttrInput({ nodeKey, form, path, spec, problems, testid }: Props) {
  const t = useT();
  const value = (getAt(form, path) as Record<string, unknown> | undefined)?.[spec.attr];
  const [bad, setBad] = useState(false);
  const shown = value === undefined ? '' : String(value);
  useEffect(() => setBad(false), [shown]);
  const set = (v: unknown) => editForm(nodeKey, (f) => setStepAttr(f, path, spec.attr, v));
  const text = (v: string) => set(v === '' && !spec.required ? undefined : v);
  let input;
  if (spec.type === 'bool') {
    input = (
      <input
        type="checkbox"
        data-testid={testid}
        checked={value === undefined ? spec.default === true : value === true}
        onChange={(e) => set(e.target.checked)}
      />
    );
  } else if (spec.type === 'target') {
    input = <TargetPicker value={shown} testid={testid} onChange={text} />;
  } else if (spec.type === 'int') {
    input = (
      <CommitInput
        value={shown}
        testid={testid}
        invalid={bad || problems.length > 0}
        placeholder={spec.min !== undefined ? `${spec.min}..${spec.max}` : undefined}
        onCommit={(v) => {
          if (v.trim() === '') return set(undefined);
          if (!/^-?\d+$/.test(v.trim())) return setBad(true);
          set(Number(v));
        }}
      />
    );
  } else {
    input = <CommitInput value={shown} testid={testid} invalid={problems.length > 0} onCommit={text} />;
  }
  return (
    <label className={`attr attr-${spec.type}`}>
      <span>{t(spec.label)}</span>
      {input}
      {bad && <div className="field-problems error">{t('field.wholeNumber')}</div>}
      <ProblemLines problems={problems} testid={`${testid}-problems`} />
    </label>
  );
}
