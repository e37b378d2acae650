// Access-log sinks. Baseline: JSON.stringify and a synchronous write per request (the event loop
// waits for the disk or pipe). Optimized: pino into a SonicBoom that batches writes asynchronously.
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

function destinationOf(path: string): number | string {
  return path === 'stdout' ? 1 : path === 'stderr' ? 2 : path;
}

export function createAccessLog(path: string, asynchronous: boolean): AccessLog {
  if (path === 'off') return NOOP;
  const dest = destinationOf(path);
  if (asynchronous) {
    const stream = pino.destination({ dest, sync: false, minLength: 4096, mkdir: true });
    const logger = pino({ base: null, messageKey: 'msg' }, stream);
    return {
      write(record) {
        logger.info(record);
      },
      flush() {
        stream.flushSync();
      },
    };
  }
  const stream = pino.destination({ dest, sync: true, mkdir: true });
  return {
    write(record) {
      stream.write(`${JSON.stringify({ time: Date.now(), ...record })}\n`);
    },
    flush() {},
  };
}
