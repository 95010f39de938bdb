import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/app/read-ahead.js';

/** A source that records when each item is requested and can be held back. */
function recordingSource(items: number[], opts: { failAt?: number } = {}) {
  const requested: number[] = [];
  let closed = false;
  const source = (async function* () {
    try {
      for (const item of items) {
        requested.push(item);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (item === opts.failAt) throw new Error(`failed at ${item}`);
        yield item;
      }
    } finally {
      closed = true;
    }
  })();
  return { source, requested, isClosed: () => closed };
}

describe('readAhead', () => {
  it('yields every item in order and requests the next ones before the consumer is done with the first', async () => {
    const { source, requested } = recordingSource([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    const requestedWhenFirstSeen: number[][] = [];
    for await (const item of readAhead(source, 3)) {
      seen.push(item);
      if (item === 1) {
        // While the consumer works on item 1, the source goes on fetching.
        await new Promise((resolve) => setTimeout(resolve, 20));
        requestedWhenFirstSeen.push([...requested]);
      }
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    // Item 1 taken, plus up to three more requested meanwhile.
    expect(requestedWhenFirstSeen[0]).toEqual([1, 2, 3, 4]);
  });

  it('never holds more than `depth` items ahead of the consumer', async () => {
    const { source, requested } = recordingSource(Array.from({ length: 20 }, (_, i) => i));
    for await (const item of readAhead(source, 2)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(requested.length).toBeLessThanOrEqual(item + 1 + 2);
    }
    expect(requested).toHaveLength(20);
  });

  it("surfaces the source's error where its item would have been read, after the items before it", async () => {
    const { source } = recordingSource([1, 2, 3], { failAt: 3 });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(source, 3)) seen.push(item);
      })(),
    ).rejects.toThrow('failed at 3');
    expect(seen).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    const { source, isClosed } = recordingSource([1, 2, 3, 4, 5, 6]);
    for await (const item of readAhead(source, 2)) {
      if (item === 2) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(isClosed()).toBe(true);
  });

  it('reads an empty source', async () => {
    const seen: unknown[] = [];
    for await (const item of readAhead((async function* () {})(), 3)) seen.push(item);
    expect(seen).toEqual([]);
  });
});
