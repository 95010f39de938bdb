/** Domain types shared by every layer. Only types here: no logic, no imports of modules with side effects. */

export const SOURCE_TYPES = ['bluesky', 'github', 'hackernews', 'mastodon', 'reddit', 'rss', 'stackexchange', 'x'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const STATUSES = ['open', 'answered', 'ignored', 'snoozed'] as const;
export type MentionStatus = (typeof STATUSES)[number];

export type SentimentLabel = 'negative' | 'neutral' | 'positive';
export type Intent = 'complaint' | 'question' | 'praise' | 'other';

export interface Author {
  handle: string | null;
  name: string | null;
  url: string | null;
  /** Followers, or karma/reputation where that is what the platform has; 0 when unknown. */
  reach: number;
}

export interface Sentiment {
  score: number;
  comparative: number;
  label: SentimentLabel;
}

/** The mention record: the one JSON shape every command prints (see README "The mention record"). */
export interface Mention {
  id: string;
  source: string;
  platform: SourceType;
  url: string | null;
  author: Author;
  title: string | null;
  text: string;
  createdAt: string;
  fetchedAt: string;
  sentiment: Sentiment | null;
  complaint: boolean;
  intent: Intent | null;
  own: boolean;
  status: MentionStatus;
  answeredAt: string | null;
  answeredBy: 'platform' | 'manual' | null;
  assignee: string | null;
  snoozedUntil: string | null;
  ageHours: number;
  priority: number;
}

/** What a source adapter produces for one post, before it is stored. */
export interface FetchedMention {
  /** The platform's own id, always a string (X and Mastodon ids exceed 2^53). */
  platformId: string;
  url: string | null;
  author: Author;
  title: string | null;
  /** Plain text: HTML stripped, entities decoded. */
  text: string;
  /** Epoch milliseconds UTC. */
  createdAt: number;
  /** Written by one of the brand's own accounts: stored, never a complaint. */
  own: boolean;
  /** Addresses one of the brand's accounts directly (@mention, u/ mention, reply): a mention even without a keyword. */
  addressesBrand: boolean;
  /** Platform-specific reference needed to find replies later (thread id, at-uri, conversation id...). */
  threadRef: string | null;
  /** The platform's payload for this item, kept so parser bugs can be fixed without refetching. */
  raw: unknown;
}

export interface TriageWeights {
  slaHours: number;
  reachWeight: number;
  ageWeight: number;
}
