// The minimap of a big flow: every node painted once into a <canvas> (React Flow's minimap keeps one SVG
// element and one store subscription per node, which costs on every frame of a pan), and the viewport on top.
import { Panel, useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { useFlow } from '../store/flow.ts';
import { boxesOf, KIND_COLOURS } from './BirdsEye.tsx';

const WIDTH = 200;
const HEIGHT = 150;
/** Flow coordinates -> map pixels, fitting every node in. */
function scaleOf(boxes: { x: number; y: number; width: number; height: number }[]): {
  x0: number;
  y0: number;
  k: number;
} {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    [x0, y0] = [Math.min(x0, b.x), Math.min(y0, b.y)];
    [x1, y1] = [Math.max(x1, b.x + b.width), Math.max(y1, b.y + b.height)];
  }
  if (x0 === Infinity) return { x0: 0, y0: 0, k: 1 };
  return { x0, y0, k: Math.min(WIDTH / (x1 - x0 || 1), HEIGHT / (y1 - y0 || 1)) };
}

export function OverviewMap() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const flow = useReactFlow();
  const graph = useFlow((s) => s.graph);
  const positions = useFlow((s) => s.positions);
  // A drag changes the positions every frame: the map follows four times a second.
  const [shown, setShown] = useState(positions);
  useEffect(() => {
    const timer = setTimeout(() => setShown(positions), shown === positions ? 0 : 250);
    return () => clearTimeout(timer);
  }, [positions, shown]);
  const boxes = useMemo(() => boxesOf(graph, shown), [graph, shown]);
  const scale = useMemo(() => scaleOf(boxes), [boxes]);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const ctx = canvas.current?.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, WIDTH, HEIGHT);
      const { x0, y0, k } = scale;
      for (const b of boxes) {
        ctx.fillStyle = KIND_COLOURS[b.kind] ?? '#64748b';
        ctx.fillRect((b.x - x0) * k, (b.y - y0) * k, Math.max(1, b.width * k), Math.max(1, b.height * k));
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [boxes, scale]);
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const view = { width: useStore((s) => s.width), height: useStore((s) => s.height) };
  const { x0, y0, k } = scale;
  const rect = {
    left: (-tx / zoom - x0) * k,
    top: (-ty / zoom - y0) * k,
    width: (view.width / zoom) * k,
    height: (view.height / zoom) * k,
  };
  const centreOn = (e: PointerEvent<HTMLDivElement>) => {
    if (e.buttons !== 1) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - box.left) / k + x0;
    const y = (e.clientY - box.top) / k + y0;
    void flow.setCenter(x, y, { zoom });
  };
  return (
    <Panel position="bottom-right">
      <div
        className="overview-map"
        data-testid="minimap"
        style={{ width: WIDTH, height: HEIGHT }}
        onPointerDown={centreOn}
        onPointerMove={centreOn}
      >
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
        <div className="overview-view" style={rect} />
      </div>
    </Panel>
  );
}
