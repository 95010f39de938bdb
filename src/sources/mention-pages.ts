/** Pages whose mentions an adapter completes in the background (see MentionPage.pending). */
import type { FetchedMention } from '../types.js';
import type { MentionPage } from './types.js';

/**
 * A page whose authors' reach arrives later: `reach` (by key) is written into the mentions when it resolves,
 * as the page's `pending` work, so the adapter can fetch its next page meanwhile. Authors without an entry
 * keep the reach they have.
 */
export function withPendingReach(
  mentions: FetchedMention[],
  reach: Promise<ReadonlyMap<string, number>>,
  keyOf: (mention: FetchedMention) => string | null,
  cursor?: string,
): MentionPage {
  const pending = reach.then((byKey) => {
    for (const mention of mentions) {
      const key = keyOf(mention);
      const value = key === null ? undefined : byKey.get(key);
      if (value !== undefined) mention.author.reach = value;
    }
  });
  pending.catch(() => {}); // read (and re-thrown) by whoever stores the page; never an unhandled rejection
  return cursor === undefined ? { mentions, pending } : { mentions, cursor, pending };
}
