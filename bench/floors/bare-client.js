/**
 * The floor under the poll's wall time on this machine: `bare-client.js <server url>` asks the bench server
 * (bench/poll-server.js) for the same pages the poll reads, each source's pages one after another and the
 * sources side by side, with undici's request() and JSON.parse and nothing else: no normalising, keyword
 * matching, classifying, storing or reach lookups. The clock starts after the imports, as the poll phase's
 * does. Prints {"ms": <slowest source>, "sources": {<source>: ms}} as JSON.
 */
import { request } from 'undici';

const base = process.argv[2];
const json = async (path) => (await request(`${base}${path}`)).body.json();
const text = async (path) => (await request(`${base}${path}`)).body.text();

/** Each source's page requests, with the cursors the server hands out (see the routes in poll-server.js). */
const chains = {
  hackernews: async () => {
    for (let page = 0; page < 3; page++) await json(`/hackernews/search_by_date?query=acme&page=${page}`);
  },
  reddit: async () => {
    let after = '';
    for (let page = 0; page < 3; page++) after = (await json(`/reddit/search?q=acme${after ? `&after=${after}` : ''}`)).data.after;
  },
  mastodon: async () => {
    let maxId = '';
    for (let page = 0; page < 3; page++) maxId = (await json(`/mastodon/api/v1/timelines/tag/acme${maxId ? `?max_id=${maxId}` : ''}`)).at(-1).id;
  },
  bluesky: async () => {
    let cursor = '';
    for (let page = 0; page < 3; page++) cursor = (await json(`/bluesky/xrpc/app.bsky.feed.searchPosts?q=acme${cursor ? `&cursor=${cursor}` : ''}`)).cursor;
  },
  x: async () => {
    let token = '';
    for (let page = 0; page < 3; page++) token = (await json(`/x/2/tweets/search/recent?query=acme${token ? `&next_token=${token}` : ''}`)).meta.next_token;
  },
  github: async () => {
    const issues = async () => {
      for (let page = 1; page <= 2; page++) await json(`/github/search/issues?q=acme+is:issue&page=${page}`);
    };
    await Promise.all([issues(), json('/github/search/issues?q=acme+is:pull-request&page=1')]);
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
