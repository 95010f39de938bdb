/**
 * The store's writes on a second thread (import's upserts, poll's pages): the caller's thread parses,
 * classifies and talks to the network while a worker, with its own connection, runs SQLite. Rows are built
 * here (plain arrays are cheap to copy), written there, in the order they were sent.
 */
import { Worker } from 'node:worker_threads';
import type { TriageWeights } from '../types.js';
import type { WriterMessage, WriterReply } from './bulk-writer-worker.js';
import { mentionRow } from './mention-rows.js';
import type { BulkWriter, MentionInput } from './types.js';

type Waiting = { resolve(value: unknown): void; reject(error: Error): void; failsAll: boolean };

export function startBulkWriter(path: string, weights: TriageWeights): BulkWriter {
  const worker = new Worker(new URL('./bulk-writer-worker.js', import.meta.url), { workerData: { path } });
  const waiting = new Map<number, Waiting>();
  let next = 0;
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (error: Error): void => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: WriterReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) {
      const error = new Error(reply.error);
      w?.reject(error);
      // An import stops at its first failed batch; a poll page that fails fails only its own source.
      if (w?.failsAll !== false) failAll(error);
    } else w?.resolve('written' in reply ? reply.written : reply.inserted);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (waiting.size > 0) failAll(new Error(`the database writer stopped (exit code ${code})`));
  });
  const send = <T>(message: WriterMessage & { id: number }, failsAll: boolean): Promise<T> => {
    if (failure) return Promise.reject(failure);
    if (closing) return Promise.reject(new Error('the database writer is closed'));
    return new Promise<T>((resolve, reject) => {
      waiting.set(message.id, { resolve: resolve as (value: unknown) => void, reject, failsAll });
      worker.postMessage(message);
    });
  };
  return {
    write(mentions: MentionInput[]): Promise<number> {
      return send({ id: next++, kind: 'upsert', rows: mentions.map((m) => mentionRow(m, weights)) }, true);
    },
    insertMentions(source, mentions, cursor): Promise<string[]> {
      const rows = mentions.map((m) => mentionRow(m, weights));
      return send({ id: next++, kind: 'insert', rows, source: { name: source.name, type: source.type }, cursor }, false);
    },
    close(): Promise<void> {
      // Messages are handled in order, so the close waits for every write sent before it.
      closing ??= (async () => {
        worker.postMessage({ close: true }); // a no-op when the worker is already gone
        await exited;
      })();
      return closing;
    },
  };
}
