/** Yielding fetched mentions as pages with the new cursor on the last page only (see MentionPage). */
import type { FetchedMention } from '../types.js';
import type { MentionPage } from './types.js';


/** Splits mentions into pages of at most `size`, keeping their order. */
export function chunkMentions(mentions: readonly FetchedMention[], size: number): FetchedMention[][] {
  const pages: FetchedMention[][] = [];
  for (let i = 0; i < mentions.length; i += size) pages.push(mentions.slice(i, i + size));
  return pages;
}

/**
 * One MentionPage per page, the cursor on the last one only; no pages yield one empty page carrying the
 * cursor. An undefined cursor (keep the stored one) is left off every page.
 */
export function* yieldMentionPages(pages: readonly FetchedMention[][], cursor: string | undefined): Generator<MentionPage> {
  const withCursor = (mentions: FetchedMention[]): MentionPage => (cursor === undefined ? { mentions } : { mentions, cursor });
  if (pages.length === 0) {
    yield withCursor([]);
    return;
  }
  for (let i = 0; i < pages.length; i++) {
    yield i === pages.length - 1 ? withCursor(pages[i]!) : { mentions: pages[i]! };
  }
}

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

/** The page's mentions once its pending work has settled (for readers outside poll, such as tests). */
export async function settledMentions(page: MentionPage): Promise<FetchedMention[]> {
  await page.pending;
  return page.mentions;
}
