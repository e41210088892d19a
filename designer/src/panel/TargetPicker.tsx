// Where a goto or a choice leads: a list of the flow's forms (plus hang up and "not connected"). On a big flow
// it is a text input over one shared list of ids: thousands of <option>s per exit would hold the page.
import { HANGUP_TARGET } from '../../../schema/ast.ts';
import { useT } from '../i18n/index.ts';
import { useFlow } from '../store/flow.ts';
import { CommitInput } from './inputs.tsx';

/** Past this many forms the picker is an input with suggestions rather than a <select>. */
const SELECT_MAX = 200;
export const FORM_IDS_LIST = 'form-ids';

interface Props {
  value: string;
  onChange: (next: string) => void;
  testid: string;
}

export function TargetPicker({ value, onChange, testid }: Props) {
  const t = useT();
  const ids = useFlow((s) => s.graph.nodes.map((n) => n.form.id).join('\n'));
  const list = ids.split('\n');
  if (list.length > SELECT_MAX) {
    return (
      <CommitInput
        value={value}
        testid={testid}
        list={FORM_IDS_LIST}
        placeholder={`#id · ${HANGUP_TARGET}`}
        onCommit={onChange}
      />
    );
  }
  const known = value === '' || value === HANGUP_TARGET || list.includes(value.slice(1));
  return (
    <select value={value} data-testid={testid} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('panel.target.none')}</option>
      <option value={HANGUP_TARGET}>{t('panel.target.hangup')}</option>
      {!known && <option value={value}>{t('exit.missing', { id: value })}</option>}
      {list.map((id, i) => (
        <option key={`${id}-${i}`} value={`#${id}`}>
          {id}
        </option>
      ))}
    </select>
  );
}

/** The one list of `#id`s the pickers of a big flow suggest from (rendered once, by the property panel). */
export function FormIdList() {
  const ids = useFlow((s) =>
    s.graph.nodes.length > SELECT_MAX ? s.graph.nodes.map((n) => n.form.id).join('\n') : '',
  );
  if (!ids) return null;
  return (
    <datalist id={FORM_IDS_LIST}>
      <option value={HANGUP_TARGET} />
      {ids.split('\n').map((id, i) => (
        <option key={`${id}-${i}`} value={`#${id}`} />
      ))}
    </datalist>
  );
}
