/**
 * The HttpClient every source uses, on undici: per-request timeout, retries with backoff and jitter,
 * Retry-After and rate-limit headers honoured within a per-run wait budget, a body size cap (applied
 * after decompression too), and error messages that start with the source name and never show secrets.
 */
import { STATUS_CODES } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { InterruptedError } from '../errors.js';
import { HttpError, RateLimitError } from './errors.js';
import { proxySecrets } from './proxy.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';
import { undiciRequest } from './undici.js';

export interface HttpClientOptions {
  /** Prefix for error messages, the source name, e.g. 'hackernews' → "hackernews: GET https://... 503 Service Unavailable". */
  name: string;
  userAgent: string;
  /** Per request attempt: connect + headers + body. */
  timeoutMs: number;
  /** Extra attempts for network errors, timeouts and 5xx. */
  retries: number;
  /** A larger body (before or after decompression) is an HttpError; reading stops at once. */
  maxBodyBytes: number;
  /**
   * Total time this client may spend waiting for rate limits (Retry-After, reset headers) during one run.
   * A wait that does not fit is a RateLimitError instead (under cron, failing fast beats sleeping).
   */
  maxWaitMs: number;
  /** Values replaced by '***' in every error message and URL in errors (tokens, keys in query strings). */
  secrets?: string[];
  defaultHeaders?: Record<string, string>;
  /** Aborts everything (SIGINT): the pending request or wait rejects with an InterruptedError. */
  signal?: AbortSignal;
  /** Default: a timer that honours `signal`. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Epoch ms, for rate-limit reset arithmetic. Default Date.now. */
  now?: () => number;
  dispatcher?: Dispatcher;
  /**
   * Awaited after a response has been read, before the caller gets it: lets a poll hand its sources'
   * responses over one per turn of the event loop (src/app/turns.ts). Default: at once.
   */
  turn?: () => Promise<void>;
}

export interface RateLimitInfo {
  /** Requests left in the window (`x-ratelimit-remaining: "996.0"` → 996). */
  remaining?: number;
  /** When the window resets, epoch ms. */
  resetAt?: number;
  /** From Retry-After (delta seconds or HTTP-date), in ms, never negative. */
  retryAfterMs?: number;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/** Rate-limit waits per request before giving up, so a server that keeps answering 429 cannot loop us. */
const MAX_RATE_LIMIT_WAITS = 3;
const MAX_REDIRECTS = 5;
const ERROR_BODY_CHARS = 500;

/**
 * Reads rate-limit state from response headers: `x-ratelimit-*` (Reddit: reset in seconds, remaining a
 * float string; GitHub: reset in epoch seconds; Mastodon: reset an ISO timestamp), `x-rate-limit-*` (X:
 * epoch seconds), `ratelimit-*` (Bluesky, IETF draft), the draft's single `ratelimit` header, and
 * `retry-after`. A numeric reset above 1e9 is epoch seconds, otherwise seconds from now.
 */
export function parseRateLimit(headers: Record<string, string | string[] | undefined>, now: number): RateLimitInfo {
  const lower: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) lower[key.toLowerCase()] = Array.isArray(value) ? (value[0] ?? '') : value;
  }
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = lower[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };

  const info: RateLimitInfo = {};
  let remaining = pick('x-ratelimit-remaining', 'x-rate-limit-remaining', 'ratelimit-remaining');
  let reset = pick('x-ratelimit-reset', 'x-rate-limit-reset', 'ratelimit-reset');
  const structured = lower['ratelimit'];
  if (structured && (remaining === undefined || reset === undefined)) {
    // draft-ietf-httpapi-ratelimit-headers: `limit=100, remaining=0, reset=30` or `"default";r=0;t=30`
    remaining ??= /(?:^|[;,\s])(?:remaining|r)=(\d+(?:\.\d+)?)/.exec(structured)?.[1];
    reset ??= /(?:^|[;,\s])(?:reset|t)=(\d+(?:\.\d+)?)/.exec(structured)?.[1];
  }

  if (remaining !== undefined) {
    const n = Number.parseFloat(remaining);
    if (Number.isFinite(n)) info.remaining = n;
  }
  if (reset !== undefined) {
    const resetAt = parseInstant(reset, now);
    if (resetAt !== undefined) info.resetAt = resetAt;
  }
  const retryAfter = pick('retry-after');
  if (retryAfter !== undefined) {
    const at = /^\d+(\.\d+)?$/.test(retryAfter) ? now + Number(retryAfter) * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) info.retryAfterMs = Math.max(0, Math.ceil(at - now));
  }
  return info;
}

