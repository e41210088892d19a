// UDP socket binding for RTP: an even port from a range, tried from a random start.
import { createSocket, type Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';

/** Ports this process holds, so concurrent opens do not race for the same one. */
const held = new Set<string>();

function tryBind(host: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
    const onError = () => {
      socket.close();
      resolve(undefined);
    };
    socket.once('error', onError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export async function bindEvenPort(
  host: string,
  range: { min: number; max: number },
): Promise<{ socket: Socket; port: number; release: () => void }> {
  const first = Math.ceil(range.min / 2);
  const count = Math.floor(range.max / 2) - first + 1;
  if (count <= 0) throw new Error(`no even port in ${range.min}-${range.max}`);
  const start = randomInt(count);
  for (let i = 0; i < count; i++) {
    const port = (first + ((start + i) % count)) * 2;
    const key = `${host}:${port}`;
    if (held.has(key)) continue;
    held.add(key);
    const socket = await tryBind(host, port);
    if (socket) return { socket, port, release: () => held.delete(key) };
    held.delete(key);
  }
  throw new Error(`no free RTP port in ${range.min}-${range.max} on ${host}`);
}
