/** Mentions for the report tests: a fixed clock and a factory over MentionInput. */
import { validateConfig } from '../../src/config/schema.js';
import type { Config } from '../../src/config/types.js';
import type { MentionInput, Store } from '../../src/store/types.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-11-23, 10:30 UTC. */
export const NOW = Date.parse('2026-11-23T10:30:00Z');

let counter = 0;

export function complaint(overrides: Partial<MentionInput> & { id?: string } = {}): MentionInput {
  counter += 1;
  const { id, ...rest } = overrides;
  const platformId = id ?? `m${counter}`;
  return {
    source: 'hn',
    platform: 'hackernews',
    platformId,
    url: `https://news.ycombinator.com/item?id=${platformId}`,
    author: { handle: `user${counter}`, name: null, url: null, reach: 10 },
    title: null,
    text: 'Acme is not working for me',
    createdAt: NOW - HOUR,
    fetchedAt: NOW,
    sentiment: { score: -2, comparative: -0.4, label: 'negative' },
    complaint: true,
    intent: 'complaint',
    verdict: null,
    own: false,
    addressesBrand: false,
    threadRef: null,
    raw: null,
    ...rest,
  };
}

/** Stores mentions grouped by source (the cursor marks the source as polled before). */
export function seed(store: Store, mentions: MentionInput[], cursor: string | undefined = 'seeded'): void {
  const bySource = new Map<string, MentionInput[]>();
  for (const m of mentions) bySource.set(m.source, [...(bySource.get(m.source) ?? []), m]);
  for (const [name, list] of bySource) store.insertMentions({ name, type: list[0]!.platform }, list, cursor);
}

export function config(extra: Record<string, unknown> = {}): Config {
  const { config: c, problems } = validateConfig({
    brand: { name: 'Acme', keywords: ['acme', 'acme cloud'], accounts: { x: ['AcmeSupport'] } },
    sources: [{ type: 'hackernews', name: 'hn' }, { type: 'rss', name: 'news', url: 'https://example.com/feed' }],
    ...extra,
  });
  if (!c) throw new Error(problems.join('\n'));
  return c;
}
