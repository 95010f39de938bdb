import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { MentionInput } from '../../src/store/types.js';
import { createTempDir, type TempDir } from '../support/cli.js';

// The worker runs the compiled module (dist/store/bulk-writer-worker.js): `npm test` builds first.
let dir: TempDir;
beforeEach(() => {
  dir = createTempDir();
});
afterEach(() => dir.remove());

const mention = (id: string, text = `text ${id}`): MentionInput => ({
  source: 'hn', platform: 'hackernews', platformId: id, url: null, author: { handle: 'a', name: null, url: null, reach: 5 }, title: null, text,
  createdAt: 1_700_000_000_000, fetchedAt: 1_700_000_000_000, sentiment: { score: -1, comparative: -0.5, label: 'negative' }, complaint: true,
  intent: 'complaint', verdict: { rules: ['r'] }, own: false, addressesBrand: false, threadRef: null, raw: null,
});

describe('bulk writer', () => {
  it('upserts batches on a second thread, visible to the store, in order', async () => {
    const { openStore: openDist } = await import('../../dist/store/open.js' as string) as { openStore: typeof openStore };
    const store = openDist(join(dir.path, 'm.db'));
    try {
      const writer = await store.openBulkWriter();
      const counts = await Promise.all([writer.write([mention('1'), mention('2')]), writer.write([mention('2', 'changed'), mention('3')])]);
      await writer.close();
      expect(counts).toEqual([2, 2]);
      expect(store.getMention('hn:2')?.text).toBe('changed');
      expect(store.listMentions({ now: 0 })).toHaveLength(3);
    } finally {
      store.close();
    }
  });

  it("writes poll pages on the second thread: each page's new mentions and its cursor together, in order", async () => {
    const { openStore: openDist } = await import('../../dist/store/open.js' as string) as { openStore: typeof openStore };
    const store = openDist(join(dir.path, 'm.db'));
    try {
      const writer = await store.openBulkWriter();
      const source = { name: 'hn', type: 'hackernews' };
      const pages = await Promise.all([
        writer.insertMentions(source, [mention('1'), mention('2')], undefined),
        writer.insertMentions(source, [mention('2', 'changed'), mention('3')], 'c1'),
      ]);
      expect(pages).toEqual([['hn:1', 'hn:2'], ['hn:3']]);
      // A page that fails (here: a source row without a type) fails alone, storing nothing of itself.
      const broken = writer.insertMentions({ name: 'hn', type: null as unknown as string }, [mention('4')], 'c2');
      await expect(broken).rejects.toThrow(/NOT NULL/);
      expect(await writer.insertMentions(source, [mention('5')], 'c3')).toEqual(['hn:5']);
      await writer.close();
      expect(store.getMention('hn:2')?.text).toBe('text 2');
      expect(store.getMention('hn:4')).toBeUndefined();
      expect(store.getSourceState('hn')?.cursor).toBe('c3');
    } finally {
      store.close();
    }
  });

  it('falls back to writing in-process for an in-memory store', async () => {
    const store = openStore(':memory:');
    const writer = await store.openBulkWriter();
    expect(await writer.write([mention('1')])).toBe(1);
    expect(await writer.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1'), mention('2')], 'c')).toEqual(['hn:2']);
    await writer.close();
    expect(store.getMention('hn:1')).toBeDefined();
    store.close();
  });
});
