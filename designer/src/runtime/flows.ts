// Flows on the runtime: open, create, publish, roll back; every call reports its outcome to the session.
import { capProblems } from '../../../schema/check.ts';
import { parseOff, serializeOff } from '../io/offload.ts';
import { fromDocument } from '../graph/mapping.ts';
import { loadDocument, replaceDocument, useFlow } from '../store/flow.ts';
import { layoutOf, positionsFromLayout, saveToServer } from '../store/persist.ts';
import { useSession } from '../store/session.ts';
import { withProgress } from '../store/progress.ts';
import { notify, openDialog } from '../store/ui.ts';
import { api } from './api.ts';

export async function openFlow(id: string): Promise<boolean> {
  const r = await api.getFlow(id);
  if (!r.ok) {
    notify(r.message, 'error');
    return false;
  }
  const { document, problems, positions, version } = await withProgress(
    'progress.open',
    parseOff(r.value.xml),
  );
  if (!document) {
    openDialog({ type: 'import-failed', problems: capProblems(problems), file: r.value.name });
    return false;
  }
  useSession.setState({
    flowId: r.value.id,
    name: r.value.name,
    publishedVersion: r.value.publishedVersion,
    save: 'saved',
  });
  const saved = positionsFromLayout(fromDocument(document), r.value.layout);
  await loadDocument(
    document,
    saved && Object.keys(saved).length ? { ...positions, ...saved } : positions,
    version,
  );
  return true;
}

/** Saves the canvas as a new flow on the runtime and makes it the open one. */
export async function createFlow(name: string): Promise<boolean> {
  const { graph, positions } = useFlow.getState();
  const r = await api.createFlow({
    name,
    xml: await serializeOff(graph),
    layout: layoutOf(graph, positions),
  });
  if (!r.ok) {
    useSession.setState({ online: r.status !== 0 });
    notify(r.message, 'error');
    return false;
  }
  useSession.setState({ flowId: r.value.id, name, save: 'saved', online: true });
  return true;
}

/** Saves the draft, then publishes it; the runtime refuses a flow with errors (422 with problems). */
export async function publishFlow(
  author: string,
  note: string,
): Promise<{ version?: number; problems?: unknown[] }> {
  const { flowId, name } = useSession.getState();
  if (!flowId && !(await createFlow(name || 'flow'))) return {};
  if (!(await saveToServer())) return {};
  const r = await withProgress(
    'progress.publish',
    api.publish(useSession.getState().flowId as string, { author, note }),
  );
  if (!r.ok) return { problems: r.problems.length ? r.problems : [{ message: r.message }] };
  useSession.setState({ publishedVersion: r.value.version });
  return { version: r.value.version };
}

/** Republishes an old version, and puts its document on the canvas as one undoable edit. */
export async function rollbackFlow(version: number): Promise<boolean> {
  const { flowId } = useSession.getState();
  if (!flowId) return false;
  const r = await api.rollback(flowId, version);
  const old = r.ok ? await api.version(flowId, version) : undefined;
  if (!r.ok || !old?.ok) {
    notify(r.ok ? (old as { message: string }).message : r.message, 'error');
    return false;
  }
  const { document } = await parseOff(old.value.xml);
  if (document) await replaceDocument(document);
  useSession.setState({ publishedVersion: (r.value as { version?: number }).version ?? version });
  notify(`→ ${version}`);
  return true;
}
