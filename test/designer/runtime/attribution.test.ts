// A test call's path from a real trace: `ivr simulate` runs a flow against a real check backend on 127.0.0.1,
// and attribution.ts reads its events as the designer's test-call panel does.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from '../../../schema/parse.ts';
import { edgesOf, fromDocument } from '../../../designer/src/graph/mapping.ts';
import {
  handleOfItem,
  takenEdges,
  visitsOf,
  type SimEvent,
} from '../../../designer/src/runtime/attribution.ts';
import { root } from '../browser/server.ts';

const flow = (check: string) => `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:menu id="main">
    <tns:prompt><tns:tts>Press 1 to log in</tns:tts></tns:prompt>
    <tns:choice dtmf="1" next="#login"/>
    <tns:choice dtmf="other" next="hungup"/>
  </tns:menu>
  <tns:form id="login">
    <tns:field name="pin" length="4" check="${check}">
      <tns:prompt><tns:tts>PIN please</tns:tts></tns:prompt>
    </tns:field>
    <tns:if cond="input_checked == 'BAD'">
      <tns:goto next="#login"/>
      <tns:elseif cond="input_checked == 'OK'">
        <tns:assign name="who" expr="pin"/>
        <tns:goto next="#bye"/>
      </tns:elseif>
    </tns:if>
  </tns:form>
  <tns:form id="bye">
    <tns:prompt><tns:tts>Bye</tns:tts></tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;

let server: Server;
let dir: string;
let file: string;
let events: SimEvent[];

beforeAll(async () => {
  // The check backend: 1234 is the right PIN.
  server = createServer((req, res) => {
    const pin = new URL(req.url ?? '/', 'http://x').searchParams.get('input');
    res.end(pin === '1234' ? 'OK' : 'BAD');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  dir = mkdtempSync(join(tmpdir(), 'ivr-attribution-'));
  file = join(dir, 'flow.xml');
  writeFileSync(file, flow(`http://127.0.0.1:${port}/check`));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(root, 'bin', 'ivr.js'), 'simulate', file, '--keys', '1,9999,1234'],
    { encoding: 'utf8' },
  );
  events = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as SimEvent);
}, 60_000);

afterAll(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('test call attribution', () => {
  it('reads the path form by form: keys, checks with their answers, branches and exits', () => {
    const visits = visitsOf(events);
    expect(visits.map((v) => v.form)).toEqual(['main', 'login', 'login', 'bye']);
    expect(visits[0].exit).toMatchObject({ via: 'choice', key: '1', next: '#login', handle: '1' });
    const [first, second] = [visits[1], visits[2]];
    expect(first.digits.map((d) => d.digits)).toEqual(['9999']);
    expect(first.checks).toHaveLength(1);
    expect(first.checks[0].url).toContain('input=9999');
    expect(first.checks[0]).toMatchObject({ status: 200, body: 'BAD', value: 'BAD' });
    expect(first.branches).toEqual([{ cond: "input_checked == 'BAD'", index: 0 }]);
    expect(first.exit).toMatchObject({ via: 'goto', next: '#login', handle: '1.then.0' });
    expect(second.checks[0]).toMatchObject({ status: 200, body: 'OK', value: 'OK' });
    expect(second.branches[0].index).toBe(1);
    expect(second.notes).toContain("who = '1234'");
    expect(second.exit).toMatchObject({ next: '#bye', handle: '1.elseifs.0.items.1' });
    expect(visits[3].notes.some((n) => n.startsWith('hangup'))).toBe(true);
  });

  it('names the canvas edges the call followed, and only edges the canvas has', () => {
    const graph = fromDocument(parse(flow('http://127.0.0.1:1/check')));
    const taken = takenEdges(graph, visitsOf(events));
    const ids = new Set(edgesOf(graph).map((e) => e.id));
    expect([...taken].sort()).toEqual(['n1:1', 'n2:1.elseifs.0.items.1', 'n2:1.then.0']);
    for (const id of taken) expect(ids.has(id)).toBe(true);
  });

  it('turns trace item paths into exit handles', () => {
    expect(handleOfItem('3')).toBe('3');
    expect(handleOfItem('3/then/0')).toBe('3.then.0');
    expect(handleOfItem('3/elseif/1/0')).toBe('3.elseifs.1.items.0');
    expect(handleOfItem('3/else/2')).toBe('3.else.2');
  });
});
