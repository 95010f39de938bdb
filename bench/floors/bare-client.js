/**
 * The floor under the poll's wall time on this machine: `bare-client.js <server url>` asks the bench server
 * (bench/poll-server.js) for the same pages the poll reads, each source's pages one after another and the
 * sources side by side, with undici's request() and JSON.parse and nothing else: no normalising, keyword
 * matching, classifying or storing. It also makes the poll's reach lookups, as the poll does: once the first
 * page is in, 20 authors each for Hacker News, Reddit and GitHub, and Bluesky's profiles of the first page's 60
 * authors in batches of 25, side by side with the next pages. The clock starts after the imports, as the poll
 * phase's does. Prints {"ms": <slowest source>, "sources": {<source>: ms}} as JSON.
 */
import { request } from 'undici';

const base = process.argv[2];
const json = async (path) => (await request(`${base}${path}`)).body.json();
const text = async (path) => (await request(`${base}${path}`)).body.text();

const LOOKUPS = 20;
/** One request per author (the first LOOKUPS distinct ones), side by side. */
const lookUp = (authors, path) => Promise.all([...new Set(authors)].slice(0, LOOKUPS).map((a) => json(path(encodeURIComponent(a)))));

/** Each source's page requests, with the cursors the server hands out (see the routes in poll-server.js). */
const chains = {
  hackernews: async () => {
    let lookups;
    for (let page = 0; page < 3; page++) {
      const body = await json(`/hackernews/search_by_date?query=acme&page=${page}`);
      lookups ??= lookUp(body.hits.map((h) => h.author), (a) => `/hackernews/users/${a}`);
    }
    await lookups;
  },
  reddit: async () => {
    let after = '';
    let lookups;
    for (let page = 0; page < 3; page++) {
      const body = await json(`/reddit/search?q=acme${after ? `&after=${after}` : ''}`);
      after = body.data.after;
      lookups ??= lookUp(body.data.children.map((c) => c.data.author), (a) => `/reddit/user/${a}/about`);
    }
    await lookups;
  },
  mastodon: async () => {
    let maxId = '';
    for (let page = 0; page < 3; page++) maxId = (await json(`/mastodon/api/v1/timelines/tag/acme${maxId ? `?max_id=${maxId}` : ''}`)).at(-1).id;
  },
  bluesky: async () => {
    let cursor = '';
    let profiles;
    for (let page = 0; page < 3; page++) {
      const body = await json(`/bluesky/xrpc/app.bsky.feed.searchPosts?q=acme${cursor ? `&cursor=${cursor}` : ''}`);
      cursor = body.cursor;
      if (!profiles) {
        const dids = [...new Set(body.posts.map((p) => p.author.did))];
        const batches = [];
        for (let i = 0; i < dids.length; i += 25) batches.push(dids.slice(i, i + 25));
        profiles = Promise.all(batches.map((b) => json(`/bluesky/xrpc/app.bsky.actor.getProfiles?${b.map((d) => `actors=${encodeURIComponent(d)}`).join('&')}`)));
      }
    }
    await profiles;
  },
  x: async () => {
    let token = '';
    for (let page = 0; page < 3; page++) token = (await json(`/x/2/tweets/search/recent?query=acme${token ? `&next_token=${token}` : ''}`)).meta.next_token;
  },
  github: async () => {
    let lookups;
    const issues = async () => {
      for (let page = 1; page <= 2; page++) {
        const body = await json(`/github/search/issues?q=acme+is:issue&page=${page}`);
        lookups ??= lookUp(body.items.map((i) => i.user.login), (a) => `/github/users/${a}`);
      }
    };
    await Promise.all([issues(), json('/github/search/issues?q=acme+is:pull-request&page=1')]);
    await lookups;
  },
  stackexchange: async () => {
    for (let page = 1; page <= 3; page++) await json(`/stackexchange/search/advanced?q=acme&page=${page}`);
  },
  rss: () => text('/rss/acme.rss'),
};

const sources = {};
await Promise.all(
  Object.entries(chains).map(async ([name, chain]) => {
    const started = performance.now();
    await chain();
    sources[name] = Math.round(performance.now() - started);
  }),
);
process.stdout.write(`${JSON.stringify({ ms: Math.max(...Object.values(sources)), sources })}\n`);
