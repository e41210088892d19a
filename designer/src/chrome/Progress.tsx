// The bar over the canvas while a long action runs (import, layout, validation, publish): the page stays live.
import { useT } from '../i18n/index.ts';
import { useProgress } from '../store/progress.ts';

export function Progress() {
  const t = useT();
  const tasks = useProgress((s) => s.tasks);
  if (tasks.length === 0) return null;
  return (
    <div className="progress" role="status" data-testid="progress">
      <span>{t(tasks[tasks.length - 1])}</span>
      <span className="progress-bar" />
    </div>
  );
}
