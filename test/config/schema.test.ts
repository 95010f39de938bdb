import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCredentials, secretsOf, validateConfig } from '../../src/config/schema.js';
import { starterConfig } from '../../src/config/starter.js';
import { locateJsonError } from '../../src/config/json-position.js';
import { ROOT } from '../support/cli.js';

const valid = (extra: Record<string, unknown> = {}) => ({ brand: { name: 'Acme' }, ...extra });

describe('config validation', () => {
  it('accepts config.example.json on a fresh machine with no credentials, and it is the starter config for Acme', () => {
    const example = JSON.parse(readFileSync(join(ROOT, 'config.example.json'), 'utf8'));
    expect(example).toEqual(starterConfig('Acme'));
    const { config, problems } = validateConfig(example);
    expect(problems).toEqual([]);
    expect(checkCredentials(config!, {})).toEqual([]);
    expect(config!.sources.filter((s) => s.enabled).map((s) => s.type)).toEqual(['hackernews', 'stackexchange', 'rss']);
  });

  it('accepts the issue example and fills in defaults', () => {
    const { config, problems } = validateConfig({
      brand: {
        name: 'Acme',
        keywords: ['acme', 'acme cloud'],
        exclude: ['acme anvil'],
        accounts: { x: ['acme', 'acmesupport'], mastodon: ['acme@mastodon.social'], bluesky: ['acme.com'], reddit: ['acme_official'], hackernews: ['acmehq'], github: ['acme-bot'], stackexchange: ['12345'] },
      },
      database: './mentions.db',
      sources: [
        { type: 'hackernews' },
        { type: 'reddit', subreddits: ['sysadmin'] },
        { type: 'mastodon', name: 'fosstodon', baseUrl: 'https://fosstodon.org', tokenEnv: 'FOSSTODON_TOKEN' },
        { type: 'rss', name: 'google-alerts', url: 'https://www.google.com/alerts/feeds/1/2' },
      ],
      triage: { slaHours: 24, reachWeight: 1, ageWeight: 5 },
      poll: { concurrency: 4, timeoutSeconds: 20, retries: 3, lookbackHours: 72 },
    });
    expect(problems).toEqual([]);
    expect(config!.sources.map((s) => s.name)).toEqual(['hackernews', 'reddit', 'fosstodon', 'google-alerts']);
    expect(config!.sources[1]).toMatchObject({ clientIdEnv: 'REDDIT_CLIENT_ID', clientSecretEnv: 'REDDIT_CLIENT_SECRET', enabled: true });
    expect(config!.poll.threadChecks).toBe(50);
    expect(checkCredentials(config!, { FOSSTODON_TOKEN: 't' })).toEqual([
      'sources[1].clientIdEnv: environment variable REDDIT_CLIENT_ID is not set (source "reddit"); set it in the environment or .env, or set "enabled": false',
      'sources[1].clientSecretEnv: environment variable REDDIT_CLIENT_SECRET is not set (source "reddit"); set it in the environment or .env, or set "enabled": false',
    ]);
  });

  it.each([
    [{}, 'brand: required field is missing'],
    [{ brand: { name: 'A' }, extra: 1 }, 'extra: unknown field'],
    [valid({ sources: [{ type: 'myspace' }] }), 'sources[0].type: unknown source type "myspace"'],
    [valid({ sources: [{}] }), 'sources[0].type: required field is missing'],
    [valid({ sources: [{ type: 'rss' }] }), 'sources[0].url: required field is missing (or urlEnv'],
    [valid({ sources: [{ type: 'rss', url: 'https://a.org/f', urlEnv: 'FEED' }] }), 'sources[0].url: give url or urlEnv, not both'],
    [valid({ sources: [{ type: 'rss', urlEnv: 'https://a.org/f?key=1' }] }), 'sources[0].urlEnv: expected the name of an environment variable'],
    [valid({ sources: [{ type: 'hackernews', baseUrl: 'nope' }] }), 'sources[0].baseUrl: not a URL: "nope"'],
    [valid({ sources: [{ type: 'hackernews', baseUrl: 'https://u:p@x.org' }] }), 'sources[0].baseUrl: a URL must not carry credentials'],
    [valid({ sources: [{ type: 'x', bearerTokenEnv: 'AAAA-secret token' }] }), 'sources[0].bearerTokenEnv: expected the name of an environment variable'],
    [valid({ sources: [{ type: 'x', bearerToken: 'abc' }] }), 'sources[0].bearerToken: unknown field'],
    [valid({ sources: [{ type: 'rss', url: 'https://a.org/f', name: 'a' }, { type: 'rss', url: 'https://b.org/f', name: 'a' }] }), 'sources[1].name: duplicate source name "a"'],
    [valid({ sources: [{ type: 'hackernews', name: 'hn:1' }] }), 'sources[0].name: "hn:1" may contain only'],
    [valid({ sources: [{ type: 'hackernews', enabled: 'yes' }] }), 'sources[0].enabled: expected true or false'],
    [valid({ sources: [{ type: 'reddit', usernameEnv: 'U' }] }), 'sources[0].passwordEnv: usernameEnv and passwordEnv go together'],
    [valid({ triage: { slaHours: 0 } }), 'triage.slaHours: expected a number above 0'],
    [valid({ poll: { concurrency: 0 } }), 'poll.concurrency: expected at least 1'],
    [valid({ poll: { retries: 1.5 } }), 'poll.retries: expected a whole number'],
    [valid({ classify: { extraWords: { meh: 'bad' } } }), 'classify.extraWords.meh: expected a number'],
    [{ brand: { name: 'A', accounts: { myspace: ['a'] } } }, 'brand.accounts.myspace: unknown platform'],
    [{ brand: { name: 'A', keywords: [] } }, 'brand.keywords: expected at least one keyword'],
    [[], '(root): expected a JSON object'],
  ])('%j → %s', (raw, message) => {
    const { config, problems } = validateConfig(raw);
    expect(config).toBeUndefined();
    expect(problems.join('\n')).toContain(message);
  });

  it('a disabled source needs no credentials', () => {
    const { config } = validateConfig(valid({ sources: [{ type: 'x', enabled: false }] }));
    expect(checkCredentials(config!, {})).toEqual([]);
  });
});

