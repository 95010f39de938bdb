/**
 * The poll benchmark's stand-in for eight platforms: one node:http server on 127.0.0.1 whose path prefix
 * names the source (`/hackernews/...`, `/reddit/...`, `/reddit-auth/...`, `/mastodon/...`, ...). Every
 * response waits `latencyMs` (settable between phases). Payloads take their shape from the first item of
 * the recorded fixtures in test/fixtures/<type>/ and are multiplied into three pages with unique ids,
 * recent timestamps, authors from a pool of 60 per source, and texts from bench/synthetic.js that name Acme.
 * Paging follows each adapter: HN `page`, Reddit `after`, Mastodon `max_id` (40 per page, the API's
 * maximum; 39 on the last), Bluesky `cursor`, X `next_token`, GitHub `page` (issues: 100 + 99, pull requests: 99),
 * Stack Exchange `page` + `has_more`. RSS has no paging: one feed of 300 items in one response.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createRandom, syntheticRecord } from './synthetic.js';

export const PAGES = 3;
const AUTHORS = 60;

function fixture(root, ...parts) {
  return JSON.parse(readFileSync(join(root, 'test', 'fixtures', ...parts), 'utf8'));
}

const clone = (o) => structuredClone(o);

/** Builds every page once: the same payloads serve every run (each first poll starts from an empty database). */
export function buildPayloads(root, now) {
  const random = createRandom(7);
  let n = 0;
  const text = () => {
    const t = syntheticRecord(n++, random, now).text;
    return /acme/i.test(t) ? t : `Acme ${t}`;
  };
  const author = (type, k) => `${type}_user${k % AUTHORS}`;
  const at = (page, i, per) => now - (page * per + i + 1) * 37_000; // newest first, 37 s apart
  const pages = {};

  // Hacker News: Algolia search_by_date hits.
  const hnHit = fixture(root, 'hackernews', 'search_by_date-comments-current-shape.json').hits[0];
  delete hnHit._highlightResult;
  pages.hackernews = [0, 1, 2].map((p) =>
    Array.from({ length: 100 }, (_, i) => {
      const t = at(p, i, 100);
      return { ...clone(hnHit), objectID: String(40_000_000 + p * 100 + i), author: author('hn', p * 100 + i), comment_text: text(), created_at_i: Math.floor(t / 1000), created_at: new Date(t).toISOString(), story_id: 39_000_000 + i, parent_id: 39_000_000 + i };
    }),
  );

  // Reddit: a Listing of t3 things.
  const redditThing = fixture(root, 'reddit', 'search.json').data.children[0];
  pages.reddit = [0, 1, 2].map((p) =>
    Array.from({ length: 100 }, (_, i) => {
      const id = `bx${p}${String(i).padStart(3, '0')}`;
      return { kind: 't3', data: { ...clone(redditThing.data), id, name: `t3_${id}`, author: author('rd', p * 100 + i), title: `Acme question ${p}-${i}`, selftext: text(), created_utc: Math.floor(at(p, i, 100) / 1000), permalink: `/r/acme/comments/${id}/x/` } };
    }),
  );

  // Mastodon: statuses of the #acme timeline, 40 per page.
  const status = fixture(root, 'mastodon', 'tag-timeline.json')[0];
  // The last page is one short of the limit, so the adapter stops after three requests.
  pages.mastodon = [0, 1, 2].map((p) =>
    Array.from({ length: p === 2 ? 39 : 40 }, (_, i) => {
      const t = at(p, i, 40);
      const id = String((BigInt(t) << 16n) + BigInt(p * 40 + i));
      const a = author('md', p * 40 + i);
      return { ...clone(status), id, created_at: new Date(t).toISOString(), content: `<p>${text()}</p>`, url: `https://mastodon.example/@${a}/${id}`, uri: `https://mastodon.example/users/${a}/statuses/${id}`, reblog: null, account: { ...clone(status.account), id: String(1000 + (p * 40 + i) % AUTHORS), username: a, acct: a, followers_count: 10 ** (i % 6) } };
    }),
  );

  // Bluesky: searchPosts posts.
  const post = fixture(root, 'bluesky', 'searchPosts.json').posts[0];
  pages.bluesky = [0, 1, 2].map((p) =>
    Array.from({ length: 100 }, (_, i) => {
      const t = new Date(at(p, i, 100)).toISOString();
      const k = (p * 100 + i) % AUTHORS;
      return { ...clone(post), uri: `at://did:plc:bench${k}/app.bsky.feed.post/3l${p}${i}`, cid: `bafy${p}${i}`, author: { ...clone(post.author), did: `did:plc:bench${k}`, handle: `${author('bs', k)}.bsky.social` }, record: { $type: 'app.bsky.feed.post', createdAt: t, text: text() }, indexedAt: t };
    }),
  );

  // X: recent search with expanded users.
  const x = fixture(root, 'x', 'search-recent-expanded.json');
  const tweet = x.data[0];
  const user = x.includes.users[0];
  pages.x = [0, 1, 2].map((p) => {
    const data = Array.from({ length: 100 }, (_, i) => {
      const t = at(p, i, 100);
      const id = String(((BigInt(t) - 1288834974657n) << 22n) + BigInt(p * 100 + i));
      return { ...clone(tweet), id, conversation_id: id, text: text(), created_at: new Date(t).toISOString(), author_id: String(5000 + ((p * 100 + i) % AUTHORS)) };
    });
    const users = Array.from({ length: AUTHORS }, (_, k) => ({ ...clone(user), id: String(5000 + k), username: author('x', k), public_metrics: { ...user.public_metrics, followers_count: 10 ** (k % 7) } }));
    return { data, includes: { users }, meta: { newest_id: data[0].id, oldest_id: data.at(-1).id, result_count: data.length } };
  });

  // GitHub: search/issues items; issues take two pages (100 + 99), pull requests one (99).
  const issue = fixture(root, 'github', 'search-issues.json').items[0];
  const ghItem = (p, i, pr) => {
    const number = p * 100 + i + (pr ? 5000 : 1);
    return { ...clone(issue), id: 2_000_000_000 + number, number, title: `Acme: ${text().slice(0, 60)}`, body: text(), user: { ...clone(issue.user), login: author('gh', number) }, created_at: new Date(at(p, i, 100)).toISOString(), html_url: `https://github.com/acme/app/issues/${number}`, ...(pr ? { pull_request: { url: `https://api.github.com/repos/acme/app/pulls/${number}` } } : {}) };
  };
  pages.github = { issues: [Array.from({ length: 100 }, (_, i) => ghItem(0, i, false)), Array.from({ length: 99 }, (_, i) => ghItem(1, i, false))], pulls: [Array.from({ length: 99 }, (_, i) => ghItem(0, i, true))] };

  // Stack Exchange: search/advanced questions.
  const question = fixture(root, 'stackexchange', 'search-advanced-page2-withbody.json').items[0];
  pages.stackexchange = [0, 1, 2].map((p) =>
    Array.from({ length: 100 }, (_, i) => {
      const q = 70_000_000 + p * 100 + i;
      return { ...clone(question), question_id: q, title: `Acme ${text().slice(0, 50)}`, body: `<p>${text()}</p>`, creation_date: Math.floor(at(p, i, 100) / 1000), link: `https://stackoverflow.com/questions/${q}`, owner: { ...clone(question.owner), user_id: 900_000 + (i % AUTHORS), display_name: author('se', i), reputation: 10 ** (i % 5) } };
    }),
  );

  // RSS: one feed of 300 items (RSS has no paging).
  const items = Array.from({ length: 300 }, (_, i) => {
    const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    return `<item><title>${escape(`Acme in the news ${i}`)}</title><link>https://news.example/acme/${i}</link><guid>https://news.example/acme/${i}</guid><pubDate>${new Date(at(0, i, 300)).toUTCString()}</pubDate><description>${escape(text())}</description></item>`;
  });
  pages.rss = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Acme news</title><link>https://news.example/</link><description>bench</description>${items.join('')}</channel></rss>`;
  return pages;
}