function parseInstant(value: string, now: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    return n > 1e9 ? Math.round(n * 1000) : now + Math.round(n * 1000);
  }
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** "45s", "15m", "2h 5m". */
function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

/** Thrown inside an attempt when the body is over the cap: never retried. */
class BodyTooLargeError extends Error {}

/** Thrown by an attempt whose own timeout fired. */
class AttemptTimeoutError extends Error {}

interface RawResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { name, signal } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, signal ? { signal } : undefined));
  // Each secret as written, as encodeURIComponent writes it, and as URLSearchParams (joinUrl) writes it.
  const secrets = [
    ...new Set(
      [...(options.secrets ?? []), ...proxySecrets()]
        .filter((s) => s.length > 0)
        .flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]),
    ),
  ];
  // Longest first, so a secret containing another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  const defaultHeaders = lowerKeys(options.defaultHeaders ?? {});

  /** When a response said the window is used up: don't send before this instant. */
  let blockedUntil: number | undefined;
  /** Rate-limit waiting already spent by this client (the run's budget is maxWaitMs). */
  let waitedMs = 0;

  const scrub = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };

  const throwIfAborted = (): void => {
    if (signal?.aborted) throw new InterruptedError(`${name}: interrupted`, undefined, { cause: signal.reason });
  };

  const pause = async (ms: number): Promise<void> => {
    throwIfAborted();
    try {
      await sleep(ms);
    } catch (error) {
      throwIfAborted();
      throw error;
    }
    throwIfAborted();
  };

  /** Waits `ms` for a rate limit if the budget allows, else throws a RateLimitError. */
  const waitForRateLimit = async (ms: number, url: string, why?: string): Promise<void> => {
    if (waitedMs + ms > options.maxWaitMs) {
      throw new RateLimitError(`${name}: rate limited by ${describeEndpoint(url)}; retry after ${formatWait(ms)}${why ? ` (${why})` : ''}`, {
        url: scrub(url),
        retryAfterMs: ms,
      });
    }
    waitedMs += ms;
    await pause(ms);
  };

  const describeEndpoint = (url: string): string => {
    try {
      const parsed = new URL(url);
      return scrub(`${parsed.origin}${parsed.pathname}`);
    } catch {
      return scrub(url);
    }
  };

  const backoff = (attempt: number): number =>
    Math.round(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));

  const buildRequest = (req: HttpRequest): { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string } => {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent,
      'accept-encoding': 'gzip, deflate, br',
      ...defaultHeaders,
      ...lowerKeys(req.headers ?? {}),
    };
    let body: string | undefined;
    if (req.form !== undefined) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    const method = req.method ?? (body === undefined ? 'GET' : 'POST');
    return body === undefined ? { method, headers } : { method, headers, body };
  };

  /** One attempt, following redirects, under one timeout. */
  const attempt = async (
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<RawResponse & { url: string }> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      return await follow(url, init, attemptSignal);
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) throw new AttemptTimeoutError('timed out', { cause: error });
      throw error;
    }
  };

  const follow = async (
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    attemptSignal: AbortSignal,
  ): Promise<RawResponse & { url: string }> => {
    let current = url;
    let { method, headers, body } = init;
    for (let hop = 0; ; hop++) {
      const res = await undiciRequest(current, {
        method,
        headers,
        body,
        signal: attemptSignal,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const location = res.headers['location'];
      if (isRedirect(res.statusCode) && typeof location === 'string' && hop < MAX_REDIRECTS) {
        await res.body.dump().catch(() => undefined);
        const next = new URL(location, current);
        if (next.origin !== new URL(current).origin) {
          headers = { ...headers };
          delete headers['authorization'];
          delete headers['cookie'];
        }
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers = { ...headers };
          delete headers['content-type'];
        }
        current = next.toString();
        continue;
      }
      const responseHeaders = flattenHeaders(res.headers);
      const bodyBuffer = await readBody(res.body, responseHeaders, options.maxBodyBytes);
      return {
        status: res.statusCode,
        statusText: res.statusText || STATUS_CODES[res.statusCode] || '',
        headers: responseHeaders,
        body: bodyBuffer,
        url: current,
      };
    }
  };

  const describeFailure = (error: unknown, timedOut: boolean): string => {
    if (timedOut) return `timed out after ${options.timeoutMs} ms`;
    const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
    const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : undefined;
    const message = typeof err?.message === 'string' && err.message ? err.message : String(error);
    return scrub(code && !message.includes(code) ? `${message} (${code})` : message);
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    throwIfAborted();
    const init = buildRequest(req);
    const label = `${name}: ${init.method} ${scrub(req.url)}`;
    const accept = new Set(req.accept ?? []);

    if (blockedUntil !== undefined) {
      const wait = blockedUntil - now();
      if (wait > 0) await waitForRateLimit(wait, req.url, 'rate-limit window used up');
      blockedUntil = undefined;
    }

    let failures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      throwIfAborted();
      let raw: RawResponse & { url: string };
      try {
        raw = await attempt(req.url, init);
      } catch (error) {
        throwIfAborted();
        if (error instanceof BodyTooLargeError) {
          throw new HttpError(`${label}: response body over ${options.maxBodyBytes} bytes`, { url: scrub(req.url) });
        }
        const timedOut = error instanceof AttemptTimeoutError || isTimeout(error);
        failures += 1;
        if (failures > options.retries) {
          const tries = failures === 1 ? '' : ` (after ${failures} attempts)`;
          throw new HttpError(`${label}: ${describeFailure(error, timedOut)}${tries}`, { url: scrub(req.url), cause: error });
        }
        await pause(backoff(failures));
        continue;
      }

      const limit = parseRateLimit(raw.headers, now());
      if (limit.remaining !== undefined) {
        blockedUntil = limit.remaining <= 0 && limit.resetAt !== undefined ? limit.resetAt : undefined;
      }
      const { status } = raw;
      if ((status >= 200 && status < 300) || accept.has(status)) {
        await options.turn?.();
        throwIfAborted();
        return toResponse(raw, name, init.method, scrub);
      }

      const statusLine = `${label} ${status}${raw.statusText ? ` ${raw.statusText}` : ''}`;
      const errorBody = scrub(raw.body.toString('utf8', 0, Math.min(raw.body.length, ERROR_BODY_CHARS * 4)).slice(0, ERROR_BODY_CHARS));

      const secondaryLimit = status === 403 && SECONDARY_LIMIT.test(errorBody);
      if (status === 429 || (status === 503 && limit.retryAfterMs !== undefined) || (status === 403 && (isRateLimit403(limit) || secondaryLimit))) {
        let wait = limit.retryAfterMs;
        if (wait === undefined && limit.remaining !== undefined && limit.remaining <= 0 && limit.resetAt !== undefined) {
          wait = Math.max(0, limit.resetAt - now());
        }
        if (wait === undefined && secondaryLimit) wait = SECONDARY_LIMIT_WAIT_MS;
        wait ??= backoff(rateLimitWaits + 1) + BACKOFF_BASE_MS;
        rateLimitWaits += 1;
        if (rateLimitWaits > MAX_RATE_LIMIT_WAITS) {
          throw new RateLimitError(
            `${name}: rate limited by ${describeEndpoint(req.url)}; still ${status} after ${MAX_RATE_LIMIT_WAITS} waits, retry after ${formatWait(wait)}`,
            { url: scrub(req.url), status, body: errorBody, retryAfterMs: wait },
          );
        }
        try {
          await waitForRateLimit(wait, req.url);
        } catch (error) {
          if (error instanceof RateLimitError) {
            throw new RateLimitError(error.message, { url: error.url, status, body: errorBody, retryAfterMs: error.retryAfterMs });
          }
          throw error;
        }
        blockedUntil = undefined;
        continue;
      }

      if (status >= 500) {
        failures += 1;
        if (failures <= options.retries) {
          await pause(backoff(failures));
          continue;
        }
      }
      throw new HttpError(statusLine, { url: scrub(raw.url), status, body: errorBody });
    }
  };

  return { request: send };
}