describe('secretsOf', () => {
  it("is a source's credential values, and a URL credential also as the endpoint and the path errors show", () => {
    const env = { FEED: 'https://alerts.example/rss/9f8e7d6c5b4a3928?lang=en&token=c0ffee12', KEY: 'se-key-123', UNUSED: 'x' };
    expect(secretsOf({ type: 'rss', name: 'a', enabled: true, urlEnv: 'FEED' }, env)).toEqual([
      'https://alerts.example/rss/9f8e7d6c5b4a3928?lang=en&token=c0ffee12',
      'https://alerts.example/rss/9f8e7d6c5b4a3928',
      '/rss/9f8e7d6c5b4a3928?lang=en&token=c0ffee12',
      'lang=en&token=c0ffee12',
      '9f8e7d6c5b4a3928',
    ]);
    expect(secretsOf({ type: 'stackexchange', name: 's', enabled: true, site: 'stackoverflow', keyEnv: 'KEY' }, env)).toEqual(['se-key-123']);
    expect(secretsOf({ type: 'rss', name: 'a', enabled: true, url: 'https://public.example/feed' }, env)).toEqual([]);
  });

  it('never scrubs a piece short enough to be common text', () => {
    expect(secretsOf({ type: 'rss', name: 'a', enabled: true, urlEnv: 'FEED' }, { FEED: 'https://a.example/?k=1' })).toEqual(['https://a.example/?k=1']);
  });
});

describe('locateJsonError', () => {
  it.each([
    ['{"a": 1}', null],
    ['{"a": 1,}', 8],
    ['[1,,2]', 3],
    ['{"a" 1}', 5],
    ['{"a": "x\ny"}', 8],
    ['{"a": tru}', 6],
    ['{"a": 1', 7],
    ['{} x', 3],
  ])('%j → offset %s', (text, offset) => {
    const problem = locateJsonError(text);
    if (offset === null) expect(problem).toBeNull();
    else expect(problem?.offset).toBe(offset);
  });
});
