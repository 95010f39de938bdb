/** The config file's defaults and its hand-written validator: every problem is reported with its JSON path. */
import { SOURCE_TYPES, type SourceType } from '../types.js';
import type { ClassifyConfig, Config, NotifyConfig, PollConfig, SourceConfig, TriageConfig } from './types.js';

export const DEFAULT_TRIAGE: TriageConfig = { slaHours: 24, reachWeight: 1, ageWeight: 5 };
export const DEFAULT_POLL: PollConfig = {
  concurrency: 4,
  timeoutSeconds: 20,
  retries: 3,
  lookbackHours: 72,
  maxWaitSeconds: 60,
  threadChecks: 50,
  answerWindowHours: 168,
  staleHours: 24,
  maxResponseBytes: 10 * 1024 * 1024,
};
export const DEFAULT_CLASSIFY: ClassifyConfig = { extraWords: {}, complaintPhrases: [] };

/** Default environment variable names for credentials that a source needs. */
export const DEFAULT_ENV_NAMES = {
  reddit: { clientIdEnv: 'REDDIT_CLIENT_ID', clientSecretEnv: 'REDDIT_CLIENT_SECRET' },
  bluesky: { identifierEnv: 'BLUESKY_IDENTIFIER', passwordEnv: 'BLUESKY_APP_PASSWORD' },
  x: { bearerTokenEnv: 'X_BEARER_TOKEN' },
} as const;

type Kind = 'string' | 'url' | 'env' | 'strings' | 'boolean' | 'positive' | 'nonnegative' | 'count' | 'words';

interface Field {
  kind: Kind;
  required?: boolean;
}

const COMMON_SOURCE_FIELDS: Record<string, Field> = {
  type: { kind: 'string', required: true },
  name: { kind: 'string' },
  baseUrl: { kind: 'url' },
  keywords: { kind: 'strings' },
  enabled: { kind: 'boolean' },
};

const SOURCE_FIELDS: Record<SourceType, Record<string, Field>> = {
  hackernews: {},
  reddit: {
    clientIdEnv: { kind: 'env' },
    clientSecretEnv: { kind: 'env' },
    usernameEnv: { kind: 'env' },
    passwordEnv: { kind: 'env' },
    subreddits: { kind: 'strings' },
    userAgent: { kind: 'string' },
    authUrl: { kind: 'url' },
  },
  mastodon: { tokenEnv: { kind: 'env' }, hashtags: { kind: 'strings' } },
  bluesky: { identifierEnv: { kind: 'env' }, passwordEnv: { kind: 'env' } },
  x: { bearerTokenEnv: { kind: 'env' } },
  github: { tokenEnv: { kind: 'env' } },
  stackexchange: { site: { kind: 'string' }, keyEnv: { kind: 'env' } },
  rss: { url: { kind: 'url' }, urlEnv: { kind: 'env' } },
};

/** Credential variables of a source: which option names them, and whether the source cannot work without it. */
export function credentialVariables(source: SourceConfig): { option: string; variable: string; required: boolean }[] {
  const out: { option: string; variable: string; required: boolean }[] = [];
  const add = (option: string, variable: string | undefined, required: boolean): void => {
    if (variable) out.push({ option, variable, required });
  };
  switch (source.type) {
    case 'reddit':
      add('clientIdEnv', source.clientIdEnv, true);
      add('clientSecretEnv', source.clientSecretEnv, true);
      add('usernameEnv', source.usernameEnv, true);
      add('passwordEnv', source.passwordEnv, true);
      break;
    case 'bluesky':
      add('identifierEnv', source.identifierEnv, true);
      add('passwordEnv', source.passwordEnv, true);
      break;
    case 'x':
      add('bearerTokenEnv', source.bearerTokenEnv, true);
      break;
    case 'mastodon':
    case 'github':
      // Optional, but named explicitly: an unset variable is almost always a mistake.
      add('tokenEnv', source.tokenEnv, true);
      break;
    case 'stackexchange':
      add('keyEnv', source.keyEnv, true);
      break;
    case 'rss':
      add('urlEnv', source.urlEnv, true);
      break;
    default:
      break;
  }
  return out;
}

/** Shorter than this, a piece of a secret URL is not scrubbed on its own (it would blank out common text). */
const MIN_SECRET_PIECE = 8;
/** A path segment or query value at least this long in a secret URL is taken for a key and scrubbed on its own. */
const MIN_SECRET_TOKEN = 16;