/**
 * GitHub answers its limits with 403 as often as 429 (docs.github.com/rest, "Rate limits for the REST API"):
 * the primary limit with `x-ratelimit-remaining: 0` and a reset time, a secondary limit with `retry-after`, or
 * with only a message saying so, after which it asks for at least a minute's wait. A 403 with none of these
 * is a refusal (a missing scope, a blocked client) and fails at once.
 */
const SECONDARY_LIMIT = /secondary rate limit/i;
const SECONDARY_LIMIT_WAIT_MS = 60_000;

function isRateLimit403(limit: RateLimitInfo): boolean {
  return limit.retryAfterMs !== undefined || (limit.remaining !== undefined && limit.remaining <= 0 && limit.resetAt !== undefined);
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  const code = (error as { code?: unknown })?.code;
  return name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Reads at most `max` bytes (after decompression), destroying the stream as soon as it is exceeded. */
async function readBody(body: Readable, headers: Record<string, string>, max: number): Promise<Buffer> {
  // Destroying an undici body emits an 'error' (AbortError); we already report our own reason.
  body.on('error', () => undefined);
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    body.destroy();
    throw new BodyTooLargeError();
  }
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  const source: Readable = decoder ? pipeline(body, decoder, () => {}) : body;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      size += buffer.length;
      if (size > max) throw new BodyTooLargeError();
      chunks.push(buffer);
    }
  } catch (error) {
    source.destroy();
    body.destroy();
    throw error;
  }
  return Buffer.concat(chunks, size);
}

