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

  it('falls back to writing in-process for an in-memory store', async () => {
    const store = openStore(':memory:');
    const writer = await store.openBulkWriter();
    expect(await writer.write([mention('1')])).toBe(1);
    await writer.close();
    expect(store.getMention('hn:1')).toBeDefined();
    store.close();
  });
});
