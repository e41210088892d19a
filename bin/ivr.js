#!/usr/bin/env node
// The `ivr` command: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../runtime/cli/main.ts');
