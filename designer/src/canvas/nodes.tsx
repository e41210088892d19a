// One node component per kind: each adds the facts an analyst scans for (digits, timeout, destination...).
// Memoised: React Flow re-renders a node only when its node object changes (derive.ts reuses unchanged ones).
import type { NodeProps, NodeTypes } from '@xyflow/react';
import { memo } from 'react';
import type { Field, Record as RecordItem, Transfer } from '../../../schema/ast.ts';
import { primaryField } from '../graph/kinds.ts';
import { useT } from '../i18n/index.ts';
import { FarNode } from './FarNode.tsx';
import { NodeShell, type FlowNodeType } from './NodeShell.tsx';

type Props = NodeProps<FlowNodeType>;

function find<T extends { type: string }>(props: Props, type: T['type']): T | undefined {
  return props.data.node.form.items.find((i) => i.type === type) as T | undefined;
}

function Facts({ parts }: { parts: (string | false | undefined)[] }) {
  const text = parts.filter(Boolean).join(' · ');
  return text ? <span className="node-facts">{text}</span> : null;
}

const StartNode = (p: Props) => <NodeShell {...p} />;
const PlayNode = (p: Props) => <NodeShell {...p} />;
const HangupNode = (p: Props) => <NodeShell {...p} />;
function FormNode(p: Props) {
  const t = useT();
  const steps = p.data.node.form.items.filter((i) => i.type !== 'comment').length;
  return (
    <NodeShell {...p}>
      <Facts parts={[t('facts.steps', { n: steps })]} />
    </NodeShell>
  );
}

function CollectNode(p: Props) {
  const t = useT();
  const f: Field | undefined = primaryField(p.data.node.form);
  return (
    <NodeShell {...p}>
      <Facts
        parts={[
          f?.name && `${f.name}`,
          f?.length !== undefined && `≤${f.length}`,
          f?.inputexpires !== undefined && `${f.inputexpires / 1000}s`,
          f?.check && t('facts.check'),
        ]}
      />
    </NodeShell>
  );
}

function MenuNode(p: Props) {
  const t = useT();
  const keys = p.data.exits.filter((e) => e.on === 'choice').map((e) => e.label);
  return (
    <NodeShell {...p}>
      <Facts parts={[keys.length > 0 && t('facts.keys', { keys: keys.join(' ') })]} />
    </NodeShell>
  );
}

function TransferNode(p: Props) {
  const tr = find<Transfer>(p, 'transfer');
  return (
    <NodeShell {...p}>
      <Facts parts={[tr && `☎ ${tr.dest}`, tr?.timeout !== undefined && `${tr.timeout}s`]} />
    </NodeShell>
  );
}

function VoicemailNode(p: Props) {
  const t = useT();
  const r = find<RecordItem>(p, 'record');
  return (
    <NodeShell {...p}>
      <Facts
        parts={[
          r && `● ${r.name}`,
          r?.maxtime !== undefined && `≤${r.maxtime}s`,
          r?.public && t('field.public'),
        ]}
      />
    </NodeShell>
  );
}

export const nodeTypes: NodeTypes = {
  start: memo(StartNode),
  play: memo(PlayNode),
  collect: memo(CollectNode),
  menu: memo(MenuNode),
  transfer: memo(TransferNode),
  voicemail: memo(VoicemailNode),
  hangup: memo(HangupNode),
  form: memo(FormNode),
};

/** A big flow far zoomed out: every kind drawn as its simplified box (level of detail). */
export const farNodeTypes: NodeTypes = Object.fromEntries(Object.keys(nodeTypes).map((k) => [k, FarNode]));
