/**
 * Helpers the source adapter tests (test/sources/*.test.ts) share: reading every page of a run as poll reads
 * them, and watching a run page by page: which requests it makes, when it takes its pace turn, whether a
 * promise has settled yet, and waiting for something the adapter does on its own.
 */
import type { HttpRequest } from '../../src/http/types.js';
import type { FetchWindow, MentionPage, Source, SourceContext } from '../../src/sources/types.js';
import type { FetchedMention } from '../../src/types.js';

/** The page's mentions once its pending work has settled (as poll reads a page). */
export async function settledMentions(page: MentionPage): Promise<FetchedMention[]> {
  await page.pending;
  return page.mentions;
}

/**
 * Every page of one run, in order, each pushed once its pending work (reach lookups, say) has settled, as
 * poll reads them. The pages are pushed as the adapter yielded them (a settled `pending` stays on the page).
 *
 * `pages` is the array they are pushed into, returned when the run ends: pass your own to see the pages read
 * before the run fails (the returned promise then rejects with the adapter's error).
 */
export async function collect(
  source: Source,
  window: FetchWindow,
  ctx: SourceContext,
  pages: MentionPage[] = [],
): Promise<MentionPage[]> {
  for await (const page of source.fetchMentions(window, ctx)) {
    await settledMentions(page);
    pages.push(page);
  }
  return pages;
}

/**
 * Waits until `done()` holds (a request the adapter sends on its own, say): checks it every 10 ms, 200 times
 * (about 2 s, longer on a busy machine), then fails with `timed out waiting for <what>`.
 */
export async function waitFor(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

/**
 * Records every request the adapter hands to `ctx.http` (the real client, still called), when it is made:
 * by default its URL string, or whatever `record` makes of the request (`new URL(req.url)`, the URL and
 * the JSON body, ...). The returned array fills as the adapter runs.
 */
export function recordRequests(ctx: SourceContext): string[];
export function recordRequests<T>(ctx: SourceContext, record: (req: HttpRequest) => T): T[];
export function recordRequests(ctx: SourceContext, record: (req: HttpRequest) => unknown = (req) => req.url): unknown[] {
  const recorded: unknown[] = [];
  const http = ctx.http;
  ctx.http = { request: (req) => (recorded.push(record(req)), http.request(req)) };
  return recorded;
}

/**
 * Installs a `ctx.pace` that holds every caller until `release()`: the poll's work turn, under the test's
 * control. `calls` counts the turns asked for; after `release()` every turn (earlier or later) is granted.
 */
export function gatedPace(ctx: SourceContext): { calls: number; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const state = { calls: 0, release };
  ctx.pace = () => {
    state.calls++;
    return gate;
  };
  return state;
}

/**
 * Installs a `ctx.pace` that holds each caller until the test grants that turn: `turns[k]()` grants the k-th
 * turn asked for, and `turns.length` counts the turns asked for so far.
 */
export function steppedPace(ctx: SourceContext): (() => void)[] {
  const turns: (() => void)[] = [];
  ctx.pace = () => new Promise<void>((resolve) => turns.push(resolve));
  return turns;
}

/** Whether a promise has settled (resolved or rejected), as far as the microtasks run so far know. */
export function watch<T>(promise: Promise<T>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}
