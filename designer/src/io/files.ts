// Import and export of tns:vxml files: a file with errors is refused with its problems, never half-drawn.
import type { Problem } from '../../../schema/ast.ts';
import { capProblems, sortProblems } from '../../../schema/check.ts';
import { parseDocument } from '../../../schema/parse.ts';
import { serialize } from '../../../schema/serialize.ts';
import { validate } from '../../../schema/validate.ts';
import { toDocument } from '../graph/mapping.ts';
import { loadDocument, useFlow } from '../store/flow.ts';
import { useSession } from '../store/session.ts';
import { openDialog } from '../store/ui.ts';

/** Loads a document's text onto the canvas (with auto-layout); returns the problems when it cannot. */
export async function importText(text: string, file: string): Promise<Problem[] | undefined> {
  const { document, problems } = parseDocument(text);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!document || errors.length > 0) {
    const shown = capProblems(sortProblems(errors.length ? errors : problems));
    openDialog({ type: 'import-failed', problems: shown, file });
    return shown;
  }
  await loadDocument(document);
  return undefined;
}

export async function importFile(file: File): Promise<void> {
  await importText(await file.text(), file.name);
}

/** The XML of the current flow, or the errors that forbid exporting it. */
export function exportText(): { xml?: string; errors: Problem[] } {
  const doc = toDocument(useFlow.getState().graph);
  const errors = validate(doc).filter((p) => p.severity === 'error');
  return errors.length ? { errors: capProblems(errors) } : { xml: serialize(doc), errors };
}

export function exportFile(): void {
  const { xml, errors } = exportText();
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