function toResponse(
  raw: RawResponse & { url: string },
  name: string,
  method: string,
  scrub: (text: string) => string,
): HttpResponse {
  const { status, headers, body, url } = raw;
  return {
    status,
    headers,
    // Adapters put it in messages: secrets in it (keys in query strings, a feed address that is a key) are scrubbed.
    url: scrub(url),
    body,
    text: () => body.toString('utf8'),
    json: <T>(): T => {
      const text = body.toString('utf8').replace(/^\uFEFF/, '');
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        const label = `${name}: ${method} ${scrub(url)}`;
        const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const isJsonType = type === 'application/json' || type.endsWith('+json') || type === 'text/json';
        if (text.trim() === '') {
          throw new HttpError(`${label}: expected JSON, got an empty body`, { url: scrub(url), status });
        }
        const snippet = scrub(sanitize(text).slice(0, 60));
        const message = isJsonType
          ? `${label}: malformed JSON (${scrub(sanitize((error as Error).message)).slice(0, 120)})`
          : `${label}: expected JSON, got ${type || 'no content type'} ("${snippet}")`;
        throw new HttpError(message, { url: scrub(url), status, cause: error });
      }
    },
  };
}

/** One line of printable text: control characters and runs of whitespace become single spaces. */
function sanitize(text: string): string {
  return text
    .slice(0, 1000)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
