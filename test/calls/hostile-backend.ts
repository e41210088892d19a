// Check backends that misbehave on purpose, on one HTTP server on 127.0.0.1: /hang never answers, /huge streams
// 10 MB, /redirect sends the client to a private address, /cut drops the connection mid-body; /ok answers
// properly (`OK<input>`), so a test can see that calls against the others do not disturb it.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The body /huge tries to send. */
export const HUGE_BYTES = 10 * 1024 * 1024;
/** Where /redirect points: the cloud metadata address, a classic target of forged requests. */
export const PRIVATE_TARGET = 'http://169.254.169.254/latest/meta-data/';

/** One /huge response as its server saw it. */
export interface HugeWrite {
  /** Bytes the socket took (what left the backend, into kernel buffers or the client). */
  written: number;
  /** True once all HUGE_BYTES went out. */
  finished: boolean;
  /** True once the connection closed. */
  closed: boolean;
}

export interface HostileBackend {
  port: number;
  /** Requests per path, in arrival order (their query strings). */
  requests: Map<string, URLSearchParams[]>;
  huge: HugeWrite[];
  /** /hang requests whose connection the client has closed. */
  hangsClosed: number;
  close(): Promise<void>;
}

/** Writes HUGE_BYTES as fast as the socket takes them (chunked, no Content-Length), until it closes. */
async function streamHuge(res: ServerResponse, seen: HugeWrite): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let wake = (): void => undefined;
  res.on('drain', () => wake());
  res.once('close', () => {
    seen.closed = true;
    wake();
  });
  while (seen.written < HUGE_BYTES && !res.destroyed) {
    const more = res.write(chunk);
    seen.written += chunk.length;
    if (!more) await new Promise<void>((go) => (wake = go));
  }
  if (!res.destroyed) {
    seen.finished = true;
    res.end();
  }
}

export async function startHostileBackend(): Promise<HostileBackend> {
  const backend: HostileBackend = {
    port: 0,
    requests: new Map(),
    huge: [],
    hangsClosed: 0,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://backend');
    const list = backend.requests.get(url.pathname) ?? [];
    backend.requests.set(url.pathname, [...list, url.searchParams]);
    switch (url.pathname) {
      case '/hang':
        res.once('close', () => backend.hangsClosed++);
        return;
      case '/huge': {
        const seen: HugeWrite = { written: 0, finished: false, closed: false };
        backend.huge.push(seen);
        return void streamHuge(res, seen);
      }
      case '/redirect':
        return void res.writeHead(302, { location: PRIVATE_TARGET }).end();
      case '/cut':
        // Promises 1000 bytes, sends 100, then drops the connection once they are out.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1000' });
        return void res.write('x'.repeat(100), () => req.socket.destroy());
      case '/ok':
        return void res.end(`OK${url.searchParams.get('input') ?? ''}`);
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  backend.port = (server.address() as AddressInfo).port;
  return backend;
}