/**
 * What must never appear in an error or a log line of this source: its credentials' values and, for a
 * credential that is a URL (an RSS feed whose address is its key), also that URL without its query, its
 * path with the query (the forms in which errors name endpoints: `https://host/path`, or the path under a
 * `baseUrl`), and each long path segment or query value (a key a server may quote on its own).
 */
export function secretsOf(source: SourceConfig, env: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  for (const { variable } of credentialVariables(source)) {
    const value = env[variable];
    if (!value) continue;
    out.add(value);
    if (!/^https?:\/\//i.test(value)) continue;
    try {
      const url = new URL(value);
      for (const piece of [`${url.origin}${url.pathname}`, `${url.pathname}${url.search}`, url.search.slice(1)]) {
        if (piece.length >= MIN_SECRET_PIECE && piece !== url.origin && piece !== `${url.origin}/`) out.add(piece);
      }
      for (const token of [...url.pathname.split('/'), ...url.searchParams.values()]) {
        if (token.length >= MIN_SECRET_TOKEN) out.add(token);
      }
    } catch {
      // not a URL after all: its value alone is scrubbed
    }
  }
  return [...out];
}

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkField(path: string, value: unknown, kind: Kind, problems: Problems): boolean {
  const fail = (expected: string): false => {
    problems.add(path, `expected ${expected}, got ${describe(value)}`);
    return false;
  };
  switch (kind) {
    case 'string':
      return (typeof value === 'string' && value.trim() !== '') || fail('a non-empty string');
    case 'env':
      return (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) ||
        fail('the name of an environment variable (letters, digits, _), not the secret itself');
    case 'url': {
      if (typeof value !== 'string') return fail('a URL');
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        problems.add(path, `not a URL: ${JSON.stringify(value)}`);
        return false;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        problems.add(path, `expected an http(s) URL, got ${JSON.stringify(value)}`);
        return false;
      }
      if (url.username || url.password) {
        problems.add(path, 'a URL must not carry credentials; name an environment variable instead');
        return false;
      }
      return true;
    }
    case 'strings':
      if (!Array.isArray(value)) return fail('an array of strings');
      value.forEach((item, i) => {
        if (typeof item !== 'string' || item.trim() === '') problems.add(`${path}[${i}]`, `expected a non-empty string, got ${describe(item)}`);
      });
      return true;
    case 'boolean':
      return typeof value === 'boolean' || fail('true or false');
    case 'positive':
      return (typeof value === 'number' && Number.isFinite(value) && value > 0) || fail('a number above 0');
    case 'nonnegative':
      return (typeof value === 'number' && Number.isFinite(value) && value >= 0) || fail('a number of 0 or more');
    case 'count':
      return (typeof value === 'number' && Number.isInteger(value) && value >= 0) || fail('a whole number of 0 or more');
    case 'words':
      if (!isRecord(value)) return fail('an object of word → score');
      for (const [word, score] of Object.entries(value)) {
        if (typeof score !== 'number' || !Number.isFinite(score)) problems.add(`${path}.${word}`, `expected a number, got ${describe(score)}`);
      }
      return true;
  }
}

function checkObject(path: string, value: unknown, fields: Record<string, Field>, problems: Problems): Record<string, unknown> | undefined {
  if (!isRecord(value)) {
    problems.add(path, `expected an object, got ${describe(value)}`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const field = fields[key];
    const itemPath = `${path}.${key}`;
    if (!field) {
      problems.add(itemPath, `unknown field (known: ${Object.keys(fields).join(', ')})`);
      continue;
    }
    if (checkField(itemPath, item, field.kind, problems)) out[key] = item;
  }
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && !(key in value)) problems.add(`${path}.${key}`, 'required field is missing');
  }
  return out;
}

const TOP_FIELDS = new Set(['$schema', 'brand', 'database', 'sources', 'triage', 'poll', 'classify', 'notify']);

/**
 * Validates a parsed config file and fills in defaults. Returns the config, or the list of problems
 * (one line each, starting with the JSON path).
 */
