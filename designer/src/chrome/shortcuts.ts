// Keyboard shortcuts of the canvas (listed in HelpOverlay): ignored while typing in an input.
import { useReactFlow } from '@xyflow/react';
import { fitAll } from '../canvas/fit.ts';
import { useEffect } from 'react';
import { NODE_KINDS } from '../graph/types.ts';
import { exportFile } from '../io/files.ts';
import { insertAtCentre } from '../palette/insert.ts';
import {
  autoLayout,
  copySelection,
  deleteSelection,
  duplicateSelection,
  paste,
  redoEdit,
  select,
  undoEdit,
  useFlow,
} from '../store/flow.ts';
import { saveToServer } from '../store/persist.ts';
import { closeDialog, openDialog, useUi } from '../store/ui.ts';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

export function useShortcuts(): void {
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (e.key === 'Escape') {
        if (useUi.getState().dialog) closeDialog();
        else if (useUi.getState().searchOpen) useUi.setState({ searchOpen: false });
        else select([]);
        return;
      }
      if (mod && key === 's') {
        e.preventDefault();
        void saveToServer();
        return;
      }
      if (typing(e.target) || useUi.getState().dialog) return;
      const actions: [boolean, () => void][] = [
        [mod && key === 'z' && !e.shiftKey, undoEdit],
        [(mod && key === 'z' && e.shiftKey) || (mod && key === 'y'), redoEdit],
        [mod && key === 'c', copySelection],
        [mod && key === 'v', () => paste()],
        [mod && key === 'd', duplicateSelection],
        [mod && key === 'a', () => select(useFlow.getState().graph.nodes.map((n) => n.key))],
        [mod && key === 'e', () => void exportFile()],
        [(mod && key === 'f') || (!mod && e.key === '/'), () => useUi.setState({ searchOpen: true })],
        [!mod && (e.key === 'Delete' || e.key === 'Backspace'), deleteSelection],
        [!mod && !e.altKey && key === 'l', () => void autoLayout()],
        [!mod && !e.altKey && key === 'f', () => fitAll(flow, 200)],
        [e.key === '?', () => openDialog({ type: 'help' })],
      ];
      const digit = /^Digit([1-8])$/.exec(e.code);
      if (e.altKey && digit)
        actions.push([true, () => insertAtCentre(flow, NODE_KINDS[Number(digit[1]) - 1])]);
      const hit = actions.find(([when]) => when);
      if (hit) {
        e.preventDefault();
        hit[1]();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flow]);
}
