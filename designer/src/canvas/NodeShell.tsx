// The frame every node kind shares: header (kind, id), note, body, problems badge and one handle per exit.
// Every part has a fixed height (styles.css), so the node is exactly nodeSize() and its handles are where
// geometry.ts says: edges never wait for a measurement.
import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import type { ReactNode } from 'react';
import type { Problem } from '../../../schema/ast.ts';
import type { Exit, FlowNode, NodeKind } from '../graph/types.ts';
import { useT, type Translate } from '../i18n/index.ts';

export interface NodeCounts {
  entered: number;
  noInput: number;
  checkErrors: number;
}

export interface FlowNodeData extends Record<string, unknown> {
  node: FlowNode;
  kind: NodeKind;
  exits: Exit[];
  /** How each exit's `next` reads, by handle: a form id, hang up, missing or none. */
  targets: Record<string, 'none' | 'hangup' | 'form' | 'missing'>;
  problems: Problem[];
  summary: string;
  counts?: NodeCounts;
  running: boolean;
  /** The current or last test call went through this node. */
  visited: boolean;
}

export type FlowNodeType = Node<FlowNodeData>;

export const KIND_ICON: Record<NodeKind, string> = {
  start: '▶',
  play: '♪',
  collect: '⌨',
  menu: '☰',
  transfer: '☎',
  voicemail: '✉',
  hangup: '✕',
  form: '▢',
};

export function exitLabel(t: Translate, exit: Exit): string {
  if (exit.on === 'next') return t('exit.next');
  if (exit.on === 'else') return t('exit.else');
  if (exit.on === 'choice' && exit.label === 'other') return t('exit.other');
  return exit.label;
}

function targetText(t: Translate, exit: Exit, how: FlowNodeData['targets'][string]): string {
  if (how === 'hangup') return `→ ${t('exit.hangup')}`;
  if (how === 'missing') return `⚠ ${t('exit.missing', { id: exit.next ?? '' })}`;
  if (how === 'none') return t('exit.open');
  return `→ ${exit.next?.slice(1) ?? ''}`;
}

function ExitRow({ exit, how }: { exit: Exit; how: FlowNodeData['targets'][string] }) {
  const t = useT();
  return (
    <div className={`exit exit-${how}`} data-testid="node-exit" data-handle={exit.handle} title={exit.label}>
      <span className="exit-label">{exitLabel(t, exit)}</span>
      {how !== 'form' && <span className="exit-target">{targetText(t, exit, how)}</span>}
      <Handle type="source" position={Position.Right} id={exit.handle} className="exit-handle" />
    </div>
  );
}

export function NodeShell({ data, selected, children }: NodeProps<FlowNodeType> & { children?: ReactNode }) {
  const t = useT();
  const errors = data.problems.filter((p) => p.severity === 'error').length;
  const warnings = data.problems.length - errors;
  const note = data.node.form.comments?.join(' ').trim();
  const classes = [
    'ivr-node',
    `kind-${data.kind}`,
    selected ? 'selected' : '',
    data.running ? 'running' : '',
    data.visited ? 'visited' : '',
  ];
  if (errors) classes.push('has-errors');
  return (
    <div
      className={classes.join(' ')}
      data-testid="flow-node"
      data-form-id={data.node.form.id}
      data-kind={data.kind}
    >
      <Handle type="target" position={Position.Left} id="in" className="in-handle" />
      <div className="node-header">
        <span className="node-icon">{KIND_ICON[data.kind]}</span>
        <span className="node-kind">{t(`kind.${data.kind}`)}</span>
        {data.kind !== 'start' && data.node.form.id === 'main' && (
          <span className="entry-chip" title={t('kind.start.hint')}>
            ▶ {t('kind.start')}
          </span>
        )}
        <span className="node-id" data-testid="node-id">
          {data.node.form.id}
        </span>
        {(errors > 0 || warnings > 0) && (
          <span
            className={errors ? 'badge badge-error' : 'badge badge-warning'}
            data-testid="node-problems"
            title={data.problems.map((p) => p.message).join('\n')}
          >
            {errors || warnings}
          </span>
        )}
      </div>
      {data.summary ? (
        <div className="node-line node-summary" title={note}>
          {data.summary}
        </div>
      ) : (
        <div className="node-line node-note">{note}</div>
      )}
      <div className="node-line">{children}</div>
      {data.counts && (
        <div className="node-counts" data-testid="node-counts">
          {data.counts.entered} {t('stats.entered')} · {data.counts.noInput} {t('stats.noInput')} ·{' '}
          {data.counts.checkErrors} {t('stats.checkErrors')}
        </div>
      )}
      <div className={data.exits.length ? 'node-exits' : 'node-exits empty'}>
        {data.exits.map((e) => (
          <ExitRow key={e.handle} exit={e} how={data.targets[e.handle]} />
        ))}
      </div>
    </div>
  );
}
