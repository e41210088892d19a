// Inputs that commit on Enter or blur (one undo step per edit, not per keystroke), and a problem list.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Problem } from '../../../schema/ast.ts';
import { useT } from '../i18n/index.ts';
import { problemText } from '../problems/text.ts';

interface CommitProps {
  value: string;
  onCommit: (value: string) => void;
  testid: string;
  placeholder?: string;
  multiline?: boolean;
  invalid?: boolean;
  /** Id of a <datalist> to suggest from. */
  list?: string;
}

export function CommitInput({ value, onCommit, testid, placeholder, multiline, invalid, list }: CommitProps) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) onCommit(text);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !(multiline && e.shiftKey)) {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') setText(value);
  };
  const common = {
    value: text,
    placeholder,
    'data-testid': testid,
    className: invalid ? 'invalid' : undefined,
    onBlur: commit,
    onKeyDown,
  };
  return multiline ? (
    <textarea {...common} rows={2} onChange={(e) => setText(e.target.value)} />
  ) : (
    <input {...common} list={list} onChange={(e) => setText(e.target.value)} />
  );
}

export function ProblemLines({ problems, testid }: { problems: Problem[]; testid?: string }) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" data-testid={testid}>
      {problems.map((p, i) => (
        <li key={i} className={p.severity}>
          {problemText(t, p)}
        </li>
      ))}
    </ul>
  );
}
