// The table of `ivr` commands: name -> summary and a lazy loader (each command is one module exporting `run`).
export interface CommandModule {
  /** Runs the command with its arguments; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  validate: {
    summary: 'check tns:vxml files (FILE… [--json] [--sounds DIR])',
    load: () => import('./validate.ts'),
  },
  format: {
    summary: 'print or rewrite tns:vxml files canonically (FILE… [--write])',
    load: () => import('./format.ts'),
  },
  simulate: {
    summary: 'run a tns:vxml file on virtual time and print its trace (FILE [--keys SCRIPT] [--var N=V]…)',
    load: () => import('./simulate.ts'),
  },
  serve: {
    summary: 'run the runtime: HTTP API, designer, SIP (--config FILE --flow FILE --http-port N …)',
    load: () => import('./serve.ts'),
  },
  demo: {
    summary: 'run the demo: example flows, backend, extensions 801/802 (what npm start runs)',
    load: () => import('./demo.ts'),
  },
};
