// The property panel of the selected node: id, note, the kind's attributes, prompts, exits and problems.
import { useMemo, useState } from 'react';
import type { Form } from '../../../schema/ast.ts';
import { kindOf } from '../graph/kinds.ts';
import { problemsByForm } from '../canvas/derive.ts';
import { KIND_ICON } from '../canvas/NodeShell.tsx';
import { useT } from '../i18n/index.ts';
import { editForm, renameNode, useFlow } from '../store/flow.ts';
import { AttrInput } from './AttrInput.tsx';
import { ExitsEditor } from './ExitsEditor.tsx';
import { CommitInput, ProblemLines } from './inputs.tsx';
import { attrCodes, KIND_SCHEMAS, problemsByAttr } from './schema.ts';
import { promptPaths, SourcesEditor } from './SourcesEditor.tsx';
import { DocumentProperties } from './DocumentProperties.tsx';
import { StepsEditor } from './StepsEditor.tsx';
import { FormIdList } from './TargetPicker.tsx';

function setNote(form: Form, text: string): Form {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const next = { ...form };
  if (lines.length) next.comments = lines;
  else delete next.comments;
  return next;
}

function NodeProperties({ nodeKey, form }: { nodeKey: string; form: Form }) {
  const t = useT();
  const all = useFlow((s) => s.problems);
  const problems = useMemo(() => problemsByForm(all).get(form.id) ?? [], [all, form.id]);
  const kind = kindOf(form);
  const schema = KIND_SCHEMAS[kind];
  const [allSteps, setAllSteps] = useState(kind === 'form');
  const byAttr = problemsByAttr(kind, problems);
  const shownElsewhere = attrCodes(kind);
  const idCodes = new Set(['E_FORM_ID', 'E_DUP_ID']);
  return (
    <div className="properties" data-testid="properties" data-form-id={form.id}>
      <h2>
        {KIND_ICON[kind]} {t(`kind.${kind}`)}
      </h2>
      <label className="attr">
        <span>{t('panel.id')}</span>
        <CommitInput value={form.id} testid="prop-id" onCommit={(id) => renameNode(nodeKey, id)} />
        <ProblemLines problems={problems.filter((p) => idCodes.has(p.code))} />
      </label>
      <label className="attr">
        <span>{t('panel.note')}</span>
        <CommitInput
          value={(form.comments ?? []).join('\n')}
          multiline
          testid="prop-note"
          onCommit={(text) => editForm(nodeKey, (f) => setNote(f, text))}
        />
      </label>
      {schema.attrs.map((spec) => (
        <AttrInput
          key={spec.key}
          nodeKey={nodeKey}
          form={form}
          spec={spec}
          problems={byAttr.get(spec.key) ?? []}
        />
      ))}
      {schema.prompts && promptPaths(form).length > 0 && (
        <section>
          <h3>{t('panel.prompts')}</h3>
          {promptPaths(form).map((path) => (
            <SourcesEditor
              key={path.join('.')}
              nodeKey={nodeKey}
              form={form}
              path={path}
              testid={`prompt-${path.join('-')}`}
            />
          ))}
        </section>
      )}
      <ExitsEditor nodeKey={nodeKey} form={form} mode={schema.exits} />
      {/* The kind's form above covers what the node is for; here is everything the XML can hold. */}
      <details
        className="all-steps"
        open={allSteps}
        data-testid="all-steps"
        onToggle={(e) => setAllSteps(e.currentTarget.open)}
      >
        <summary>{t('panel.generic')}</summary>
        {/* Mounted only when open: its inputs would otherwise repeat the ones above, hidden. */}
        {allSteps && <StepsEditor nodeKey={nodeKey} form={form} />}
      </details>
      <section>
        <h3>{t('panel.problems')}</h3>
        <ProblemLines
          problems={problems.filter((p) => !shownElsewhere.has(p.code) && !idCodes.has(p.code))}
          testid="node-problem-list"
        />
      </section>
    </div>
  );
}

export function PropertyPanel() {
  const t = useT();
  // The selected node only: the panel does not re-render for edits elsewhere in a big flow.
  const node = useFlow((s) =>
    s.selected.length === 1 ? s.graph.nodes.find((n) => n.key === s.selected[0]) : undefined,
  );
  const selected = useFlow((s) => s.selected);
  if (selected.length > 1)
    return <div className="properties empty">{t('panel.many', { n: selected.length })}</div>;
  if (!node) return <DocumentProperties />;
  return (
    <>
      <FormIdList />
      <NodeProperties key={node.key} nodeKey={node.key} form={node.form} />
    </>
  );
}
