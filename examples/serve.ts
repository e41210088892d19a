// Runs the examples' check backend: `npx tsx examples/serve.ts [--port 8080] [--host 127.0.0.1]`.
import { DEFAULT_PORT, MOUNTS, startExamplesBackend } from './backend.ts';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

const args = process.argv.slice(2);
const port = Number(option(args, '--port') ?? DEFAULT_PORT);
const host = option(args, '--host') ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: tsx examples/serve.ts [--port ${DEFAULT_PORT}] [--host 127.0.0.1]`);
  process.exit(2);
}

const backend = await startExamplesBackend({ port, host });
console.log(`examples backend on http://${host}:${backend.port}`);
for (const { example, routes } of MOUNTS) console.log(`  ${example}: ${routes.join(' ')}`);

const stop = () => {
  backend.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
