// A small HTTP load generator, run as its own process so it does not share the measured server's event loop:
// `tsx bench/http-load.ts <url> <connections> <seconds>` prints `{ requests, errors, seconds }` as JSON.
import { request, Agent } from 'node:http';

const [url, connections = '8', seconds = '5'] = process.argv.slice(2);
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const until = Date.now() + Number(seconds) * 1000;
let requests = 0;
let errors = 0;

function one(): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) requests++;
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

async function worker(): Promise<void> {
  while (Date.now() < until) await one();
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(connections) }, worker));
agent.destroy();
process.stdout.write(JSON.stringify({ requests, errors, seconds: (Date.now() - started) / 1000 }) + '\n');
