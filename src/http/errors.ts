/** Errors thrown by the HTTP client. Messages start with the source name and never contain secrets. */
import { SourceError } from '../errors.js';

export interface HttpErrorDetails {
  /** The request URL with secrets replaced by '***'. */
  url: string;
  /** The response status, when there was a response (absent for network errors and timeouts). */
  status?: number;
  /** The start of the response body (at most 500 characters, secrets scrubbed), for adapters' hints. */
  body?: string;
  hint?: string;
  cause?: unknown;
}

/** A request failed: network error, timeout, unexpected status, oversized or malformed body. */
export class HttpError extends SourceError {
  readonly url: string;
  readonly status?: number;
  readonly body?: string;

  constructor(message: string, details: HttpErrorDetails) {
    super(message, details.hint, details.cause === undefined ? undefined : { cause: details.cause });
    this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
  }
}

/** The platform asked us to wait longer than this run may wait (`maxWaitMs`). */
export class RateLimitError extends HttpError {
  /** How long the platform asked us to wait, in ms. */
  readonly retryAfterMs: number;

  constructor(message: string, details: HttpErrorDetails & { retryAfterMs: number }) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}
