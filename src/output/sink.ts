/** Buffered, backpressure-aware writing of rendered text; a closed pipe becomes ClosedPipeError. */
import type { Writable } from 'node:stream';

export class ClosedPipeError extends Error {
  constructor() {
    super('output closed');
  }
}

export interface Sink {
  write(chunk: string): void | Promise<void>;
  flush(): Promise<void>;
}

/**
 * Collects chunks into ~64 KiB writes. `write` returns a promise only when the stream asks us to wait
 * (backpressure), so rendering a million rows neither buffers them all nor awaits every row.
 */
export function createSink(stream: Writable, chunkBytes = 64 * 1024): Sink {
  let buffer = '';
  let closed = false;
  const onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
  };
  stream.on('error', onError);
  const push = (text: string): void | Promise<void> => {
    if (closed || stream.destroyed) throw new ClosedPipeError();
    if (stream.write(text)) return undefined;
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('close', done);
        if (closed) reject(new ClosedPipeError());
        else resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  };
  return {
    write(chunk) {
      buffer += chunk;
      if (buffer.length < chunkBytes) return undefined;
      const out = buffer;
      buffer = '';
      return push(out);
    },
    async flush() {
      if (buffer.length > 0) {
        const out = buffer;
        buffer = '';
        await push(out);
      }
      if (closed) throw new ClosedPipeError();
    },
  };
}
