// The Web Worker that runs schema jobs (jobs.ts) for the page: parsing a 2 000-form flow takes about a second.
import type { Parsed, SchemaJob } from './jobs.ts';
import { runJob } from './jobs.ts';

/**
 * Forms per message when a parsed document goes back to the page: the page copies each message in a task of its
 * own, so a 2 000-form document arrives in slices instead of one copy that freezes the page.
 */
const FORMS_PER_MESSAGE = 250;

self.onmessage = (event: MessageEvent<{ id: number; job: SchemaJob }>) => {
  const { id, job } = event.data;
  try {
    const result = runJob(job);
    const forms = job.type === 'parse' ? (result as Parsed).document?.forms : undefined;
    if (!forms || forms.length <= FORMS_PER_MESSAGE) return void self.postMessage({ id, result });
    for (let i = 0; i < forms.length; i += FORMS_PER_MESSAGE)
      self.postMessage({ id, forms: forms.slice(i, i + FORMS_PER_MESSAGE) });
    const parsed = result as Parsed;
    self.postMessage({ id, result: { ...parsed, document: { ...parsed.document, forms: [] } } });
  } catch (err) {
    self.postMessage({ id, error: String(err) });
  }
};
