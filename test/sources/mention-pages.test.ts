import { describe, expect, it } from 'vitest';
import { chunkMentions, yieldMentionPages } from '../../src/sources/mention-pages.js';
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
