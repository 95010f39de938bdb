import { describe, expect, it } from 'vitest';
import { mergePages } from '../../src/sources/merge-pages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stream yielding `items` with `delayMs` before each; records whether it was closed. */
function stream<T>(items: T[], delayMs: number, opts: { failAfter?: number } = {}) {
  const state = { closed: false, requested: 0 };
  const iterable = (async function* () {
    try {
      for (let i = 0; i < items.length; i++) {
        state.requested++;
        await sleep(delayMs);
        if (opts.failAfter === i) throw new Error('stream failed');
        yield items[i]!;
      }
    } finally {
      state.closed = true;
    }
  })();
  return { iterable, state };
}

describe('mergePages', () => {
  it('reads the streams side by side and yields items as they arrive, each stream in its order', async () => {
    const slow = stream(['s1', 's2'], 30);
    const fast = stream(['f1', 'f2', 'f3'], 5);
    const seen: string[] = [];
    for await (const item of mergePages([slow.iterable, fast.iterable])) seen.push(item);
    expect(seen.filter((x) => x.startsWith('s'))).toEqual(['s1', 's2']);
    expect(seen.filter((x) => x.startsWith('f'))).toEqual(['f1', 'f2', 'f3']);
    // The fast stream's items do not wait for the slow one.
    expect(seen.indexOf('f3')).toBeLessThan(seen.indexOf('s1'));
  });

  it('merges nothing into nothing, and one stream into itself', async () => {
    const none: string[] = [];
    for await (const item of mergePages<string>([])) none.push(item);
    expect(none).toEqual([]);
    const one: number[] = [];
    for await (const item of mergePages([stream([1, 2, 3], 1).iterable])) one.push(item);
    expect(one).toEqual([1, 2, 3]);
  });

  it('throws the first error and closes the other streams', async () => {
    const failing = stream(['a', 'b'], 5, { failAfter: 1 });
    const other = stream(['x', 'y', 'z', 'w'], 8);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of mergePages([failing.iterable, other.iterable])) seen.push(item);
      })(),
    ).rejects.toThrow('stream failed');
    expect(seen[0]).toBe('a');
    await sleep(40);
    expect(other.state.closed).toBe(true);
  });

  it('closes every stream when the consumer stops early', async () => {
    const a = stream([1, 2, 3], 5);
    const b = stream([4, 5, 6], 5);
    for await (const item of mergePages([a.iterable, b.iterable])) if (item) break;
    await sleep(30);
    expect(a.state.closed && b.state.closed).toBe(true);
  });
});
