// Import and export of tns:vxml files: a file with errors is refused with its problems, never half-drawn.
import type { Problem } from '../../../schema/ast.ts';
import { capProblems, sortProblems } from '../../../schema/check.ts';
import { loadDocument, useFlow } from '../store/flow.ts';
import { withProgress } from '../store/progress.ts';
import { useSession } from '../store/session.ts';
import { openDialog } from '../store/ui.ts';
import { parseOff, serializeOff, validateOff } from './offload.ts';

/** Loads a document's text onto the canvas (with auto-layout); returns the problems when it cannot. */
export async function importText(text: string, file: string): Promise<Problem[] | undefined> {
  // Parsing a big flow takes a second: in the worker, with the progress bar showing (validation follows).
  // The marks are for bench/designer/profile.ts.
  performance.mark('ivr:parse');
  const { document, problems, positions, version } = await withProgress('progress.import', parseOff(text));
  performance.measure('ivr:parse', 'ivr:parse');
  const errors = problems.filter((p) => p.severity === 'error');
  if (!document || errors.length > 0) {
    const shown = capProblems(sortProblems(errors.length ? errors : problems));
    openDialog({ type: 'import-failed', problems: shown, file });
    return shown;
  }
  performance.mark('ivr:load');
  await loadDocument(document, positions, version);
  performance.measure('ivr:load', 'ivr:load');
  return undefined;
}

export async function importFile(file: File): Promise<void> {
  await importText(await file.text(), file.name);
}

/** The XML of the current flow, or the errors that forbid exporting it (unless `anyway`: the analyst insists). */
export async function exportText(anyway = false): Promise<{ xml?: string; errors: Problem[] }> {
  const { graph } = useFlow.getState();
  const errors = anyway ? [] : (await validateOff(graph)).filter((p) => p.severity === 'error');
  return errors.length ? { errors: capProblems(errors) } : { xml: await serializeOff(graph), errors };
}

export async function exportFile(anyway = false): Promise<void> {
  const { xml, errors } = await withProgress('progress.export', exportText(anyway));
  if (xml === undefined) {
    openDialog({ type: 'export-refused', problems: errors });
    return;
  }
  const name = (useSession.getState().name || 'flow').replace(/[^\p{L}\p{N}_.-]+/gu, '_');
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.xml`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