export function validateConfig(raw: unknown): { config?: Config; problems: string[] } {
  const problems = new Problems();
  if (!isRecord(raw)) return { problems: [`(root): expected a JSON object, got ${describe(raw)}`] };
  for (const key of Object.keys(raw)) {
    if (!TOP_FIELDS.has(key)) problems.add(key, `unknown field (known: ${[...TOP_FIELDS].filter((k) => k !== '$schema').join(', ')})`);
  }

  // brand
  let brand: Config['brand'] = { name: '', keywords: [], exclude: [], accounts: {} };
  if (!('brand' in raw)) problems.add('brand', 'required field is missing');
  else {
    const rb = isRecord(raw.brand) ? raw.brand : undefined;
    if (!rb) problems.add('brand', `expected an object, got ${describe(raw.brand)}`);
    else {
      const known = ['name', 'keywords', 'exclude', 'accounts'];
      for (const key of Object.keys(rb)) if (!known.includes(key)) problems.add(`brand.${key}`, `unknown field (known: ${known.join(', ')})`);
      if (!('name' in rb)) problems.add('brand.name', 'required field is missing');
      else checkField('brand.name', rb.name, 'string', problems);
      if ('keywords' in rb) checkField('brand.keywords', rb.keywords, 'strings', problems);
      if ('exclude' in rb) checkField('brand.exclude', rb.exclude, 'strings', problems);
      const accounts: Partial<Record<SourceType, string[]>> = {};
      if ('accounts' in rb) {
        if (!isRecord(rb.accounts)) problems.add('brand.accounts', `expected an object of platform → account list, got ${describe(rb.accounts)}`);
        else {
          for (const [platform, list] of Object.entries(rb.accounts)) {
            if (!(SOURCE_TYPES as readonly string[]).includes(platform)) {
              problems.add(`brand.accounts.${platform}`, `unknown platform (known: ${SOURCE_TYPES.join(', ')})`);
            } else if (checkField(`brand.accounts.${platform}`, list, 'strings', problems)) {
              accounts[platform as SourceType] = (list as string[]).map((a) => a.trim().replace(/^@/, ''));
            }
          }
        }
      }
      const name = typeof rb.name === 'string' ? rb.name.trim() : '';
      const keywords = Array.isArray(rb.keywords) ? (rb.keywords as unknown[]).filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim()) : [];
      if (Array.isArray(rb.keywords) && rb.keywords.length === 0) problems.add('brand.keywords', 'expected at least one keyword (or leave it out to use brand.name)');
      const exclude = Array.isArray(rb.exclude) ? (rb.exclude as unknown[]).filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim()) : [];
      brand = { name, keywords: keywords.length > 0 ? keywords : name ? [name] : [], exclude, accounts };
    }
  }

  // database
  let database: string | undefined;
  if ('database' in raw) {
    if (checkField('database', raw.database, 'string', problems)) database = raw.database as string;
  }

  // sources
  const sources: SourceConfig[] = [];
  if ('sources' in raw) {
    if (!Array.isArray(raw.sources)) problems.add('sources', `expected an array, got ${describe(raw.sources)}`);
    else {
      const names = new Map<string, number>();
      raw.sources.forEach((item: unknown, i: number) => {
        const path = `sources[${i}]`;
        if (!isRecord(item)) {
          problems.add(path, `expected an object, got ${describe(item)}`);
          return;
        }
        const type = item.type;
        if (typeof type !== 'string' || !(SOURCE_TYPES as readonly string[]).includes(type)) {
          problems.add(`${path}.type`, 'type' in item ? `unknown source type ${JSON.stringify(type)} (known: ${SOURCE_TYPES.join(', ')})` : `required field is missing (one of: ${SOURCE_TYPES.join(', ')})`);
          return;
        }
        const fields = { ...COMMON_SOURCE_FIELDS, ...SOURCE_FIELDS[type as SourceType] };
        const checked = checkObject(path, item, fields, problems);
        if (!checked) return;
        const name = typeof checked.name === 'string' ? checked.name : type;
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
          problems.add(`${path}.name`, `${JSON.stringify(name)} may contain only letters, digits, ".", "_" and "-" (it prefixes mention ids)`);
        }
        const previous = names.get(name);
        if (previous !== undefined) {
          problems.add(`${path}.name`, `duplicate source name ${JSON.stringify(name)} (also sources[${previous}]); give one of them a "name"`);
        } else names.set(name, i);
        const source = { ...checked, type, name, enabled: checked.enabled !== false } as Record<string, unknown>;
        if (type === 'reddit') {
          source.clientIdEnv ??= DEFAULT_ENV_NAMES.reddit.clientIdEnv;
          source.clientSecretEnv ??= DEFAULT_ENV_NAMES.reddit.clientSecretEnv;
          if (('usernameEnv' in source) !== ('passwordEnv' in source)) {
            problems.add(`${path}.${'usernameEnv' in source ? 'passwordEnv' : 'usernameEnv'}`, 'usernameEnv and passwordEnv go together (a script app logs in with both)');
          }
          if (Array.isArray(source.subreddits)) source.subreddits = (source.subreddits as string[]).map((s) => s.replace(/^\/?r\//, ''));
        }
        if (type === 'bluesky') {
          source.identifierEnv ??= DEFAULT_ENV_NAMES.bluesky.identifierEnv;
          source.passwordEnv ??= DEFAULT_ENV_NAMES.bluesky.passwordEnv;
        }
        if (type === 'x') source.bearerTokenEnv ??= DEFAULT_ENV_NAMES.x.bearerTokenEnv;
        if (type === 'stackexchange') source.site ??= 'stackoverflow';
        if (type === 'rss' && ('url' in item) === ('urlEnv' in item)) {
          problems.add(
            `${path}.url`,
            'url' in item ? 'give url or urlEnv, not both' : 'required field is missing (or urlEnv: the name of an environment variable holding a feed URL that is a secret)',
          );
        }
        if (type === 'mastodon' && Array.isArray(source.hashtags)) source.hashtags = (source.hashtags as string[]).map((h) => h.replace(/^#/, ''));
        sources.push(source as unknown as SourceConfig);
      });
    }
  }

  const section = <T extends object>(key: string, defaults: T, fields: Record<string, Field>): T => {
    if (!(key in raw)) return { ...defaults };
    const checked = checkObject(key, raw[key], fields, problems);
    return { ...defaults, ...(checked ?? {}) } as T;
  };
  const triage = section('triage', DEFAULT_TRIAGE, {
    slaHours: { kind: 'positive' },
    reachWeight: { kind: 'nonnegative' },
    ageWeight: { kind: 'nonnegative' },
  });
  const poll = section('poll', DEFAULT_POLL, {
    concurrency: { kind: 'count' },
    timeoutSeconds: { kind: 'positive' },
    retries: { kind: 'count' },
    lookbackHours: { kind: 'positive' },
    maxWaitSeconds: { kind: 'nonnegative' },
    threadChecks: { kind: 'count' },
    answerWindowHours: { kind: 'positive' },
    staleHours: { kind: 'positive' },
    maxResponseBytes: { kind: 'count' },
  });
  if (poll.concurrency < 1) problems.add('poll.concurrency', 'expected at least 1');
  if (poll.maxResponseBytes < 1024) problems.add('poll.maxResponseBytes', 'expected at least 1024');
  const classify = section('classify', DEFAULT_CLASSIFY, {
    extraWords: { kind: 'words' },
    complaintPhrases: { kind: 'strings' },
  });

  let notify: NotifyConfig | undefined;
  if ('notify' in raw) {
    const checked = checkObject('notify', raw.notify, NOTIFY_FIELDS, problems);
    if (checked) notify = { slaBreaches: true, spikes: true, digestSize: 5, enabled: true, ...checked } as NotifyConfig;
  }

  if (problems.list.length > 0) return { problems: problems.list };
  const config: Config = { brand, sources, triage, poll, classify };
  if (database !== undefined) config.database = database;
  if (notify !== undefined) config.notify = notify;
  return { config, problems: [] };
}

const NOTIFY_FIELDS: Record<string, Field> = {
  webhookUrlEnv: { kind: 'env', required: true },
  secretEnv: { kind: 'env' },
  minPriority: { kind: 'nonnegative' },
  slaBreaches: { kind: 'boolean' },
  spikes: { kind: 'boolean' },
  digestSize: { kind: 'count' },
  enabled: { kind: 'boolean' },
};

/** Problems with the credentials of enabled sources: one line each, naming the variable and the config path. */
export function checkCredentials(config: Config, env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  config.sources.forEach((source, i) => {
    if (!source.enabled) return;
    for (const { option, variable, required } of credentialVariables(source)) {
      if (required && !env[variable]) {
        problems.push(`sources[${i}].${option}: environment variable ${variable} is not set (source "${source.name}"); set it in the environment or .env, or set "enabled": false`);
      }
    }
  });
  const notify = config.notify;
  if (notify?.enabled) {
    for (const option of ['webhookUrlEnv', 'secretEnv'] as const) {
      const variable = notify[option];
      if (variable && !env[variable]) {
        problems.push(`notify.${option}: environment variable ${variable} is not set; set it in the environment or .env, or set "enabled": false`);
      }
    }
  }
  return problems;
}
