// The flow registry: checks flow documents and finds the published version that answers a called number.
import type { Document, Problem } from '../../schema/ast.ts';
import { capProblems, checkDocument } from '../../schema/check.ts';
import { parseDocument } from '../../schema/parse.ts';
import type { Store } from './store/db.ts';
import type { RunnableFlow } from './ivr.ts';

export interface FlowCheck {
  /** Undefined when the XML could not be read as a document at all. */
  document?: Document;
  /** Structural problems, then semantic ones. */
  problems: Problem[];
}

/** Parses and validates `xml` (every problem, sorted by position); `audioExists` adds missing-audio findings. */
export function checkFlow(xml: string, audioExists?: (src: string) => boolean): FlowCheck {
  return checkDocument(xml, audioExists ? { audioExists } : {});
}

/** The problems that make `xml` unreadable as a document (what a draft may not have; capped); empty when it parses. */
export function parseProblems(xml: string): Problem[] {
  const parsed = parseDocument(xml);
  return !parsed.document || hasErrors(parsed.problems) ? capProblems(parsed.problems) : [];
}

export const hasErrors = (problems: readonly Problem[]): boolean =>
  problems.some((p) => p.severity === 'error');

export class FlowRegistry {
  // Published versions never change, so the parsed document of each flow's newest version is kept with its text
  // (compared on use: a flow deleted and created again under the same id numbers its versions from 1 again).
  private readonly parsed = new Map<string, { version: number; xml: string; document: Document }>();
  /** Routed numbers, read synchronously where SIP admission decides before ringing (`refreshRoutes` keeps it). */
  private routed = new Set<string>();

  constructor(
    private readonly store: Store,
    /** A document that answers every number (`ivr serve --flow FILE`). */
    private readonly fixed?: Document,
  ) {
    store.onRoutesChanged(() => this.refreshRoutes());
  }

  /** Re-reads which numbers are routed (after routes or flows changed). */
  async refreshRoutes(): Promise<void> {
    this.routed = new Set((await this.store.routes.list()).map((r) => r.number));
  }

  /** True when a flow answers calls to `number` (every number with `--flow FILE`). */
  isRouted(number: string): boolean {
    return this.fixed !== undefined || this.routed.has(number);
  }

  /**
   * An IVR by the manual's `ivrid` (sections 6, 18: the IVR's number): a routed number, else a flow id; its newest
   * published version.
   */
  async ivr(ivrid: string): Promise<RunnableFlow | undefined> {
    const flowId = (await this.store.routes.flowFor(ivrid)) ?? ivrid;
    return this.published(flowId);
  }

  /** The flow a call to `called` runs, or undefined when no route or no published version exists. */
  async forNumber(called: string): Promise<RunnableFlow | undefined> {
    if (this.fixed) return { document: this.fixed, flowId: null, version: null };
    const flowId = await this.store.routes.flowFor(called);
    return flowId === undefined ? undefined : this.published(flowId);
  }

  /** The newest published version of a flow, parsed. */
  async published(flowId: string): Promise<RunnableFlow | undefined> {
    const v = await this.store.flows.published(flowId);
    if (!v) return undefined;
    const hit = this.parsed.get(flowId);
    if (hit && hit.version === v.version && hit.xml === v.xml)
      return { document: hit.document, flowId, version: v.version };
    const checked = checkFlow(v.xml);
    // Publishing refuses documents with errors, so this only happens if the store was edited by hand.
    if (!checked.document || hasErrors(checked.problems)) return undefined;
    const document = checked.document;
    this.parsed.set(flowId, { version: v.version, xml: v.xml, document });
    return { document, flowId, version: v.version };
  }
}
