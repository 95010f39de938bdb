/** The small HTTP interface every source adapter uses. Implemented with undici in client.ts. */

export interface HttpRequest {
  /** Absolute URL. Build it with `joinUrl(baseUrl, path, query)` so a baseUrl's path prefix is kept. */
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Statuses that are returned to the caller instead of thrown (e.g. [304], [401] for a login probe). */
  accept?: number[];
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The final URL (after redirects), with the client's secrets scrubbed out: fit for messages. */
  url: string;
  /** The body, at most `maxBodyBytes` long (a larger body is an HttpError, never truncated silently). */
  body: Buffer;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; a non-JSON body (an HTML block page, say) throws an HttpError naming the URL. */
  json<T = unknown>(): T;
}

export interface HttpClient {
  /**
   * One request with the per-request timeout, retries with exponential backoff and jitter on network
   * errors and 5xx, 429 and rate-limit headers honoured (waits when the wait is short, otherwise throws a
   * RateLimitError), and the body size cap. Non-2xx statuses not listed in `accept` throw an HttpError.
   */
  request(req: HttpRequest): Promise<HttpResponse>;
}
