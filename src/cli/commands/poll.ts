import type { AfterPollResult } from '../../app/after-poll.js';
import { pollSources, type PollSummary, type SourceSummary } from '../../app/poll.js';
import { PartialFailure, UsageError } from '../../errors.js';
import { toRecord } from '../../output/record.js';
import { renderRecords } from '../../output/render.js';
import { RECORD_FIELDS } from '../../output/fields.js';
import { createSink } from '../../output/sink.js';
import type { StoredMention } from '../../store/types.js';
import type { MentionInput } from '../../store/types.js';
import { loadFor, openFor, useProxy, type CommandContext } from '../context.js';
import { createChalk } from '../emit.js';
import { VERSION } from '../version.js';

export interface PollFlags {
  source?: string[];
  dryRun?: boolean;
  json?: boolean;
}

export async function runPoll(ctx: CommandContext, flags: PollFlags): Promise<void> {
  const loaded = await loadFor(ctx, { requireConfig: true, requireCredentials: true });
  const { config } = loaded;
  const known = new Set(config.sources.map((s) => s.name));
  for (const name of flags.source ?? []) {
    if (!known.has(name)) throw new UsageError(`--source ${name}: no such source in ${loaded.configPath} (known: ${[...known].join(', ') || 'none'})`);
  }
  if ((flags.source?.length ?? 0) === 0 && !config.sources.some((s) => s.enabled)) {
    throw new UsageError(`${loaded.configPath}: no enabled sources to poll`, 'Add a source to "sources", or set "enabled": true on one.');
  }
  await useProxy(ctx, loaded.env);
  const sourcesModule = import('../../sources/index.js'); // loads while the database opens
  sourcesModule.catch(() => {}); // awaited (and so reported) below
  const store = await openFor(ctx, loaded);
  store.deferCheckpoints();
  if (!flags.dryRun) {
    store.acquireLock('poll', { pid: ctx.io.pid, host: ctx.io.host, now: ctx.io.now().getTime(), isAlive: ctx.io.isAlive });
    ctx.cleanups.push(() => store.releaseLock('poll', ctx.io.pid));
  }
  const { createSource } = await sourcesModule;
  const interactive = ctx.io.stderr.isTTY === true && !ctx.log.quiet;
  const wouldStore: MentionInput[] = [];
  const userAgent = `mention-watch/${VERSION} (+https://github.com/mention-watch/mention-watch)`;
  const runSeq = flags.dryRun ? 0 : store.startPollRun(ctx.io.now().getTime(), ctx.io.pid);
  const polling = pollSources({
    config,
    store,
    env: loaded.env,
    now: () => ctx.io.now(),
    signal: ctx.io.signal,
    log: ctx.log,
    classifier: async () => (await import('../../app/classification.js')).createMentionClassifier(config),
    createSource,
    only: flags.source,
    dryRun: flags.dryRun === true,
    userAgent,
    onProgress: (event) => {
      if (event.kind === 'start' && interactive) ctx.log.info(`${event.source}: polling…`);
      if (event.kind === 'done' && event.summary.error) ctx.log.error(event.summary.error);
      else if (event.kind === 'done' && interactive) ctx.log.info(`${event.summary.name}: ${describe(event.summary)}`);
    },
    onMention: (m) => wouldStore.push(m),
  });
  // Spikes and notifications are needed only once the sources are done: loaded while they wait on the network.
  const afterPollModule = flags.dryRun ? undefined : new Promise((resolve) => setImmediate(resolve)).then(() => import('../../app/after-poll.js'));
  afterPollModule?.catch(() => {}); // awaited (and so reported) below
  const summary = await polling;
  let after: AfterPollResult = { summary: {}, lines: [], error: null };
  if (!flags.dryRun) {
    const { afterPoll } = await afterPollModule!;
    after = await afterPoll({ config, store, env: loaded.env, now: ctx.io.now().getTime(), summary, log: ctx.log, signal: ctx.io.signal, userAgent });
    store.finishPollRun(runSeq, ctx.io.now().getTime(), { ...summary, ...after.summary });
  }

  if (flags.dryRun) {
    const now = ctx.io.now().getTime();
    const records = wouldStore.map((m) => toRecord(asStored(m), now, config.triage));
    await renderRecords(records, 'ndjson', createSink(ctx.io.stdout), RECORD_FIELDS);
  }
  if (flags.json) {
    const sink = createSink(ctx.io.stdout);
    await sink.write(`${JSON.stringify({ ...summary, ...after.summary })}\n`);
    await sink.flush();
  } else {
    await printSummary(ctx, summary);
  }
  for (const line of after.lines) ctx.log.info(line);
  for (const line of after.warnings ?? []) ctx.log.warn(line);
  if (after.error) ctx.log.error(after.error);
  if (summary.failed > 0) {
    throw new PartialFailure(`poll: ${summary.failed} of ${summary.sources.length} source(s) failed; the others were stored`);
  }
  if (after.error) throw new PartialFailure('poll: everything was stored, but notifying failed');
}

function describe(s: SourceSummary): string {
  const parts = [`${s.fetched} fetched`, `${s.new} new`, `${s.complaints} complaint${s.complaints === 1 ? '' : 's'}`];
  if (s.answered > 0) parts.push(`${s.answered} answered`);
  if (s.reopened > 0) parts.push(`${s.reopened} reopened`);
  return `${parts.join(', ')} (${(s.durationMs / 1000).toFixed(1)}s)`;
}

/** Per-source lines (on a terminal they were printed live; errors always were) and the total, unless --quiet. */
async function printSummary(ctx: CommandContext, summary: PollSummary): Promise<void> {
  if (ctx.log.quiet) return;
  const chalk = await createChalk(ctx, ctx.io.stderr);
  if (!ctx.io.stderr.isTTY) {
    for (const s of summary.sources) if (!s.error) ctx.log.info(`${s.name}: ${describe(s)}`);
  }
  const verb = summary.dryRun ? 'would store' : 'stored';
  const total = `poll: ${verb} ${summary.new} new mention${summary.new === 1 ? '' : 's'} from ${summary.sources.length - summary.failed} of ${summary.sources.length} source(s)`;
  ctx.log.info(summary.failed > 0 ? chalk.red(total) : chalk.bold(total));
}

/** A dry-run mention as if it were stored, to print it in the record shape. */
function asStored(m: MentionInput): StoredMention {
  return {
    id: `${m.source}:${m.platformId}`,
    source: m.source,
    platform: m.platform,
    platformId: m.platformId,
    url: m.url,
    author: m.author,
    title: m.title,
    text: m.text,
    createdAt: m.createdAt,
    fetchedAt: m.fetchedAt,
    sentiment: m.sentiment,
    complaint: m.complaint,
    intent: m.intent,
    own: m.own,
    addressesBrand: m.addressesBrand,
    status: 'open',
    answeredAt: null,
    answeredBy: null,
    assignee: null,
    snoozedUntil: null,
    reopened: false,
    threadRef: m.threadRef,
    threadCheckedAt: null,
  };
}
