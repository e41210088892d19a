// Test helper: a running examples backend and a check request made the way the runtime makes it
// (the check URL with input, caller, callee, callid, form and field appended as query parameters).
import { afterAll, beforeAll, expect } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';

export interface CheckAnswer {
  status: number;
  body: string;
}

export interface CheckClient {
  backend: RunningBackend;
  /** GETs `path` (which may carry its own query, like `?a=member`) plus the given check parameters. */
  check(path: string, params?: Record<string, string>): Promise<CheckAnswer>;
  getJson(path: string): Promise<unknown>;
}

export async function startCheckClient(): Promise<CheckClient> {
  const backend = await startExamplesBackend({ port: 0 });
  const origin = `http://127.0.0.1:${backend.port}`;
  return {
    backend,
    async check(path, params = {}) {
      const url = new URL(path, origin);
      for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    },
    async getJson(path) {
      const response = await fetch(new URL(path, origin));
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
      return response.json();
    },
  };
}

/** The parameters the runtime adds to a check URL, for one call. */
export function callParams(
  callid: string,
  input: string,
  form = 'main',
  field = 'input',
): Record<string, string> {
  return { input, caller: '13800138000', callee: '4008001234', callid, form, field };
}

/** A backend for the calling test file: started before its tests, closed after them. */
export function checkClientPerFile(): {
  client: () => CheckClient;
  /** The check answer to `input` for call `callid`, asserting the backend answered 200. */
  answer: (path: string, callid: string, input: string) => Promise<string>;
} {
  let client: CheckClient | undefined;
  beforeAll(async () => {
    client = await startCheckClient();
  });
  afterAll(async () => {
    await client?.backend.close();
  });
  const current = (): CheckClient => {
    if (!client) throw new Error('the check backend is not started yet');
    return client;
  };
  return {
    client: current,
    async answer(path, callid, input) {
      const { status, body } = await current().check(path, callParams(callid, input));
      expect(status).toBe(200);
      return body;
    },
  };
}
