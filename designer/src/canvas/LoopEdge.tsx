// An edge from a node back to itself ("ask again"): drawn as a loop over the node, so it stays readable.
import { BaseEdge, useInternalNode, type EdgeProps } from '@xyflow/react';

export function LoopEdge({
  id,
  source,
  sourceX,
  sourceY,
  targetX,
  targetY,
  label,
  markerEnd,
  style,
}: EdgeProps) {
  const node = useInternalNode(source);
  const nodeTop = node?.internals.positionAbsolute.y ?? Math.min(sourceY, targetY) - 60;
  // Lower exits loop higher, so two loops of one node do not lie on top of each other.
  const top = nodeTop - 24 - Math.max(0, sourceY - nodeTop) / 3;
  const right = sourceX + 40;
  const left = targetX - 40;
  const path = [
    `M ${sourceX} ${sourceY}`,
    `C ${right} ${sourceY}, ${right} ${top}, ${sourceX - 20} ${top}`,
    `L ${targetX + 20} ${top}`,
    `C ${left} ${top}, ${left} ${targetY}, ${targetX} ${targetY}`,
  ].join(' ');
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      style={style}
      label={label}
      labelX={(sourceX + targetX) / 2}
      labelY={top}
      labelBgPadding={[4, 2]}
    />
  );
}
