/** Bluesky: the brand login's notifications, so an @-mention (or a reply, a quote) without a keyword is found. */
import { afterEach, describe, expect, it } from 'vitest';
import type { BlueskySourceConfig, BrandConfig } from '../../src/config/types.js';
import { createBlueskySource } from '../../src/sources/bluesky.js';
import { collect } from '../support/paging.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const SEARCH = '/xrpc/app.bsky.feed.searchPosts';
const NOTIFICATIONS = '/xrpc/app.bsky.notification.listNotifications';
const PROFILES = '/xrpc/app.bsky.actor.getProfiles';
const BRAND_DID = 'did:plc:5c2r73erhng4bszmxlfdtscf';
const MENTION = 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m';
const REPLY = 'at://did:plc:s7savtl25cqhm3ddqc7jeljx/app.bsky.feed.post/3lpk2r5h5ec2j';

// The stored session is the brand's own login (bskyr.bsky.social).
const storedSession = JSON.stringify({ identifier: 'brand.bsky.social', did: BRAND_DID, handle: 'bskyr.bsky.social', accessJwt: 'a1', refreshJwt: 'r1' });
const env = { BLUESKY_IDENTIFIER: 'brand.bsky.social', BLUESKY_APP_PASSWORD: 'app-pass-secret' };
const since = new Date('2025-05-18T00:00:00.000Z');
const config = (baseUrl: string): BlueskySourceConfig => ({ type: 'bluesky', name: 'bluesky', enabled: true, identifierEnv: 'BLUESKY_IDENTIFIER', passwordEnv: 'BLUESKY_APP_PASSWORD', baseUrl });
const brandWith = (accounts: string[]): BrandConfig => ({ name: 'Acme', keywords: ['redistricting'], exclude: [], accounts: { bluesky: accounts } });

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Bluesky notifications of the brand login', () => {
  it('yields the mentions and replies (not the likes) as addressing the brand, back to the window, with their cursor entry', async () => {
    server = await startReplayServer([
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json' },
      { path: NOTIFICATIONS, query: { cursor: '2025-05-19T17:30:00.000Z' }, file: 'bluesky/listNotifications-page2.json' },
      { path: NOTIFICATIONS, file: 'bluesky/listNotifications.json' },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const pages = await collect(createBlueskySource(config(server.url), brandWith(['bskyr.bsky.social'])), { cursor: null, since }, ctx);
    const mentions = pages.flatMap((p) => p.mentions);
    expect(mentions.map((m) => [m.platformId, m.addressesBrand, m.own])).toEqual([
      [MENTION, true, false],
      [REPLY, true, false],
    ]);
    expect(mentions[0]?.text).toBe('@bskyr.bsky.social the export button does nothing since this morning');
    // The second page reached back past the window: it is read (it was asked for) but holds nothing new, and
    // no third page is asked for.
    expect(server.requests.filter((r) => r.path === NOTIFICATIONS)).toHaveLength(2);
    const cursor = JSON.parse(pages.at(-1)!.cursor!);
    expect(cursor.streams['@notifications']).toEqual({ t: '2025-05-19T18:00:00.000Z', uris: [MENTION] });

    // The next poll reads from the stored time and skips what it has seen.
    server.add({ path: NOTIFICATIONS, file: 'bluesky/listNotifications.json' });
    const again = await collect(createBlueskySource(config(server.url), brandWith(['bskyr.bsky.social'])), { cursor: pages.at(-1)!.cursor!, since }, ctx);
    expect(again.flatMap((p) => p.mentions)).toEqual([]);
  });

  it('reads no notifications when the login is not one of the brand accounts', async () => {
    server = await startReplayServer([{ path: SEARCH, file: 'bluesky/searchPosts-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    await collect(createBlueskySource(config(server.url), brandWith(['someone-else.bsky.social'])), { cursor: null, since }, ctx);
    expect(server.requests.map((r) => r.path)).toEqual([SEARCH]);
  });

  it('a broken notifications answer fails the source with the method named', async () => {
    server = await startReplayServer([
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json' },
      { path: NOTIFICATIONS, body: { feed: [] } },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    await expect(collect(createBlueskySource(config(server.url), brandWith([BRAND_DID])), { cursor: null, since }, ctx)).rejects.toThrow(
      'bluesky: unexpected response from listNotifications: no notifications[]',
    );
  });
});
