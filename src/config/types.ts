/** The config file's shape (README "Configuration"). These names are a contract: extend, never rename. */
import type { SourceType } from '../types.js';

export interface BrandConfig {
  name: string;
  keywords: string[];
  exclude: string[];
  /** The brand's own accounts per platform (x usernames, mastodon user@instance, bluesky handle or DID, ...). */
  accounts: Partial<Record<SourceType, string[]>>;
}

interface SourceBase<T extends SourceType> {
  type: T;
  /** Unique; defaults to the type. */
  name: string;
  /** Replaces the root of the platform's public API; the adapter appends the documented paths to it. */
  baseUrl?: string;
  /** Extra keywords for this source only, added to brand.keywords. */
  keywords?: string[];
  enabled: boolean;
}

export type HackerNewsSourceConfig = SourceBase<'hackernews'>;
export interface RedditSourceConfig extends SourceBase<'reddit'> {
  clientIdEnv?: string;
  clientSecretEnv?: string;
  usernameEnv?: string;
  passwordEnv?: string;
  subreddits?: string[];
  userAgent?: string;
  /** Root of the token endpoint; default https://www.reddit.com */
  authUrl?: string;
}
export interface MastodonSourceConfig extends SourceBase<'mastodon'> {
  tokenEnv?: string;
  hashtags?: string[];
}
export interface BlueskySourceConfig extends SourceBase<'bluesky'> {
  identifierEnv: string;
  passwordEnv: string;
}
export interface XSourceConfig extends SourceBase<'x'> {
  bearerTokenEnv: string;
}
export interface GitHubSourceConfig extends SourceBase<'github'> {
  tokenEnv?: string;
}
export interface StackExchangeSourceConfig extends SourceBase<'stackexchange'> {
  site: string;
  keyEnv?: string;
}
export interface RssSourceConfig extends SourceBase<'rss'> {
  /** The feed's address; or, when the address is itself a key (Talkwalker, private feeds), `urlEnv`. */
  url?: string;
  /** The name of an environment variable holding the feed's address; it is then scrubbed from errors. */
  urlEnv?: string;
}

export type SourceConfig =
  | BlueskySourceConfig
  | GitHubSourceConfig
  | HackerNewsSourceConfig
  | MastodonSourceConfig
  | RedditSourceConfig
  | RssSourceConfig
  | StackExchangeSourceConfig
  | XSourceConfig;

export interface TriageConfig {
  slaHours: number;
  reachWeight: number;
  ageWeight: number;
}

export interface PollConfig {
  concurrency: number;
  timeoutSeconds: number;
  retries: number;
  lookbackHours: number;
  /** Longest wait for a rate limit within one run; longer waits stop the source until the next run. */
  maxWaitSeconds: number;
  /** Thread lookups per source per run (reply detection). */
  threadChecks: number;
  /** Only mentions younger than this are checked for replies. */
  answerWindowHours: number;
  /** `sources` flags a source as stale when it has not succeeded for this long. */
  staleHours: number;
  /** Largest response body accepted, in bytes. */
  maxResponseBytes: number;
}

export interface ClassifyConfig {
  /** word → score, added to the sentiment word table. */
  extraWords: Record<string, number>;
  /** Phrases that mark a complaint. */
  complaintPhrases: string[];
}

/** Webhook notifications at the end of a poll (README "Webhook notifications"). */
export interface NotifyConfig {
  /** Environment variable holding the webhook URL (it often carries a token: Slack's does). */
  webhookUrlEnv: string;
  /** Environment variable holding the HMAC secret; without it, requests are not signed. */
  secretEnv?: string;
  /** New complaints with at least this priority are sent; absent: new complaints are not sent. */
  minPriority?: number;
  /** Complaints that cross the SLA unanswered (default true). */
  slaBreaches: boolean;
  /** Complaint spikes (default true). */
  spikes: boolean;
  /** Events written out in the message text (default 5); every event is in `events`. */
  digestSize: number;
  enabled: boolean;
}

export interface Config {
  brand: BrandConfig;
  database?: string;
  sources: SourceConfig[];
  triage: TriageConfig;
  poll: PollConfig;
  classify: ClassifyConfig;
  notify?: NotifyConfig;
}
