import { describe, expect, it } from 'vitest';
import { chunkMentions, settledMentions, withPendingReach, yieldMentionPages } from '../../src/sources/mention-pages.js';
import type { FetchedMention } from '../../src/types.js';

const m = (id: string): FetchedMention => ({ platformId: id }) as FetchedMention;
const ids = (pages: { mentions: FetchedMention[]; cursor?: string }[]) =>
  pages.map((p) => ('cursor' in p ? [p.mentions.map((x) => x.platformId), p.cursor] : [p.mentions.map((x) => x.platformId)]));

describe('chunkMentions', () => {
  it.each([
    [0, 2, []],
    [1, 2, [['0']]],
    [2, 2, [['0', '1']]],
    [5, 2, [['0', '1'], ['2', '3'], ['4']]],
  ])('%i mentions by %i → %j', (count, size, expected) => {
    const mentions = Array.from({ length: count }, (_, i) => m(String(i)));
    expect(chunkMentions(mentions, size).map((p) => p.map((x) => x.platformId))).toEqual(expected);
  });
});

describe('yieldMentionPages', () => {
  it.each([
    ['no pages: one empty page with the cursor', [], 'c', [[[], 'c']]],
    ['no pages, no cursor: one empty page without a cursor key', [], undefined, [[[]]]],
    ['one page', [['a']], 'c', [[['a'], 'c']]],
    ['the cursor on the last page only', [['a', 'b'], ['c']], 'c', [[['a', 'b']], [['c'], 'c']]],
    ['no cursor key anywhere when undefined', [['a'], ['b']], undefined, [[['a']], [['b']]]],
  ] as [string, string[][], string | undefined, unknown[]][])('%s', (_label, pages, cursor, expected) => {
    expect(ids([...yieldMentionPages(pages.map((p) => p.map(m)), cursor)])).toEqual(expected);
  });
});

describe('withPendingReach', () => {
  const withAuthor = (id: string, handle: string | null, reach: number): FetchedMention =>
    ({ platformId: id, author: { handle, name: handle, url: null, reach } }) as FetchedMention;

  it('fills in reach by key once the lookups resolve; authors without an entry keep theirs', async () => {
    let resolve!: (map: Map<string, number>) => void;
    const reach = new Promise<Map<string, number>>((r) => (resolve = r));
    const page = withPendingReach([withAuthor('1', 'Ann', 0), withAuthor('2', 'bob', 7), withAuthor('3', null, 0)], reach, (x) => x.author.handle?.toLowerCase() ?? null, 'c');
    expect(page.cursor).toBe('c');
    expect(page.mentions.map((x) => x.author.reach)).toEqual([0, 7, 0]);
    resolve(new Map([['ann', 12]]));
    const mentions = await settledMentions(page);
    expect(mentions.map((x) => x.author.reach)).toEqual([12, 7, 0]);
  });

  it('rejects where the page is read (an interrupt), never as an unhandled rejection before', async () => {
    const page = withPendingReach([withAuthor('1', 'a', 0)], Promise.reject(new Error('interrupted')), (x) => x.author.handle);
    expect('cursor' in page).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    await expect(settledMentions(page)).rejects.toThrow('interrupted');
  });
});
