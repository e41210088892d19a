// The designer's layout: toolbar, palette, canvas, side panel (properties or test call), problems.
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.tsx';
import { Dialogs } from './chrome/Dialogs.tsx';
import { Search } from './chrome/Search.tsx';
import { useShortcuts } from './chrome/shortcuts.ts';
import { Toolbar } from './chrome/Toolbar.tsx';
import { Palette } from './palette/Palette.tsx';
import { PropertyPanel } from './panel/PropertyPanel.tsx';
import { ProblemsList } from './problems/ProblemsList.tsx';
import { SimPanel } from './runtime/SimPanel.tsx';
import { useUi } from './store/ui.ts';

function Message() {
  const message = useUi((s) => s.message);
  if (!message) return null;
  return (
    <div
      className={`toast ${message.kind}`}
      data-testid="toast"
      onClick={() => useUi.setState({ message: undefined })}
    >
      {message.text}
    </div>
  );
}

function Shell() {
  useShortcuts();
  const side = useUi((s) => s.side);
  const searchOpen = useUi((s) => s.searchOpen);
  return (
    <div className="app">
      <Toolbar />
      <div className="main">
        <Palette />
        <div className="centre">
          {searchOpen && <Search />}
          <Canvas />
          <ProblemsList />
        </div>
        <aside className="side">{side === 'test' ? <SimPanel /> : <PropertyPanel />}</aside>
      </div>
      <Dialogs />
      <Message />
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}
