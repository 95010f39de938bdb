import { describe, expect, it } from 'vitest';
import { withPendingReach } from '../../src/sources/mention-pages.js';
import { settledMentions } from '../support/paging.js';
import type { FetchedMention } from '../../src/types.js';

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
