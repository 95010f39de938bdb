import { sendTestMessage } from '../../app/notify.js';
import { PartialFailure, UsageError } from '../../errors.js';
import { formatAge } from '../../output/humanize.js';
import { createSink } from '../../output/sink.js';
import type { Column } from '../../output/table.js';
import type { StoredNotifyEvent } from '../../store/types.js';
import { loadFor, openFor, useProxy, type CommandContext } from '../context.js';
import { createChalk, defaultFormat } from '../emit.js';
import { terminalWidth } from '../io.js';
import { parseSince } from '../parse.js';
import { VERSION } from '../version.js';

export interface NotifyFlags {
  test?: boolean;
  since?: string;
  format?: string;
}

/** The event log as printed: ISO times, no payload. */
export interface NotifyEventRecord {
  key: string;
  kind: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
}

function toEventRecord(e: StoredNotifyEvent): NotifyEventRecord {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return { key: e.key, kind: e.kind, state: e.state, createdAt: iso(e.createdAt)!, sentAt: iso(e.sentAt), attempts: e.attempts, lastError: e.lastError };
}

export async function runNotify(ctx: CommandContext, flags: NotifyFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  if (flags.test) {
    const loaded = await loadFor(ctx, { requireConfig: true });
    const notify = loaded.config.notify;
    if (!notify) {
      throw new UsageError(`${loaded.configPath}: no "notify" section`, 'Add "notify": { "webhookUrlEnv": "MENTION_WATCH_WEBHOOK_URL" } and set that variable.');
    }
    for (const variable of [notify.webhookUrlEnv, notify.secretEnv]) {
      if (variable && !loaded.env[variable]) throw new UsageError(`notify: environment variable ${variable} is not set`, 'Set it in the environment or .env.');
    }
    await useProxy(ctx, loaded.env);
    try {
      await sendTestMessage({
        config: loaded.config,
        env: loaded.env,
        now,
        signal: ctx.io.signal,
        userAgent: `mention-watch/${VERSION} (+https://github.com/mention-watch/mention-watch)`,
      });
    } catch (error) {
      throw new PartialFailure(((error as Error)?.message ?? String(error)).split('\n')[0]!);
    }
    ctx.log.warn(`notify: test message sent to $${notify.webhookUrlEnv}${notify.secretEnv ? ', signed' : ''}`);
    return;
  }
  const since = parseSince(flags.since ?? '24h', now);
  const format = defaultFormat(ctx, flags.format);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const events = store.listEvents(since, 1000).map(toEventRecord);
  const sink = createSink(ctx.io.stdout);
  if (format === 'table') {
    if (events.length === 0) {
      if (ctx.io.stderr.isTTY) ctx.log.info('No notification events.');
      return;
    }
    const columns: Column<NotifyEventRecord>[] = [
      { header: 'Queued', width: 6, align: 'right', value: (e) => formatAge((now - Date.parse(e.createdAt)) / 3_600_000) },
      { header: 'State', width: 7, value: (e) => e.state, style: (c, e, chalk) => (e.state === 'failed' ? chalk.red(c) : e.state === 'pending' ? chalk.yellow(c) : c) },
      { header: 'Tries', width: 5, align: 'right', value: (e) => String(e.attempts) },
      { header: 'Event', width: 40, value: (e) => e.key },
      { header: 'Last error', value: (e) => e.lastError ?? '' },
    ];
    const { renderTable } = await import('../../output/table.js');
    await sink.write(renderTable(events, columns, { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) }));
  } else {
    await sink.write(`${JSON.stringify(events, null, 2)}\n`);
  }
  await sink.flush();
}
