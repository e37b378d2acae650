// Readiness by polling, never by a fixed sleep: poll until the check passes, the process exits, or
// the deadline passes.
import http from 'node:http';
import net from 'node:net';
import { RunFailedError } from '../errors.js';
import type { ManagedProcess } from './process.js';

export type ReadyCheck = { http: { port: number; path: string } } | { tcp: { port: number } };

export async function waitReady(proc: ManagedProcess, check: ReadyCheck, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    if (!proc.alive) {
      throw new RunFailedError(
        'TARGET_START_FAILED',
        `${proc.name} exited before it was ready (${describeExit(proc)}); log ${proc.logFile}:\n${proc.logTail()}`,
      );
    }
    if (await probe(check)) return;
    if (Date.now() > deadline) {
      throw new RunFailedError(
        'TARGET_NOT_READY',
        `${proc.name} was not ready after ${timeoutMs} ms (${describe(check)}); log ${proc.logFile}:\n${proc.logTail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

export function describeExit(proc: ManagedProcess): string {
  const e = proc.exit;
  if (!e) return 'running';
  return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
}

function describe(check: ReadyCheck): string {
  return 'http' in check ? `GET 127.0.0.1:${check.http.port}${check.http.path}` : `TCP 127.0.0.1:${check.tcp.port}`;
}

function probe(check: ReadyCheck): Promise<boolean> {
  return new Promise((resolve) => {
    if ('tcp' in check) {
      const socket = net.connect({ host: '127.0.0.1', port: check.tcp.port });
      socket.setTimeout(1000);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
      return;
    }
    const req = http.get({ host: '127.0.0.1', port: check.http.port, path: check.http.path, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}
