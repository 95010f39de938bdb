/**
 * Taking turns on the one thread a poll runs on. When the answers of several sources land together, their
 * handling is spread over turns of the event loop, one piece per turn, so sockets are read and requests
 * written in between: a source's next request goes out before the CPU work of the pages already here.
 */

export interface Turns {
  /** Handling a response (parsing it, sending the next request): served first. */
  network(): Promise<void>;
  /** Classifying and storing what has arrived: served when no response is waiting. */
  work(): Promise<void>;
}

/** One waiter released per turn of the event loop (after its I/O callbacks), network first, each kind in order. */
export function createTurns(): Turns {
  const network: (() => void)[] = [];
  const work: (() => void)[] = [];
  let scheduled = false;
  const release = (): void => {
    (network.shift() ?? work.shift())?.();
    scheduled = network.length > 0 || work.length > 0;
    if (scheduled) setImmediate(release);
  };
  const wait = (queue: (() => void)[]) => (): Promise<void> =>
    new Promise<void>((resolve) => {
      queue.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
    });
  return { network: wait(network), work: wait(work) };
}
