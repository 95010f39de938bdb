import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, startReplayServer, type ReplayServer } from './replay-server.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startReplayServer', () => {
  it('serves an object body as JSON and records the request', async () => {
    server = await startReplayServer([{ path: '/api/v1/search', query: { q: 'acme' }, body: { hits: [] } }]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/v1/search?q=acme&page=2`, { headers: { 'user-agent': 'test/1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ hits: [] });
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/api/v1/search', query: { q: 'acme', page: '2' }, body: '' }),
    ]);
    expect(server.requests[0]?.headers['user-agent']).toBe('test/1');
    server.assertDone();
  });

  it('tries routes in order and moves on once `times` is used up', async () => {
    server = await startReplayServer([
      { path: '/x', status: 503, body: 'busy', times: 2 },
      { path: '/x', body: { ok: true } },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/x`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([503, 503, 200, 200]);
    server.assertDone();
  });

  it('matches method, path and listed query params; records POST bodies', async () => {
    server = await startReplayServer();
    server.add({ method: 'POST', path: '/token', body: { access_token: 't' } });
    const res = await fetch(`${server.url}/token`, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(await res.json()).toEqual({ access_token: 't' });
    expect(server.requests[0]?.body).toBe('grant_type=client_credentials');
    server.assertDone();
  });

  it('answers an unknown request 599, records it and fails assertDone', async () => {
    server = await startReplayServer([{ path: '/known', query: { q: 'a' }, body: {} }]);
    const res = await fetch(`${server.url}/known?q=b`);
    expect(res.status).toBe(599);
    expect(await res.text()).toContain('GET /known?q=b');
    expect(server.unmatched).toHaveLength(1);
    expect(() => server?.assertDone()).toThrow(/unmatched request: GET \/known\?q=b[\s\S]*route never requested: GET \/known\?q=a/);
  });

  it('does not require routes with times: 0', async () => {
    server = await startReplayServer([{ path: '/never', times: 0 }]);
    server.assertDone();
  });

  it('serves fixture files with a content type from the extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const file = join(dir, 'page.html');
    writeFileSync(file, '<html>blocked</html>');
    server = await startReplayServer([{ path: '/blocked', status: 403, file, headers: { 'X-Custom': '1' } }]);
    const res = await fetch(`${server.url}/blocked`);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-custom')).toBe('1');
    expect(await res.text()).toBe('<html>blocked</html>');
    expect(fixturePath('reddit', 'search.json')).toMatch(/test[\\/]fixtures[\\/]reddit[\\/]search\.json$/);
  });

  it('destroys the socket, truncates, floods and delays on request', async () => {
    server = await startReplayServer([
      { path: '/destroy', destroy: true },
      { path: '/truncate', body: { text: 'x'.repeat(1000) }, truncate: true },
      { path: '/flood', flood: 300_000 },
      { path: '/slow', delayMs: 30, body: 'late' },
    ]);
    await expect(fetch(`${server.url}/destroy`)).rejects.toThrow();
    const truncated = await fetch(`${server.url}/truncate`);
    await expect(truncated.text()).rejects.toThrow();
    const flooded = await fetch(`${server.url}/flood`);
    expect(flooded.headers.get('content-length')).toBeNull();
    expect((await flooded.arrayBuffer()).byteLength).toBe(300_000);
    expect(await (await fetch(`${server.url}/slow`)).text()).toBe('late');
    server.assertDone();
  });

  it('closes promptly with keep-alive sockets and pending delays', async () => {
    server = await startReplayServer([{ path: '/ok', body: {} }, { path: '/hang', delayMs: 60_000 }]);
    await (await fetch(`${server.url}/ok`)).arrayBuffer();
    const hanging = fetch(`${server.url}/hang`).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 20));
    await server.close();
    server = undefined;
    expect(await hanging).toBeInstanceOf(Error);
  });
});
