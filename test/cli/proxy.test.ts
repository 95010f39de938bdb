/**
 * http_proxy / https_proxy / no_proxy: the built CLI polls the replay server through a local CONNECT proxy.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTempDir, runCli, type TempDir } from '../support/cli.js';

interface Proxy {
  url: string;
  /** host:port of every CONNECT it was asked for. */
  tunnels: string[];
  /** The Proxy-Authorization header of each. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A forward proxy that tunnels CONNECT requests; with `credentials`, it answers 407 to anyone without them. */
async function startProxy(credentials?: string): Promise<Proxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only');
  });
  server.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    authorizations.push(req.headers['proxy-authorization']);
    if (credentials && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    authorizations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let dir: TempDir;
let server: ReplayServer;
let proxy: Proxy | undefined;

beforeEach(async () => {
  dir = createTempDir();
  server = await startReplayServer([
    { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
    { path: '/hn/api/v1/users/bradleyjg', file: 'hackernews/user.json' },
  ]);
  dir.file(
    'mention-watch.json',
    JSON.stringify({
      brand: { name: 'Slack', keywords: ['slack', 'apple', 'sql server'], accounts: {} },
      database: './mentions.db',
      sources: [{ type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` }],
      poll: { retries: 0, timeoutSeconds: 5, maxWaitSeconds: 0, lookbackHours: 24 * 365 * 20 },
    }),
  );
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await server.close();
  dir.remove();
});

const serverHost = (): string => new URL(server.url).host;
const poll = (env: Record<string, string>) => runCli(['poll', '--json'], { cwd: dir.path, env });

describe('poll through a proxy', () => {
  it('sends every request through the proxy that http_proxy names', async () => {
    proxy = await startProxy();
    const run = await poll({ http_proxy: proxy.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).new).toBeGreaterThan(0);
    // The searches and the author lookup went through tunnels to the replay server.
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([serverHost()]));
    expect(new Set(server.requests.map((r) => r.path))).toEqual(new Set(['/hn/api/v1/search_by_date', '/hn/api/v1/users/bradleyjg']));
  });

  it('reads HTTPS_PROXY from the .env file beside the config; no_proxy names hosts reached directly', async () => {
    proxy = await startProxy();
    dir.file('.env', `HTTP_PROXY=${proxy.url}\n`);
    const through = await poll({});
    expect(through.code).toBe(0);
    expect(proxy.tunnels.length).toBeGreaterThan(0);

    proxy.tunnels.length = 0;
    const direct = await poll({ NO_PROXY: '127.0.0.1' });
    expect(direct.code).toBe(0);
    expect(proxy.tunnels).toEqual([]);
  });

  it('sends the user and password in the proxy URL, and never shows the password', async () => {
    proxy = await startProxy('watcher:pr0xy-s3cret');
    const ok = await poll({ https_proxy: 'http://unused.invalid:1', http_proxy: proxy.url.replace('//', '//watcher:pr0xy-s3cret@') });
    expect(ok.code).toBe(0);
    expect(proxy.authorizations[0]).toBe(`Basic ${Buffer.from('watcher:pr0xy-s3cret').toString('base64')}`);

    const refused = await poll({ http_proxy: proxy.url.replace('//', '//watcher:wr0ng-s3cret-pass@') });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^hackernews: /m);
    expect(refused.stderr).toMatch(/407/);
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('wr0ng-s3cret-pass');
  });

  it('a proxy variable that is not a URL is a usage error naming it (exit 2), before anything is fetched', async () => {
    const run = await poll({ https_proxy: 'proxy.example:3128' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^mention-watch: https_proxy: .*expected http:\/\/host:port/m);
    expect(server.requests).toEqual([]);
  });
});