/** Mentions the server hands out per first poll (RSS counted once). */
export function countItems(pages) {
  let n = 0;
  for (const [type, value] of Object.entries(pages)) {
    if (type === 'rss') n += 300;
    else if (type === 'github') n += [...value.issues, ...value.pulls].flat().length;
    else if (type === 'x') n += value.flatMap((p) => p.data).length;
    else n += value.flat().length;
  }
  return n;
}

export async function startPollServer(root, now) {
  const pages = buildPayloads(root, now);
  // lookupLatencyMs: latency of the per-author reach lookups alone (HN/GitHub users, Reddit about, Bluesky
  // getProfiles); undefined means latencyMs. Set to 0 to see the poll as if lookups cost no round trip.
  // onRequest / onRespond(type, path): optional hooks for tracing when requests arrive and answers leave.
  const state = { latencyMs: 200, lookupLatencyMs: undefined, requests: {}, unmatched: [], onRequest: undefined, onRespond: undefined };
  const isLookup = (path) => /^\/users\/|^\/user\/[^/]+\/about$|^\/xrpc\/app\.bsky\.actor\.getProfiles$/.test(path);
  // Page bodies are serialised once and reused, so the server spends as little of the machine as it can
  // while the client is measured.
  const serialised = new Map();
  let rssBytes;
  const json = (res, body, status = 200, key = undefined) => {
    // Encoded once too: writing a Buffer skips the UTF-8 encoding of a string on every answer.
    let bytes = key === undefined ? undefined : serialised.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(body));
      if (key !== undefined) serialised.set(key, bytes);
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': bytes.length });
    res.end(bytes);
  };
  const route = (type, path, q, req, res) => {
    const num = (v, d) => (v === null ? d : Number(v));
    switch (type) {
      case 'hackernews': {
        if (path === '/search_by_date') {
          const p = num(q.get('page'), 0);
          return json(res, { hits: pages.hackernews[p] ?? [], nbHits: 300, page: p, nbPages: PAGES, hitsPerPage: 100 }, 200, `hn${p}`);
        }
        if (path.startsWith('/users/')) return json(res, { username: decodeURIComponent(path.slice(7)), karma: 1234 });
        break;
      }
      case 'reddit-auth':
        if (path === '/api/v1/access_token') return json(res, { access_token: 'bench-token', token_type: 'bearer', expires_in: 86400, scope: '*' });
        break;
      case 'reddit': {
        if (path === '/search') {
          const after = q.get('after');
          const p = after === null ? 0 : pages.reddit.findIndex((page) => page.at(-1).data.name === after) + 1;
          const children = pages.reddit[p] ?? [];
          return json(res, { kind: 'Listing', data: { after: p + 1 < PAGES ? children.at(-1).data.name : null, children } }, 200, `rd${p}`);
        }
        if (/^\/user\/[^/]+\/about$/.test(path)) return json(res, { kind: 't2', data: { name: path.split('/')[2], link_karma: 100, comment_karma: 900 } });
        break;
      }
      case 'mastodon': {
        if (path === '/api/v2/instance') return json(res, { domain: 'mastodon.example', version: '4.3.0', configuration: {} });
        if (path === '/api/v1/timelines/tag/acme') {
          const maxId = q.get('max_id');
          const p = maxId === null ? 0 : pages.mastodon.findIndex((page) => page.at(-1).id === maxId) + 1;
          return json(res, pages.mastodon[p] ?? [], 200, `md${p}`);
        }
        break;
      }
      case 'bluesky': {
        if (path === '/xrpc/com.atproto.server.createSession') return json(res, { did: 'did:plc:benchbrand', handle: 'acme.bsky.social', accessJwt: 'bench-access', refreshJwt: 'bench-refresh', active: true });
        if (path === '/xrpc/app.bsky.feed.searchPosts') {
          const cursor = q.get('cursor');
          const p = cursor === null ? 0 : Number(cursor.slice(1));
          return json(res, { posts: pages.bluesky[p] ?? [], ...(p + 1 < PAGES ? { cursor: `p${p + 1}` } : {}) }, 200, `bs${p}`);
        }
        if (path === '/xrpc/app.bsky.actor.getProfiles') {
          const profiles = q.getAll('actors').map((did) => ({ did, handle: `${did.slice(8)}.bsky.social`, followersCount: 10 ** (did.length % 6) }));
          return json(res, { profiles });
        }
        break;
      }
      case 'x': {
        if (path === '/2/tweets/search/recent') {
          const token = q.get('next_token');
          const p = token === null ? 0 : Number(token.slice(1));
          const page = pages.x[p];
          if (!page) return json(res, { meta: { result_count: 0 } });
          return json(res, { ...page, meta: { ...page.meta, ...(p + 1 < PAGES ? { next_token: `t${p + 1}` } : {}) } }, 200, `x${p}`);
        }
        break;
      }
      case 'github': {
        if (path === '/search/issues') {
          const pulls = (q.get('q') ?? '').includes('is:pull-request');
          const list = pulls ? pages.github.pulls : pages.github.issues;
          const p = num(q.get('page'), 1) - 1;
          return json(res, { total_count: list.flat().length, incomplete_results: false, items: list[p] ?? [] }, 200, `gh${pulls ? 'pr' : 'is'}${p}`);
        }
        if (path.startsWith('/users/')) return json(res, { login: decodeURIComponent(path.slice(7)), followers: 42 });
        break;
      }
      case 'stackexchange': {
        if (path === '/search/advanced') {
          const p = num(q.get('page'), 1) - 1;
          return json(res, { items: pages.stackexchange[p] ?? [], has_more: p + 1 < PAGES, quota_max: 10000, quota_remaining: 9000 }, 200, `se${p}`);
        }
        break;
      }
      case 'rss': {
        if (path === '/acme.rss') {
          res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
          rssBytes ??= Buffer.from(pages.rss);
          return res.end(rssBytes);
        }
        break;
      }
    }
    state.unmatched.push(`${req.method} /${type}${path}`);
    res.writeHead(599, { 'content-type': 'text/plain' });
    res.end(`no route for ${req.method} /${type}${path}`);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    const [, type, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    state.requests[type] = (state.requests[type] ?? 0) + 1;
    state.onRequest?.(type, path);
    req.resume();
    req.on('end', () => {
      const delay = isLookup(path) && state.lookupLatencyMs !== undefined ? state.lookupLatencyMs : state.latencyMs;
      setTimeout(() => {
        state.onRespond?.(type, path);
        route(type, path, url.searchParams, req, res);
      }, delay);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    pages,
    resetCounts() {
      state.requests = {};
      state.unmatched = [];
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
