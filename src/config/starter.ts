import { DEFAULT_POLL, DEFAULT_TRIAGE } from './schema.js';

/** The starter config written by `init` (config.example.json is this for "Acme", checked by a test). */

export function starterConfig(brand: string): Record<string, unknown> {
  const keyword = brand.trim();
  const slug = keyword.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return {
    brand: {
      name: keyword,
      keywords: [keyword.toLowerCase()],
      exclude: [],
      accounts: {
        x: [slug],
        mastodon: [`${slug}@mastodon.social`],
        bluesky: [`${slug}.bsky.social`],
        reddit: [slug],
        hackernews: [slug],
        github: [slug],
        stackexchange: [],
      },
    },
    database: './mentions.db',
    sources: [
      { type: 'hackernews' },
      { type: 'stackexchange', site: 'stackoverflow' },
      {
        type: 'rss',
        name: 'google-news',
        url: `https://news.google.com/rss/search?q=${encodeURIComponent(`"${keyword}"`)}&hl=en-US&gl=US&ceid=US:en`,
      },
      { type: 'mastodon', baseUrl: 'https://mastodon.social', hashtags: [slug], tokenEnv: 'MASTODON_TOKEN', enabled: false },
      { type: 'reddit', subreddits: [], clientIdEnv: 'REDDIT_CLIENT_ID', clientSecretEnv: 'REDDIT_CLIENT_SECRET', enabled: false },
      { type: 'bluesky', identifierEnv: 'BLUESKY_IDENTIFIER', passwordEnv: 'BLUESKY_APP_PASSWORD', enabled: false },
      { type: 'x', bearerTokenEnv: 'X_BEARER_TOKEN', enabled: false },
      { type: 'github', tokenEnv: 'GITHUB_TOKEN', enabled: false },
    ],
    triage: { ...DEFAULT_TRIAGE },
    poll: { ...DEFAULT_POLL },
    classify: { extraWords: {}, complaintPhrases: [] },
    notify: {
      webhookUrlEnv: 'MENTION_WATCH_WEBHOOK_URL',
      secretEnv: 'MENTION_WATCH_WEBHOOK_SECRET',
      minPriority: 2,
      slaBreaches: true,
      spikes: true,
      digestSize: 5,
      enabled: false,
    },
  };
}

export const ENV_EXAMPLE = `# mention-watch credentials. Copy to .env and fill in what you use; real environment variables win.
# The config names these variables (tokenEnv, ...); secrets never go in the config file.

# Mastodon: an access token with read scope, from Preferences > Development on your instance
MASTODON_TOKEN=

# Reddit: a "script" app from https://www.reddit.com/prefs/apps (API access needs Reddit's approval since Nov 2025)
REDDIT_CLIENT_ID=
REDDIT_CLIENT_SECRET=

# Bluesky: your handle and an app password (Settings > Privacy and security > App passwords)
BLUESKY_IDENTIFIER=
BLUESKY_APP_PASSWORD=

# X: an app-only bearer token (API v2 recent search is paid)
X_BEARER_TOKEN=

# GitHub: a token raises the search limit from 10 to 30 requests a minute
GITHUB_TOKEN=

# Stack Exchange: an app key from stackapps.com raises the quota from 300 to 10,000 requests a day
STACKEXCHANGE_KEY=

# A feed whose address is its key (Talkwalker Alerts, a private forum feed): an rss source with "urlEnv"
TALKWALKER_FEED_URL=

# Webhook notifications (config "notify"): the URL (Slack incoming webhook or your own), and a secret to sign with
MENTION_WATCH_WEBHOOK_URL=
MENTION_WATCH_WEBHOOK_SECRET=

# A forward proxy, if this machine reaches the internet through one (no_proxy: hosts reached directly)
# https_proxy=http://user:password@proxy.example:3128
# no_proxy=localhost,.internal
`;
