import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { checkEachThread, skipWithoutBrandAccounts, unanswered } from '../../src/sources/thread-checks.js';
import type { ThreadCheck } from '../../src/sources/types.js';
import { createTestSourceContext } from '../support/source-context.js';

const check = (platformId: string): ThreadCheck => ({ platformId, threadRef: null, url: null, authorHandle: null, createdAt: 0 });

describe('unanswered', () => {
  it('is no answer and not reopened', () => {
    expect(unanswered('p1')).toEqual({ platformId: 'p1', answeredAt: null, reopened: false });
  });
});

describe('skipWithoutBrandAccounts', () => {
  it('warns once and answers every check with unanswered', () => {
    const ctx = createTestSourceContext();
    expect(skipWithoutBrandAccounts(ctx, 'masto', 'mastodon', [check('a'), check('b')])).toEqual([unanswered('a'), unanswered('b')]);
    expect(ctx.log.warnings).toEqual(['masto: brand.accounts.mastodon is empty, so replies cannot be detected']);
  });
});

describe('checkEachThread', () => {
  it('keeps the order, and logs and answers a failed check with unanswered', async () => {
    const ctx = createTestSourceContext();
    const results = await checkEachThread(ctx, 'hn', [check('a'), check('b'), check('c')], (c) => `the thread of item ${c.platformId}`, async (c) => {
      if (c.platformId === 'b') throw new Error('boom');
      return { platformId: c.platformId, answeredAt: 5, reopened: c.platformId === 'c' };
    });
    expect(results).toEqual([
      { platformId: 'a', answeredAt: 5, reopened: false },
      unanswered('b'),
      { platformId: 'c', answeredAt: 5, reopened: true },
    ]);
    expect(ctx.log.warnings).toEqual(['hn: could not check the thread of item b: boom']);
  });

  it('re-throws an interrupt and checks nothing after it', async () => {
    const ctx = createTestSourceContext();
    const seen: string[] = [];
    const run = checkEachThread(ctx, 'hn', [check('a'), check('b')], (c) => c.platformId, async (c) => {
      seen.push(c.platformId);
      throw new InterruptedError('hn: interrupted');
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(seen).toEqual(['a']);
    expect(ctx.log.warnings).toEqual([]);
  });
});
