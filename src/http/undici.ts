/**
 * undici's `request()`, loaded lean. The package root also loads fetch, WebSocket, EventSource, the mock
 * agents and the caches (about 140 ms on every start of `poll`); `request()` needs only its API function and
 * the global Agent (about 45 ms). `npm run bench` measures poll start-up. If a later undici moves these
 * files, the package root is loaded instead: slower, never broken.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

export type RequestOptions = { dispatcher?: Dispatcher } & Omit<Dispatcher.RequestOptions, 'origin' | 'path'>;
export type UndiciRequest = (url: string, options: RequestOptions) => Promise<Dispatcher.ResponseData>;

/**
 * The same contract as `import { request } from 'undici'` for an absolute URL string. Loaded with this module
 * (the commands that import the HTTP client all make requests), not on the first request, when the sources
 * of a poll are already waiting for it.
 */
export const undiciRequest: UndiciRequest = loadLean() ?? (createRequire(import.meta.url)('undici') as { request: UndiciRequest }).request;

function loadLean(): UndiciRequest | undefined {
  const require = createRequire(import.meta.url);
  try {
    const apiRequest = require('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
    const { getGlobalDispatcher } = require('undici/lib/global.js') as { getGlobalDispatcher(): Dispatcher };
    if (typeof apiRequest !== 'function' || typeof getGlobalDispatcher !== 'function') return undefined;
    // What the package root's request() does for a URL string (undici/index.js, makeDispatcher).
    return (url, { dispatcher, ...options }) => {
      const target = new URL(url);
      return apiRequest.call(dispatcher ?? getGlobalDispatcher(), {
        ...options,
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
      });
    };
  } catch {
    return undefined;
  }
}
