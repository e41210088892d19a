// One attribute input of a kind's property form: text, whole number (range-checked) or yes/no.
import { useEffect, useState } from 'react';
import type { Form, Problem } from '../../../schema/ast.ts';
import { getAt, updateAt } from '../graph/paths.ts';
import { useT } from '../i18n/index.ts';
import { editForm } from '../store/flow.ts';
import { CommitInput, ProblemLines } from './inputs.tsx';
import { targetPath, type AttrSpec } from './schema.ts';

interface Props {
  nodeKey: string;
  form: Form;
  spec: AttrSpec;
  problems: Problem[];
}

/** Sets or (for undefined) removes an attribute: an emptied input removes it from the XML. */
function setAttr(nodeKey: string, spec: AttrSpec, value: string | number | boolean | undefined): void {
  editForm(nodeKey, (f) => {
    const path = targetPath(f, spec.target);
    if (!path) return f;
    return updateAt(f, path, (item) => {
      const next = { ...(item as Record<string, unknown>) };
      if (value === undefined) delete next[spec.attr];
      else next[spec.attr] = value;
      return next;
    });
  });
}

function IntInput({
  nodeKey,
  spec,
  value,
  problems,
}: {
  nodeKey: string;
  spec: AttrSpec;
  value: unknown;
  problems: Problem[];
}) {
  const t = useT();
  const shown = value === undefined ? '' : String(value);
  const [bad, setBad] = useState(false);
  useEffect(() => setBad(false), [shown]);
  return (
    <>
      <CommitInput
        value={shown}
        testid={`prop-${spec.key}`}
        invalid={bad || problems.length > 0}
        placeholder={spec.min !== undefined ? `${spec.min}..${spec.max}` : undefined}
        onCommit={(text) => {
          if (text.trim() === '') return setAttr(nodeKey, spec, undefined);
          if (!/^-?\d+$/.test(text.trim())) return setBad(true);
          setBad(false);
          setAttr(nodeKey, spec, Number(text));
        }}
      />
      {bad && <div className="field-problems error">{t('field.wholeNumber')}</div>}
    </>
  );
}

export function AttrInput({ nodeKey, form, spec, problems }: Props) {
  const t = useT();
  const path = targetPath(form, spec.target);
  if (!path) return null;
  const value = (getAt(form, path) as Record<string, unknown>)[spec.attr];
  let input;
  if (spec.type === 'bool') {
    input = (
      <input
        type="checkbox"
        data-testid={`prop-${spec.key}`}
        checked={value === undefined ? spec.default === true : value === true}
        onChange={(e) => setAttr(nodeKey, spec, e.target.checked)}
      />
    );
  } else if (spec.type === 'int') {
    input = <IntInput nodeKey={nodeKey} spec={spec} value={value} problems={problems} />;
  } else {
    input = (
      <CommitInput
        value={value === undefined ? '' : String(value)}
        testid={`prop-${spec.key}`}
        invalid={problems.length > 0}
        onCommit={(text) => setAttr(nodeKey, spec, text === '' ? undefined : text)}
      />
    );
  }
  return (
    <label className={`attr attr-${spec.type}`}>
      <span>{t(spec.label)}</span>
      {input}
      <ProblemLines problems={problems} testid={`prop-${spec.key}-problems`} />
    </label>
  );
}
