// Reference target: the smallest useful Node proxy, as ANCHORS.md's "Node undici.Pool dispatch,
// raw headers" row — one undici Pool with keep-alive, raw headers passed through minus the
// connection-scoped ones, streaming both ways, no routing, rules, logging or metrics. Run next to
// the optimized variant it tells what the proxy's features cost over bare forwarding.
//   node scenarios/refs/undici-pool-proxy.mjs PORT ORIGIN_PORT
import http from 'node:http';
import { Pool } from 'undici';

const [port, originPort] = process.argv.slice(2).map(Number);
if (!port || !originPort) {
  process.stderr.write('usage: undici-pool-proxy.mjs PORT ORIGIN_PORT\n');
  process.exit(2);
}
const pool = new Pool(`http://127.0.0.1:${originPort}`, { connections: 64 });
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'te', 'trailer', 'upgrade']);

function passHeaders(raw) {
  const out = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toString();
    if (!HOP.has(name.toLowerCase())) out.push(name, raw[i + 1].toString());
  }
  return out;
}

const server = http.createServer((req, res) => {
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  pool.dispatch(
    { method: req.method, path: req.url, headers: passHeaders(req.rawHeaders), body: hasBody ? req : null },
    {
      // A client that goes away must release the upstream connection, or the pool fills with
      // paused responses nobody reads.
      onConnect(abort) {
        res.once('close', () => {
          if (!res.writableFinished) abort();
        });
      },
      onHeaders(status, raw, resume) {
        res.writeHead(status, passHeaders(raw));
        res.on('drain', resume);
        return true;
      },
      onData(chunk) {
        return res.write(chunk);
      },
      onComplete() {
        res.end();
      },
      onError(error) {
        if (res.destroyed) return;
        if (res.headersSent) res.destroy(error);
        else res.writeHead(502).end();
      },
    },
  );
});
server.listen(port, '127.0.0.1');
const stop = () => server.close(() => pool.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
