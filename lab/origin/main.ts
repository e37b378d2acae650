// The origin's child-process entry: the lab spawns this file directly (not dist/lab/cli.js) so the
// origin process loads nothing but node:http and stays independent of the other commands.
import { parseArgs } from 'node:util';
import { serveOrigin } from './serve.js';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1:9000' },
    size: { type: 'string', default: '1024' },
    'latency-us': { type: 'string', default: '0' },
    chunked: { type: 'boolean', default: false },
    'chunk-size': { type: 'string', default: '16384' },
    status: { type: 'string', default: '200' },
  },
});

await serveOrigin({
  listen: values.listen!,
  size: Number(values.size),
  latencyUs: Number(values['latency-us']),
  chunked: values.chunked ?? false,
  chunkSize: Number(values['chunk-size']),
  status: values.status!,
});
