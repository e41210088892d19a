// The benchmark's baseline: the same graph in plain React Flow (default nodes and edges, no app state), so
// bench/designer.ts can print what the designer's own layer costs on top of React Flow itself.
import { ReactFlow, useEdgesState, useNodesState, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { createRoot } from 'react-dom/client';

export interface BaselineData {
  nodes: Node[];
  edges: Edge[];
  /** Mirrors the designer: big flows render only what is on screen. */
  visibleOnly: boolean;
}

function Flow({ data }: { data: BaselineData }) {
  const [nodes, , onNodesChange] = useNodesState(data.nodes);
  const [edges, , onEdgesChange] = useEdgesState(data.edges);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      fitView
      minZoom={0.02}
      onlyRenderVisibleElements={data.visibleOnly}
    />
  );
}

(window as unknown as { __load: (data: BaselineData) => void }).__load = (data) => {
  createRoot(document.getElementById('root') as HTMLElement).render(<Flow data={data} />);
};
