/**
 * Bulk upserts for `import` on a second thread: the caller's thread parses and classifies while a worker,
 * with its own connection, runs SQLite. Rows are built here (plain arrays are cheap to copy), written there.
 */
import { Worker } from 'node:worker_threads';
import type { TriageWeights } from '../types.js';
import { mentionRow } from './mention-rows.js';
import type { BulkWriter, MentionInput } from './types.js';

type Reply = { id: number; written: number } | { id: number; error: string };

export function startBulkWriter(path: string, weights: TriageWeights): BulkWriter {
  const worker = new Worker(new URL('./bulk-writer-worker.js', import.meta.url), { workerData: { path } });
  const waiting = new Map<number, { resolve(n: number): void; reject(e: Error): void }>();
  let next = 0;
  let failure: Error | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: Reply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) {
      const error = new Error(reply.error);
      w?.reject(error);
      failAll(error);
    } else w?.resolve(reply.written);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (waiting.size > 0) failAll(new Error(`the database writer stopped (exit code ${code})`));
  });
  return {
    write(mentions: MentionInput[]): Promise<number> {
      if (failure) return Promise.reject(failure);
      const id = next++;
      const rows = mentions.map((m) => mentionRow(m, weights));
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, rows });
      });
    },
    async close(): Promise<void> {
      worker.postMessage({ close: true }); // a no-op when the worker is already gone
      await exited;
    },
  };
}
