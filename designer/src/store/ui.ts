// Which dialogs and side panels are open; one place so Escape can close them all.
import { create } from 'zustand';
import type { Problem } from '../../../schema/ast.ts';

export type Dialog =
  | { type: 'help' }
  | { type: 'import-failed'; problems: Problem[]; file: string }
  | { type: 'export-refused'; problems: Problem[] }
  | { type: 'flows'; start?: boolean }
  | { type: 'versions' }
  | { type: 'publish' }
  | { type: 'stats' }
  | { type: 'sounds'; onPick: (src: string) => void };

export interface UiState {
  dialog?: Dialog;
  side: 'properties' | 'test';
  searchOpen: boolean;
  message?: { text: string; kind: 'info' | 'error' };
}

export const useUi = create<UiState>(() => ({ side: 'properties', searchOpen: false }));

export const openDialog = (dialog: Dialog) => useUi.setState({ dialog });
export const closeDialog = () => useUi.setState({ dialog: undefined });
export const notify = (text: string, kind: 'info' | 'error' = 'info') =>
  useUi.setState({ message: { text, kind } });
