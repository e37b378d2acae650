// Run the origin until SIGTERM/SIGINT; shared by `proxylab origin` and the lab's child entry.
import { createOrigin, listen, parseHostPort, type OriginOptions } from './server.js';

export interface ServeArgs {
  listen: string;
  size: number;
  latencyUs: number;
  chunked: boolean;
  chunkSize: number;
  /** e.g. "200:99,500:1" */
  status: string;
}

export function parseStatusMix(text: string): OriginOptions['status'] {
  return text.split(',').map((part) => {
    const m = /^(\d{3})(?::(\d+))?$/.exec(part.trim());
    if (!m) throw new Error(`--status: expected CODE[:WEIGHT],..., got "${part}"`);
    return { status: Number(m[1]), weight: m[2] === undefined ? 1 : Number(m[2]) };
  });
}

export async function serveOrigin(args: ServeArgs): Promise<void> {
  const { host, port } = parseHostPort(args.listen);
  const server = createOrigin({
    size: args.size,
    latency_us: args.latencyUs,
    chunked: args.chunked,
    chunk_size: args.chunkSize,
    status: parseStatusMix(args.status),
  });
  const address = await listen(server, host, port);
  // One line the lab (or a person) can read the bound port from.
  process.stdout.write(`origin listening on ${address.address}:${address.port} pid ${process.pid}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
