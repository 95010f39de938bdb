/**
 * The standard proxy variables, as curl, git and npm read them: `https_proxy` / `HTTPS_PROXY` for https URLs,
 * `http_proxy` / `HTTP_PROXY` for http URLs (and https ones when no https proxy is set), `no_proxy` /
 * `NO_PROXY` for hosts to reach directly (comma-separated names, `.domain` suffixes, `host:port`, `*`). The
 * lower-case name wins. Read from the environment and the .env files, like every other setting.
 *
 * When one is set, undici's global dispatcher becomes an EnvHttpProxyAgent (requests to the proxy go through
 * HTTP CONNECT), so every request of the command (sources, lookups, webhooks) uses it. A user name and password
 * in the proxy URL are secrets: `proxySecrets()` lists them for the HTTP client to scrub from its errors.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

export interface ProxySettings {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string | undefined;
}

type Env = Record<string, string | undefined>;

const pick = (env: Env, name: string): string | undefined => {
  const value = (env[name.toLowerCase()] ?? env[name.toUpperCase()])?.trim();
  return value ? value : undefined;
};

/** The proxy settings in `env`; null when no proxy is set. */
export function proxySettings(env: Env): ProxySettings | null {
  const httpProxy = pick(env, 'http_proxy');
  const httpsProxy = pick(env, 'https_proxy');
  if (!httpProxy && !httpsProxy) return null;
  return { httpProxy, httpsProxy, noProxy: pick(env, 'no_proxy') };
}

/**
 * The user information of the proxy URLs (already checked to be URLs): `user:password`, the password as written
 * and decoded, and the user name alone when it is long enough to be a key rather than a word.
 */
function credentialsOf(urls: URL[]): string[] {
  const out = new Set<string>();
  for (const url of urls) {
    if (url.password) out.add(`${url.username}:${url.password}`).add(url.password).add(decodeURIComponent(url.password));
    if (decodeURIComponent(url.username).length >= 8) out.add(url.username).add(decodeURIComponent(url.username));
  }
  return [...out];
}

let secrets: string[] = [];

/** What the HTTP client scrubs besides its own secrets: the proxy credentials in use, if any. */
export function proxySecrets(): readonly string[] {
  return secrets;
}

/**
 * Routes every later request through the proxy `env` names, if it names one; returns the settings in use (or
 * null). Throws an Error naming the variable when a proxy URL cannot be parsed.
 */
export function useProxyFromEnv(env: Env): ProxySettings | null {
  const settings = proxySettings(env);
  if (!settings) return null;
  const urls: URL[] = [];
  for (const [name, value] of [
    ['https_proxy', settings.httpsProxy],
    ['http_proxy', settings.httpProxy],
  ] as const) {
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${name}: not a URL (expected http://host:port)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name}: ${url.protocol} proxies are not supported (expected http://host:port)`);
    urls.push(url);
  }
  secrets = credentialsOf(urls);
  const { EnvHttpProxyAgent, setGlobalDispatcher } = loadUndici();
  // Empty strings, not undefined: undici would otherwise read process.env, which may differ from the .env files.
  setGlobalDispatcher(new EnvHttpProxyAgent({ httpProxy: settings.httpProxy ?? '', httpsProxy: settings.httpsProxy ?? '', noProxy: settings.noProxy ?? '' }));
  return settings;
}

interface ProxyUndici {
  EnvHttpProxyAgent: new (options: { httpProxy: string; httpsProxy: string; noProxy: string }) => Dispatcher;
  setGlobalDispatcher(dispatcher: Dispatcher): void;
}

/**
 * The package root, not the lean pieces ./undici.ts loads: the proxy agent opens its tunnels with the
 * dispatchers' connect() method, which only the package root installs (about 100 ms more, only with a proxy).
 */
function loadUndici(): ProxyUndici {
  return createRequire(import.meta.url)('undici') as ProxyUndici;
}
