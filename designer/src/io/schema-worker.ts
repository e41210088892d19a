// The Web Worker that runs schema jobs (jobs.ts) for the page: parsing a 2 000-form flow takes about a second.
import { runJob, type SchemaJob } from './jobs.ts';

self.onmessage = (event: MessageEvent<{ id: number; job: SchemaJob }>) => {
  const { id, job } = event.data;
  try {
    self.postMessage({ id, result: runJob(job) });
  } catch (err) {
    self.postMessage({ id, error: String(err) });
  }
};
