/** The registry: source type → factory, explicit and alphabetical. */
import type { BrandConfig, SourceConfig } from '../config/types.js';
import { createBlueskySource } from './bluesky.js';
import { createGitHubSource } from './github.js';
import { createHackerNewsSource } from './hackernews.js';
import { createMastodonSource } from './mastodon.js';
import { createRedditSource } from './reddit.js';
import { createRssSource } from './rss.js';
import { createStackExchangeSource } from './stackexchange.js';
import type { Source } from './types.js';
import { createXSource } from './x.js';

export type SourceFactory = (config: SourceConfig, brand: BrandConfig) => Source;

export const createSource: SourceFactory = (config, brand) => {
  switch (config.type) {
    case 'bluesky':
      return createBlueskySource(config, brand);
    case 'github':
      return createGitHubSource(config, brand);
    case 'hackernews':
      return createHackerNewsSource(config, brand);
    case 'mastodon':
      return createMastodonSource(config, brand);
    case 'reddit':
      return createRedditSource(config, brand);
    case 'rss':
      return createRssSource(config, brand);
    case 'stackexchange':
      return createStackExchangeSource(config, brand);
    case 'x':
      return createXSource(config, brand);
  }
};
