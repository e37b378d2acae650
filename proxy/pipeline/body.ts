// Request-body helpers: read a whole body under a size limit (buffering variant, or when a drop
// rule must see the body), count a streamed chunked body against the limit, and keep the first
// bytes of a body for rules and logs.
import { Transform, type TransformCallback } from 'node:stream';
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
}
export class ClientAbortedError extends Error {
  readonly code = 'CLIENT_ABORTED';
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(new BodyTooLargeError(`request body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onAbort = () => {
      cleanup();
      reject(new ClientAbortedError('client went away while sending the body'));
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('close', onClose);
    };
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    req.on('data', onData).once('end', onEnd).once('error', onAbort).once('close', onClose);
  });
}

/** Passes a chunked body through, failing once it exceeds the limit. */
export class LimitStream extends Transform {
  #size = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.limit) done(new BodyTooLargeError(`request body over ${this.limit} bytes`));
    else done(null, chunk);
  }
}

/** Keeps the first `limit` bytes seen. */
export class BodyCapture {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  constructor(private readonly limit: number) {}
  add(chunk: Buffer): void {
    if (this.#size >= this.limit) return;
    const part = chunk.length + this.#size > this.limit ? chunk.subarray(0, this.limit - this.#size) : chunk;
    this.#chunks.push(Buffer.from(part));
    this.#size += part.length;
  }
  text(): string {
    return Buffer.concat(this.#chunks, this.#size).toString('utf8');
  }
}
