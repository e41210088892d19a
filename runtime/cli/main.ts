// The `ivr` command line: dispatches `ivr <command> …` to one module per command.
import { commands } from './commands/index.ts';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ivr ${name.padEnd(10)} ${c.summary}`);
  return ['usage: ivr <command> [options]', '', 'commands:', ...lines, ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ivr: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ivr: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
