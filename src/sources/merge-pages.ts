/** Several streams of one source (searches, feeds) read side by side, their pages yielded as they arrive. */

/**
 * Yields every item of every stream, each stream's items in its own order, the streams interleaved as their
 * items arrive. Each stream is asked for its next item as soon as its previous one arrives. The first error
 * of any stream is thrown (the other streams are closed); a stream that should not stop the others catches
 * its own errors.
 */
export async function* mergePages<T>(streams: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const waiting = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    const next = iterators[index]!.next().then((result) => ({ index, result }));
    next.catch(() => {}); // read (and re-thrown) by the race below; never an unhandled rejection
    waiting.set(index, next);
  };
  iterators.forEach((_, index) => pull(index));
  let failed = false;
  try {
    while (waiting.size > 0) {
      let settled: { index: number; result: IteratorResult<T> };
      try {
        settled = await Promise.race(waiting.values());
      } catch (error) {
        failed = true;
        throw error;
      }
      const { index, result } = settled;
      waiting.delete(index);
      if (result.done) continue;
      pull(index);
      yield result.value;
    }
  } finally {
    // Stopped early (an error, or the consumer returned): close the streams still running, without waiting.
    if (failed || waiting.size > 0) {
      for (const index of waiting.keys()) void Promise.resolve(iterators[index]!.return?.()).catch(() => {});
    }
  }
}
