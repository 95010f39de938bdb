import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/cli/version.js';
import { ROOT, createTempDir, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
beforeEach(() => {
  dir = createTempDir();
});
afterEach(() => dir.remove());

describe('the built CLI', () => {
  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const r = await runCli(['--version'], { cwd: dir.path });
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('prints help with examples and exits 0', async () => {
    const r = await runCli(['list', '--help'], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--since <when>');
    const top = await runCli(['--help'], { cwd: dir.path });
    expect(top.code).toBe(0);
    for (const command of ['init', 'config', 'list', 'show', 'import', 'export']) expect(top.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
  });

  it.each(['init', 'config check', 'poll', 'sources', 'triage', 'answer', 'ignore', 'snooze', 'assign', 'reopen', 'note', 'classify', 'reclassify', 'list', 'show', 'import', 'export'])(
    '%s --help shows examples',
    async (command) => {
      const r = await runCli([...command.split(' '), '--help'], { cwd: dir.path });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n  \$ mention-watch /);
    },
  );

  it('exits 2 on an unknown flag or command, with the error on stderr only', async () => {
    const flag = await runCli(['list', '--bogus'], { cwd: dir.path });
    expect(flag.code).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toContain("unknown option '--bogus'");
    const command = await runCli(['frobnicate'], { cwd: dir.path });
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits 2 on a bad flag value and names the flag', async () => {
    await runCli(['init'], { cwd: dir.path });
    const r = await runCli(['list', '--since', 'yesterday'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since: expected a duration like 24h or 7d');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('init', () => {
  it('writes a starter config and .env.example, creates the database with mode 0600, and never overwrites', async () => {
    const r = await runCli(['init', '--brand', 'Globex'], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const config = JSON.parse(readFileSync(join(dir.path, 'mention-watch.json'), 'utf8'));
    expect(config.brand).toMatchObject({ name: 'Globex', keywords: ['globex'] });
    expect(readFileSync(join(dir.path, '.env.example'), 'utf8')).toContain('X_BEARER_TOKEN=');
    const { statSync } = await import('node:fs');
    expect(statSync(join(dir.path, 'mentions.db')).mode & 0o777).toBe(0o600);

    dir.file('mention-watch.json', '{"brand":{"name":"Mine"}}');
    const again = await runCli(['init'], { cwd: dir.path });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; nothing was written');
    expect(readFileSync(join(dir.path, 'mention-watch.json'), 'utf8')).toBe('{"brand":{"name":"Mine"}}');

    const forced = await runCli(['init', '--force'], { cwd: dir.path });
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir.path, 'mention-watch.json'), 'utf8')).brand.name).toBe('Acme');
  });

  it('lists nothing as JSON when piped right after init', async () => {
    await runCli(['init'], { cwd: dir.path });
    const r = await runCli(['list'], { cwd: dir.path });
    expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
  });
});

describe('config check', () => {
  it('prints the resolved config with credentials masked', async () => {
    dir.file(
      'mention-watch.json',
      JSON.stringify({ brand: { name: 'Acme' }, sources: [{ type: 'x' }, { type: 'hackernews', enabled: false }] }),
    );
    const r = await runCli(['config', 'check'], { cwd: dir.path, env: { X_BEARER_TOKEN: 'sekrit-token-value' } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('sekrit');
    const resolved = JSON.parse(r.stdout);
    expect(resolved.poll.concurrency).toBe(4);
    expect(resolved.brand.keywords).toEqual(['Acme']);
    expect(resolved.credentials).toEqual([{ source: 'x', option: 'bearerTokenEnv', variable: 'X_BEARER_TOKEN', value: '**** (18 characters)' }]);
  });

  it('reads credentials from a .env beside the config, and the real environment wins', async () => {
    dir.file('mention-watch.json', JSON.stringify({ brand: { name: 'Acme' }, sources: [{ type: 'x' }] }));
    dir.file('.env', 'X_BEARER_TOKEN=from-dotenv\n');
    const fromFile = await runCli(['config', 'check'], { cwd: dir.path });
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).credentials[0].value).toBe('**** (11 characters)');
    const fromEnv = await runCli(['config', 'check'], { cwd: dir.path, env: { X_BEARER_TOKEN: 'abc' } });
    expect(JSON.parse(fromEnv.stdout).credentials[0].value).toBe('**** (3 characters)');
  });

  it('reports a missing credential with its JSON path and exits 2', async () => {
    dir.file('mention-watch.json', JSON.stringify({ brand: { name: 'Acme' }, sources: [{ type: 'hackernews' }, { type: 'x' }] }));
    const r = await runCli(['config', 'check'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources[1].bearerTokenEnv: environment variable X_BEARER_TOKEN is not set (source "x")');
  });

  it('reports every problem of an invalid config, one line each, with exit 2', async () => {
    dir.file(
      'mention-watch.json',
      JSON.stringify({
        brand: { name: 'Acme', color: 'red' },
        sources: [{ type: 'hackernews' }, { type: 'hackernews' }, { type: 'rss', url: 'not a url' }, { type: 'mastodon', baseUrl: 'ftp://x' }],
        poll: { concurrency: 'four' },
      }),
    );
    const r = await runCli(['config', 'check'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringContaining('mention-watch.json: brand.color: unknown field'),
      expect.stringContaining('sources[1].name: duplicate source name "hackernews" (also sources[0])'),
      expect.stringContaining('sources[2].url: not a URL: "not a url"'),
      expect.stringContaining('sources[3].baseUrl: expected an http(s) URL'),
      expect.stringContaining('poll.concurrency: expected a whole number of 0 or more, got string "four"'),
    ]);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    dir.file('mention-watch.json', '{\n  "brand": { "name": "Acme" },\n  "sources": [,]\n}\n');
    const r = await runCli(['config', 'check'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mention-watch\.json:3:\d+: invalid JSON/);
  });

  it('says how to start when there is no config at all', async () => {
    const r = await runCli(['config', 'check'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no config file');
    expect(r.stderr).toContain('mention-watch init');
  });

  it('finds the config through --config, $MENTION_WATCH_CONFIG and $XDG_CONFIG_HOME, in that order', async () => {
    dir.file('a.json', JSON.stringify({ brand: { name: 'FromFlag' } }));
    dir.file('b.json', JSON.stringify({ brand: { name: 'FromEnv' } }));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir.path, '.config', 'mention-watch'), { recursive: true });
    dir.file('.config/mention-watch/config.json', JSON.stringify({ brand: { name: 'FromXdg' } }));
    const name = async (args: string[], env: Record<string, string> = {}) =>
      JSON.parse((await runCli([...args, 'config', 'check'], { cwd: dir.path, env })).stdout).brand.name;
    expect(await name(['--config', 'a.json'], { MENTION_WATCH_CONFIG: 'b.json' })).toBe('FromFlag');
    expect(await name([], { MENTION_WATCH_CONFIG: 'b.json' })).toBe('FromEnv');
    expect(await name([])).toBe('FromXdg');
    dir.file('mention-watch.json', JSON.stringify({ brand: { name: 'FromCwd' } }));
    expect(await name([])).toBe('FromCwd');
  });
});
