// Renders whichever dialog is open.
import { useUi } from '../store/ui.ts';
import { FlowsDialog } from '../runtime/FlowsDialog.tsx';
import { PublishDialog, VersionsDialog } from '../runtime/PublishDialogs.tsx';
import { SoundsDialog } from '../runtime/SoundsDialog.tsx';
import { StatsDialog } from '../runtime/StatsDialog.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { ExportRefused, ImportFailed } from './ProblemDialogs.tsx';

export function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  switch (dialog?.type) {
    case undefined:
      return null;
    case 'help':
      return <HelpOverlay />;
    case 'import-failed':
      return <ImportFailed problems={dialog.problems} file={dialog.file} />;
    case 'export-refused':
      return <ExportRefused problems={dialog.problems} />;
    case 'flows':
      return <FlowsDialog start={dialog.start === true} />;
    case 'publish':
      return <PublishDialog />;
    case 'versions':
      return <VersionsDialog />;
    case 'stats':
      return <StatsDialog />;
    case 'sounds':
      return <SoundsDialog onPick={dialog.onPick} />;
  }
}
