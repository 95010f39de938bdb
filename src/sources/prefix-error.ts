/** Source errors start with the source name (`reddit: 401 …`), so the user knows which source failed. */
import { InterruptedError, SourceError } from '../errors.js';

/**
 * The error as a SourceError prefixed with `<name>: ` (the original kept as `cause`). Interrupts and
 * errors already prefixed (the HTTP client's) pass through unchanged. For sources without secrets in
 * their error messages; github, reddit and stackexchange scrub theirs first.
 */
export function prefixError(name: string, error: unknown): Error {
  if (error instanceof InterruptedError || (error instanceof Error && error.message.startsWith(`${name}:`))) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SourceError(`${name}: ${message}`, undefined, { cause: error });
}

/** A source's error factory: `fail('no thread')` → SourceError `<name>: no thread`, with an optional hint and cause. */
export function createFail(name: string): (message: string, hint?: string, cause?: unknown) => SourceError {
  return (message, hint, cause) => new SourceError(`${name}: ${message}`, hint, cause === undefined ? undefined : { cause });
}
