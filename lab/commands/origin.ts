// `proxylab origin`: the lab's origin server, standalone.
import { Command, InvalidArgumentError } from 'commander';
import { serveOrigin } from '../origin/serve.js';

const int = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

export function registerOrigin(program: Command): void {
  program
    .command('origin')
    .description('Run the lab origin: fixed-size responses, optional delay, chunked bodies and a status mix')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:9000')
    .option('--size <bytes>', 'response body bytes', int('--size'), 1024)
    .option('--latency-us <us>', 'delay before responding, microseconds (sub-ms is precise)', int('--latency-us'), 0)
    .option('--chunked', 'send the body chunked, without content-length', false)
    .option('--chunk-size <bytes>', 'chunk size with --chunked', int('--chunk-size'), 16384)
    .option('--status <mix>', 'status mix CODE[:WEIGHT],... e.g. 200:99,503:1', '200')
    .action(async (opts: { listen: string; size: number; latencyUs: number; chunked: boolean; chunkSize: number; status: string }) => {
      await serveOrigin(opts);
    });
}
