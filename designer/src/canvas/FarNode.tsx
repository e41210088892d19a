// A node of a big flow seen from far away: a box in its kind's colour with its id, at the node's exact size.
// No React Flow <Handle> components (each one subscribes to the store, which changes every frame of a pan):
// plain elements with the classes React Flow measures, so edges still meet the node where they will up close.
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { exitHandleTop } from './geometry.ts';
import { KIND_ICON, type FlowNodeType } from './NodeShell.tsx';

function FarNodeBox({ id, data, selected }: NodeProps<FlowNodeType>) {
  const errors = data.problems.some((p) => p.severity === 'error');
  const classes = [
    'ivr-node',
    'far',
    `kind-${data.kind}`,
    selected ? 'selected' : '',
    data.running ? 'running' : '',
  ];
  if (errors) classes.push('has-errors');
  return (
    <div
      className={classes.join(' ')}
      data-testid="flow-node"
      data-form-id={data.node.form.id}
      data-kind={data.kind}
      title={data.node.form.id}
    >
      <div className="far-title">
        {KIND_ICON[data.kind]} {data.node.form.id}
      </div>
      <div className="far-handle far-in target" data-handleid="in" data-nodeid={id} data-handlepos="left" />
      {data.exits.map((e, i) => (
        <div
          key={e.handle}
          className="far-handle far-out source"
          data-handleid={e.handle}
          data-nodeid={id}
          data-handlepos="right"
          style={{ top: exitHandleTop(i) }}
        />
      ))}
    </div>
  );
}

export const FarNode = memo(FarNodeBox);
