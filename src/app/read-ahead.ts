/**
 * Reading an adapter's pages ahead of the consumer: the adapter's next request goes out while the page
 * before it is classified and stored, instead of after. Pure control flow; no I/O of its own.
 */

/**
 * Yields what `source` yields, in order, keeping up to `depth` further items requested from it at all times.
 * An error from `source` surfaces where its item would have been read. When the consumer stops early, the
 * source is closed without waiting for the request it may have in flight.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let finished = false;
  const fill = (): void => {
    while (!finished && queue.length < depth) {
      const next = iterator.next();
      next.then(
        (result) => {
          if (result.done) finished = true;
        },
        () => {
          finished = true; // read (and re-thrown) in order below; never an unhandled rejection
        },
      );
      queue.push(next);
    }
  };
  let completed = false;
  try {
    fill();
    for (;;) {
      const result = await queue.shift()!;
      if (result.done) {
        completed = true;
        return;
      }
      fill();
      yield result.value;
    }
  } catch (error) {
    completed = true;
    throw error;
  } finally {
    if (!completed) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
