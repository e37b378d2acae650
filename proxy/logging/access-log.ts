// Access-log sinks. Both write one JSON object per line in pino's shape (level 30, time in ms), so
// log tooling reads either. Baseline: JSON.stringify of a spread object and a synchronous write per
// request (the event loop waits for the disk or pipe). Optimized: the line is built from the known
// fields (no generic serializer walking the object), gathered for one event-loop turn and handed to
// pino's SonicBoom as one string, which writes asynchronously (a SonicBoom write costs microseconds
// per call, so one call per turn instead of per request).
import pino from 'pino';

export interface AccessRecord {
  id: string;
  variant: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  route: string;
  upstream?: string;
  error?: string;
  log?: Record<string, unknown>;
}

export interface AccessLog {
  write(record: AccessRecord): void;
  /** Write out everything buffered; called on shutdown. */
  flush(): void;
}

const NOOP: AccessLog = { write() {}, flush() {} };
const INFO = 30;

function destinationOf(path: string): number | string {
  return path === 'stdout' ? 1 : path === 'stderr' ? 2 : path;
}

/** Characters a JSON string must escape (and anything non-ASCII, left to JSON.stringify to judge). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

/** A JSON string literal; plain ASCII (nearly every id, method, path and name) skips JSON.stringify. */
function str(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** One record as a JSON line. */
export function formatAccessLine(r: AccessRecord, time: number): string {
  let line = `{"level":${INFO},"time":${time},"id":${str(r.id)},"variant":${str(r.variant)},"method":${str(r.method)},"path":${str(r.path)},"status":${r.status},"ms":${Math.round(r.ms * 1000) / 1000},"route":${str(r.route)}`;
  if (r.upstream !== undefined) line += `,"upstream":${str(r.upstream)}`;
  if (r.error !== undefined) line += `,"error":${str(r.error)}`;
  if (r.log !== undefined) line += `,"log":${JSON.stringify(r.log)}`;
  return `${line}}\n`;
}

export function createAccessLog(path: string, asynchronous: boolean): AccessLog {
  if (path === 'off') return NOOP;
  const dest = destinationOf(path);
  if (asynchronous) {
    const stream = pino.destination({ dest, sync: false, minLength: 4096, mkdir: true });
    let pending = '';
    let scheduled = false;
    const handOver = () => {
      scheduled = false;
      if (pending === '') return;
      stream.write(pending);
      pending = '';
    };
    return {
      write(record) {
        pending += formatAccessLine(record, Date.now());
        if (!scheduled) {
          scheduled = true;
          setImmediate(handOver);
        }
      },
      flush() {
        handOver();
        stream.flushSync();
      },
    };
  }
  const stream = pino.destination({ dest, sync: true, mkdir: true });
  return {
    write(record) {
      stream.write(`${JSON.stringify({ level: INFO, time: Date.now(), ...record, ms: Math.round(record.ms * 1000) / 1000 })}\n`);
    },
    flush() {},
  };
}
