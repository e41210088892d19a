// Worker-thread entry of the media worker: worker threads do not inherit the main thread's TypeScript loader,
// so this registers tsx before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./media-worker.ts');
