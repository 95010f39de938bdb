import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError, SourceError } from '../../src/errors.js';
import { createHttpClient, parseRateLimit, type HttpClientOptions } from '../../src/http/client.js';
import { HttpError, RateLimitError } from '../../src/http/errors.js';
import { startReplayServer, type ReplayRoute, type ReplayServer } from '../support/replay-server.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(routes: ReplayRoute[], overrides: Partial<HttpClientOptions> = {}) {
  server = await startReplayServer(routes);
  const sleeps: number[] = [];
  let clock = NOW;
  const client = createHttpClient({
    name: 'hackernews',
    userAgent: 'mention-watch/test',
    timeoutMs: 2_000,
    retries: 2,
    maxBodyBytes: 1_000_000,
    maxWaitMs: 60_000,
    // The injected sleep records the wait and moves the fake clock, as a real wait would.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 1,
    now: () => clock,
    ...overrides,
  });
  return { server, client, sleeps, url: (path: string) => `${server!.url}${path}` };
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe('parseRateLimit (header values recorded in shared/fixtures/*/index.json)', () => {
  const cases: [string, Record<string, string>, number, ReturnType<typeof parseRateLimit>][] = [
    ['reddit: float remaining, reset in seconds', { 'x-ratelimit-remaining': '9339.0', 'x-ratelimit-reset': '63', 'x-ratelimit-used': '661' }, NOW, { remaining: 9339, resetAt: NOW + 63_000 }],
    ['reddit 2026', { 'x-ratelimit-remaining': '999.0', 'x-ratelimit-reset': '250', 'x-ratelimit-used': '1' }, NOW, { remaining: 999, resetAt: NOW + 250_000 }],
    ['github: epoch seconds', { 'X-RateLimit-Limit': '30', 'X-RateLimit-Remaining': '29', 'X-RateLimit-Reset': '1658205727', 'X-RateLimit-Resource': 'search' }, NOW, { remaining: 29, resetAt: 1_658_205_727_000 }],
    ['mastodon: ISO timestamp', { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '257', 'x-ratelimit-reset': '2026-04-11T23:15:00.905404Z' }, NOW, { remaining: 257, resetAt: Date.UTC(2026, 3, 11, 23, 15, 0, 905) }],
    ['x: epoch seconds', { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '449', 'x-rate-limit-reset': '1665184962' }, NOW, { remaining: 449, resetAt: 1_665_184_962_000 }],
    ['bluesky: IETF draft, epoch', { 'RateLimit-Limit': '3000', 'RateLimit-Remaining': '2983', 'RateLimit-Reset': '1747676784', 'RateLimit-Policy': '3000;w=300' }, NOW, { remaining: 2983, resetAt: 1_747_676_784_000 }],
    ['IETF draft, delta seconds', { 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, NOW, { remaining: 0, resetAt: NOW + 30_000 }],
    ['IETF structured header', { ratelimit: '"default";r=0;t=12' }, NOW, { remaining: 0, resetAt: NOW + 12_000 }],
    ['retry-after seconds', { 'retry-after': '120' }, NOW, { retryAfterMs: 120_000 }],
    ['retry-after HTTP-date', { 'retry-after': new Date(NOW + 90_000).toUTCString() }, NOW, { retryAfterMs: 90_000 }],
    ['retry-after in the past', { 'retry-after': new Date(NOW - 5_000).toUTCString() }, NOW, { retryAfterMs: 0 }],
    ['hackernews: no headers', {}, NOW, {}],
    ['garbage', { 'x-ratelimit-remaining': 'lots', 'x-ratelimit-reset': 'soon' }, NOW, {}],
  ];
  it.each(cases)('%s', (_name, headers, now, expected) => {
    expect(parseRateLimit(headers, now)).toEqual(expected);
  });
});

describe('createHttpClient', () => {
  it('returns JSON, sends the user agent and accept-encoding, lower-cases headers', async () => {
    const { client, url, server } = await setup([{ path: '/api/v1/search', query: { q: 'acme' }, body: { hits: [1] }, headers: { 'X-Thing': 'y' } }]);
    const res = await client.request({ url: url('/api/v1/search?q=acme') });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ hits: [1] });
    expect(res.headers['x-thing']).toBe('y');
    expect(res.url).toBe(url('/api/v1/search?q=acme'));
    expect(server.requests[0]?.headers['user-agent']).toBe('mention-watch/test');
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
    server.assertDone();
  });

  it('sends form and JSON bodies with their content types, and default headers', async () => {
    const { client, url, server } = await setup(
      [
        { method: 'POST', path: '/token', body: { token: 't' } },
        { method: 'POST', path: '/session', body: { ok: true } },
      ],
      { defaultHeaders: { Authorization: 'bearer abc' } },
    );
    await client.request({ url: url('/token'), method: 'POST', form: { grant_type: 'client_credentials', a: 'b c' } });
    await client.request({ url: url('/session'), method: 'POST', json: { identifier: 'me' } });
    expect(server.requests.map((r) => [r.headers['content-type'], r.body, r.headers['authorization']])).toEqual([
      ['application/x-www-form-urlencoded', 'grant_type=client_credentials&a=b+c', 'bearer abc'],
      ['application/json', '{"identifier":"me"}', 'bearer abc'],
    ]);
  });

  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const { client, url, sleeps, server } = await setup([
      { path: '/flaky', status: 502, body: 'bad gateway', times: 2 },
      { path: '/flaky', body: { ok: true } },
    ]);
    const res = await client.request({ url: url('/flaky') });
    expect(res.json()).toEqual({ ok: true });
    expect(sleeps).toEqual([500, 1000]);
    expect(server.requests).toHaveLength(3);
  });

  it('applies full jitter to the backoff', async () => {
    const { client, url, sleeps } = await setup(
      [
        { path: '/flaky', status: 500, times: 2 },
        { path: '/flaky', body: {} },
      ],
      { random: () => 0.5 },
    );
    await client.request({ url: url('/flaky') });
    expect(sleeps).toEqual([250, 500]);
  });

  it('gives up on 5xx after the retries with status, status text and URL', async () => {
    const { client, url, server } = await setup([{ path: '/down', status: 503, body: 'down' }]);
    const error = await failure(client.request({ url: url('/down?q=x') }));
    expect(error.message).toBe(`hackernews: GET ${url('/down?q=x')} 503 Service Unavailable`);
    expect(error.status).toBe(503);
    expect(error.url).toBe(url('/down?q=x'));
    expect(error).toBeInstanceOf(SourceError);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry 4xx, keeps the status and the start of the body', async () => {
    const { client, url, server } = await setup([{ path: '/private', status: 401, body: { error: 'invalid_token' } }]);
    const error = await failure(client.request({ url: url('/private') }));
    expect(error.message).toBe(`hackernews: GET ${url('/private')} 401 Unauthorized`);
    expect(error.status).toBe(401);
    expect(error.body).toBe('{"error":"invalid_token"}');
    expect(server.requests).toHaveLength(1);
  });

  it('returns statuses listed in accept', async () => {
    const { client, url } = await setup([{ path: '/feed', status: 304 }]);
    const res = await client.request({ url: url('/feed'), accept: [304] });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
  });

  it('follows redirects', async () => {
    const { client, url } = await setup([
      { path: '/old', status: 301, headers: { location: '/new?x=1' } },
      { path: '/new', query: { x: '1' }, body: { moved: true } },
    ]);
    const res = await client.request({ url: url('/old') });
    expect(res.json()).toEqual({ moved: true });
    expect(res.url).toBe(url('/new?x=1'));
  });

  it('retries a network error (socket destroyed), then fails naming the URL', async () => {
    const { client, url, sleeps, server } = await setup([{ path: '/reset', destroy: true }], { retries: 1 });
    const error = await failure(client.request({ url: url('/reset') }));
    expect(error.message).toMatch(new RegExp(`^hackernews: GET ${escape(url('/reset'))}: .+ \\(after 2 attempts\\)$`));
    expect(error.status).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
  });

  it('recovers when a network error is followed by success', async () => {
    const { client, url } = await setup([
      { path: '/reset', destroy: true, times: 1 },
      { path: '/reset', body: { ok: 1 } },
    ]);
    expect((await client.request({ url: url('/reset') })).json()).toEqual({ ok: 1 });
  });

  it('times out a slow response', async () => {
    const { client, url } = await setup([{ path: '/slow', delayMs: 2_000, body: {} }], { timeoutMs: 50, retries: 0 });
    const error = await failure(client.request({ url: url('/slow') }));
    expect(error.message).toBe(`hackernews: GET ${url('/slow')}: timed out after 50 ms`);
  });

  it('fails on a truncated body after retrying', async () => {
    const { client, url, server } = await setup([{ path: '/cut', body: { text: 'x'.repeat(5_000) }, truncate: true }], { retries: 1 });
    const error = await failure(client.request({ url: url('/cut') }));
    expect(error.message).toMatch(/^hackernews: GET .*\/cut: .*\(after 2 attempts\)$/);
    expect(server.requests).toHaveLength(2);
  });

  it('waits for Retry-After on 429, then retries', async () => {
    const { client, url, sleeps } = await setup([
      { path: '/limited', status: 429, headers: { 'retry-after': '1' }, times: 1 },
      { path: '/limited', body: { ok: true } },
    ]);
    expect((await client.request({ url: url('/limited') })).json()).toEqual({ ok: true });
    expect(sleeps).toEqual([1_000]);
  });

  it('waits for an HTTP-date Retry-After on 503', async () => {
    const { client, url, sleeps } = await setup([
      { path: '/maint', status: 503, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() }, times: 1 },
      { path: '/maint', body: {} },
    ]);
    await client.request({ url: url('/maint') });
    expect(sleeps).toEqual([30_000]);
  });

  it('throws a RateLimitError instead of waiting longer than maxWaitMs', async () => {
    const { client, url, sleeps, server } = await setup([{ path: '/limited', status: 429, headers: { 'retry-after': '900' } }]);
    const error = await failure(client.request({ url: url('/limited?q=1') }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toBe(`hackernews: rate limited by ${url('/limited')}; retry after 15m`);
    expect((error as RateLimitError).retryAfterMs).toBe(900_000);
    expect(error.status).toBe(429);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('counts every rate-limit wait against one budget per client', async () => {
    const { client, url, sleeps } = await setup([
      { path: '/a', status: 429, headers: { 'retry-after': '40' }, times: 1 },
      { path: '/a', body: {} },
      { path: '/b', status: 429, headers: { 'retry-after': '40' } },
    ]);
    await client.request({ url: url('/a') });
    await expect(client.request({ url: url('/b') })).rejects.toBeInstanceOf(RateLimitError);
    expect(sleeps).toEqual([40_000]);
  });

  it('derives the 429 wait from reset headers when there is no Retry-After (X)', async () => {
    const reset = String(NOW / 1000 + 20);
    const { client, url, sleeps } = await setup([
      { path: '/2/tweets/search/recent', status: 429, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset }, times: 1 },
      { path: '/2/tweets/search/recent', body: { data: [] } },
    ]);
    await client.request({ url: url('/2/tweets/search/recent') });
    expect(sleeps).toEqual([20_000]);
  });

  // GitHub answers its limits with 403 as often as 429 (docs.github.com, "Rate limits for the REST API"): the
  // primary limit with x-ratelimit-remaining: 0 and a reset time, a secondary limit with Retry-After or only
  // a message saying so (wait at least a minute). A 403 without any of these is an ordinary refusal.
  it('waits for Retry-After on a 403 (GitHub secondary limit), then retries', async () => {
    const { client, url, sleeps } = await setup([
      { path: '/search/issues', status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, times: 1 },
      { path: '/search/issues', body: { items: [] } },
    ]);
    expect((await client.request({ url: url('/search/issues') })).json()).toEqual({ items: [] });
    expect(sleeps).toEqual([30_000]);
  });

  it('waits for the reset of a used-up window on a 403 (GitHub primary limit)', async () => {
    const reset = String(NOW / 1000 + 45);
    const { client, url, sleeps } = await setup([
      { path: '/users/octocat', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'core' }, body: { message: 'API rate limit exceeded for 203.0.113.7.' }, times: 1 },
      { path: '/users/octocat', body: { login: 'octocat' } },
    ]);
    await client.request({ url: url('/users/octocat') });
    expect(sleeps).toEqual([45_000]);
  });

  it('a 403 that says "secondary rate limit" without headers waits a minute, or stops the source for this run', async () => {
    const body = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };
    const { client, url, sleeps, server } = await setup([{ path: '/search/issues', status: 403, body }], { maxWaitMs: 30_000 });
    const error = await failure(client.request({ url: url('/search/issues') }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toBe(`hackernews: rate limited by ${url('/search/issues')}; retry after 60s`);
    expect(error.status).toBe(403);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a 403 without rate-limit headers or message is a refusal: not retried', async () => {
    const { client, url, server } = await setup([{ path: '/repos/x/y', status: 403, headers: { 'x-ratelimit-remaining': '4999' }, body: { message: 'Resource not accessible by integration' } }]);
    const error = await failure(client.request({ url: url('/repos/x/y') }));
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect(error.message).toBe(`hackernews: GET ${url('/repos/x/y')} 403 Forbidden`);
    expect(server.requests).toHaveLength(1);
  });

  it('backs off briefly on a bare 429 and gives up after a few waits', async () => {
    const { client, url, sleeps, server } = await setup([{ path: '/bare', status: 429 }]);
    const error = await failure(client.request({ url: url('/bare') }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(/^hackernews: rate limited by .*\/bare; still 429 after 3 waits/);
    expect(sleeps).toEqual([1_000, 1_500, 2_500]);
    expect(server.requests).toHaveLength(4);
  });

  it('waits before the next request when the window is used up (Reddit headers)', async () => {
    const { client, url, sleeps, server } = await setup([
      { path: '/search', body: { data: 1 }, headers: { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '20', 'x-ratelimit-used': '1000' } },
    ]);
    await client.request({ url: url('/search') });
    expect(sleeps).toEqual([]);
    await client.request({ url: url('/search') });
    expect(sleeps).toEqual([20_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('throws without sending when the used-up window resets too late', async () => {
    const { client, url, server } = await setup(
      [{ path: '/search', body: {}, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '600' } }],
      { maxWaitMs: 10_000 },
    );
    await client.request({ url: url('/search') });
    const error = await failure(client.request({ url: url('/search') }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(600_000);
    expect(error.message).toMatch(/retry after 10m \(rate-limit window used up\)$/);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a body whose content-length is over the cap without retrying', async () => {
    const { client, url, server } = await setup([{ path: '/big', body: 'x'.repeat(2_000) }], { maxBodyBytes: 1_000 });
    const error = await failure(client.request({ url: url('/big') }));
    expect(error.message).toBe(`hackernews: GET ${url('/big')}: response body over 1000 bytes`);
    expect(server.requests).toHaveLength(1);
  });

  it('stops reading an endless body without content-length at the cap', async () => {
    const { client, url } = await setup([{ path: '/flood', flood: 1_000_000_000 }], { maxBodyBytes: 100_000 });
    const before = process.memoryUsage().rss;
    const error = await failure(client.request({ url: url('/flood') }));
    expect(error.message).toMatch(/response body over 100000 bytes$/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200_000_000);
  });

  it('decodes gzip and brotli bodies', async () => {
    const payload = { items: [{ title: 'Ünïcode' }], quota_remaining: 299 };
    const { client, url } = await setup([
      { path: '/gz', body: gzipSync(JSON.stringify(payload)), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
      { path: '/br', body: brotliCompressSync(JSON.stringify(payload)), headers: { 'content-type': 'application/json', 'content-encoding': 'br' } },
    ]);
    expect((await client.request({ url: url('/gz') })).json()).toEqual(payload);
    expect((await client.request({ url: url('/br') })).json()).toEqual(payload);
  });

  it('applies the cap to the decompressed size (zip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(20_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    const { client, url } = await setup([{ path: '/bomb', body: bomb, headers: { 'content-encoding': 'gzip' } }], { maxBodyBytes: 1_000_000 });
    const error = await failure(client.request({ url: url('/bomb') }));
    expect(error.message).toMatch(/response body over 1000000 bytes$/);
  });

  it('json() on an HTML block page names the URL and the content type', async () => {
    const html = '<!doctype html>\n<html>\n  <head><title>Blocked</title></head>\n  <body>whoa there, pardner! You\u0007ve been blocked by network security.</body></html>';
    const { client, url } = await setup([{ path: '/search.json', body: html, headers: { 'content-type': 'text/html; charset=utf-8' } }], { name: 'reddit' });
    const res = await client.request({ url: url('/search.json?q=acme') });
    const error = await failure(Promise.resolve().then(() => res.json()));
    expect(error.message).toBe(
      `reddit: GET ${url('/search.json?q=acme')}: expected JSON, got text/html ("<!doctype html> <html> <head><title>Blocked</title></head> <")`,
    );
    expect(error.url).toBe(url('/search.json?q=acme'));
  });

  it('json() on malformed JSON names the URL', async () => {
    const { client, url } = await setup([{ path: '/bad', body: '{"hits": [', headers: { 'content-type': 'application/json' } }]);
    const res = await client.request({ url: url('/bad') });
    const error = await failure(Promise.resolve().then(() => res.json()));
    expect(error.message).toMatch(new RegExp(`^hackernews: GET ${escape(url('/bad'))}: malformed JSON \\(`));
  });

  it('scrubs secrets from error messages and URLs', async () => {
    const secret = 'k3y+s3cr/t';
    const { client, url } = await setup(
      [
        { path: '/2.3/search', status: 500, body: `bad key ${secret}` },
        { path: '/html', body: `<p>key=${secret}</p>`, headers: { 'content-type': 'text/html' } },
        { path: '/limited', status: 429, headers: { 'retry-after': '3600' } },
      ],
      { name: 'stackexchange', secrets: [secret], retries: 0 },
    );
    const q = `key=${encodeURIComponent(secret)}`;
    const errors = [
      await failure(client.request({ url: url(`/2.3/search?${q}&site=stackoverflow`) })),
      await failure(client.request({ url: url(`/html?${q}`) }).then((res) => res.json())),
      await failure(client.request({ url: url(`/limited?${q}`) })),
    ];
    for (const error of errors) {
      expect(`${error.message} ${error.url} ${error.body ?? ''}`).not.toContain(secret);
      expect(`${error.message} ${error.url}`).not.toContain(encodeURIComponent(secret));
      expect(error.message).toMatch(/^stackexchange: /);
    }
    expect(errors[0]?.url).toBe(url('/2.3/search?key=***&site=stackoverflow'));
    expect(errors[0]?.body).toBe('bad key ***');
    expect(errors[1]?.message).toContain('("<p>key=***</p>")');
  });

  it('rejects with an InterruptedError when the signal aborts', async () => {
    const controller = new AbortController();
    const { client, url } = await setup([{ path: '/slow', delayMs: 5_000, body: {} }], { signal: controller.signal, sleep: undefined });
    const pending = client.request({ url: url('/slow') });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    await expect(client.request({ url: url('/slow') })).rejects.toBeInstanceOf(InterruptedError);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('secret scrubbing of query strings built by joinUrl', () => {
  it('hides a key with characters that URLSearchParams encodes differently from encodeURIComponent', async () => {
    const { joinUrl } = await import('../../src/http/url.js');
    const server = await startReplayServer([{ path: '/x', status: 400, body: 'bad' }]);
    try {
      const key = 'abc((def) x';
      const client = createHttpClient({ name: 'se', userAgent: 't', timeoutMs: 2000, retries: 0, maxBodyBytes: 1000, maxWaitMs: 0, secrets: [key] });
      const error = await client.request({ url: joinUrl(server.url, '/x', { key }) }).catch((e: Error) => e);
      expect((error as Error).message).toContain('key=***');
      expect((error as Error).message).not.toContain('abc');
    } finally {
      await server.close();
    }
  });
});
