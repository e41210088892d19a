// Which server flow is open, its name, and how saving stands.
import { create } from 'zustand';

export type SaveState = 'idle' | 'saving' | 'saved' | 'local' | 'failed';

export interface SessionState {
  flowId?: string;
  name: string;
  save: SaveState;
  saveError?: string;
  publishedVersion?: number | null;
  /** False once a call to the runtime failed to connect: the designer then works locally. */
  online: boolean;
}

export const useSession = create<SessionState>(() => ({ name: '', save: 'idle', online: true }));
