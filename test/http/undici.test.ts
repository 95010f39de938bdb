import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { undiciRequest } from '../../src/http/undici.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('undiciRequest', () => {
  it("sends the URL's path and query to its origin and returns undici's response", async () => {
    server = await startReplayServer();
    server.add({ path: '/api/v1/items', query: { q: 'a b' }, body: { ok: true } });
    const res = await undiciRequest(`${server.url}/api/v1/items?q=a%20b`, { method: 'GET', headers: { 'x-test': '1' } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ ok: true });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/api/v1/items', query: { q: 'a b' }, headers: { 'x-test': '1' } });
  });

  it("loads request() without the package root (fetch, WebSocket, mocks): poll's start-up depends on it", () => {
    // A fresh process, since this test runner may have loaded the package root for other tests.
    const script = `
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(`${ROOT}dist/http/undici.js`)});
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify({
        api: loaded.some((f) => f.endsWith('/undici/lib/api/api-request.js')),
        root: loaded.some((f) => f.endsWith('/undici/index.js')),
        fetch: loaded.some((f) => f.includes('/undici/lib/web/')),
      }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ api: true, root: false, fetch: false });
  });
});
