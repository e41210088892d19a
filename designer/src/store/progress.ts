// Long actions (import, layout, validation, publish) in progress: the canvas shows them while they run.
import { create } from 'zustand';
import type { MessageKey } from '../i18n/index.ts';

export const useProgress = create<{ tasks: MessageKey[] }>(() => ({ tasks: [] }));

/** Shows `task` while `work` runs (the work itself runs in a worker or in short slices: the page stays live). */
export async function withProgress<T>(task: MessageKey, work: Promise<T> | (() => Promise<T>)): Promise<T> {
  useProgress.setState((s) => ({ tasks: [...s.tasks, task] }));
  try {
    return await (typeof work === 'function' ? work() : work);
  } finally {
    useProgress.setState((s) => {
      const i = s.tasks.indexOf(task);
      return { tasks: i < 0 ? s.tasks : [...s.tasks.slice(0, i), ...s.tasks.slice(i + 1)] };
    });
  }
}
