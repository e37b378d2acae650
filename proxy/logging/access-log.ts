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

/** One record as a JSON line. Strings go through JSON.stringify, which escapes what needs it. */
export function formatAccessLine(r: AccessRecord, time: number): string {
  let line = `{"level":${INFO},"time":${time},"id":${JSON.stringify(r.id)},"variant":${JSON.stringify(r.variant)},"method":${JSON.stringify(r.method)},"path":${JSON.stringify(r.path)},"status":${r.status},"ms":${Math.round(r.ms * 1000) / 1000},"route":${JSON.stringify(r.route)}`;
  if (r.upstream !== undefined) line += `,"upstream":${JSON.stringify(r.upstream)}`;
  if (r.error !== undefined) line += `,"error":${JSON.stringify(r.error)}`;
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
