import { findTopics, type TopicGroup } from '../../app/topics.js';
import { createSink } from '../../output/sink.js';
import type { Column } from '../../output/table.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { createChalk, defaultFormat } from '../emit.js';
import { terminalWidth } from '../io.js';
import { parseCount, parseSince } from '../parse.js';

export interface TopicsFlags {
  since?: string;
  min?: string;
  format?: string;
}

export const TOPIC_COLUMNS: readonly Column<TopicGroup>[] = [
  { header: 'Size', width: 4, align: 'right', value: (t) => String(t.size), style: (c, _t, chalk) => chalk.bold(c) },
  { header: 'Terms', width: 24, value: (t) => t.terms.join(' ') },
  { header: 'Sources', width: 22, value: (t) => t.sources.join(', ') },
  { header: 'Newest', width: 11, value: (t) => t.newest.slice(5, 16).replace('T', ' ') },
  { header: 'Oldest', width: 11, value: (t) => t.oldest.slice(5, 16).replace('T', ' ') },
  { header: 'Examples', value: (t) => t.examples.join(' '), style: (c, _t, chalk) => chalk.dim(c) },
];

export async function runTopics(ctx: CommandContext, flags: TopicsFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const since = parseSince(flags.since ?? '24h', now);
  const min = flags.min === undefined ? 3 : parseCount(flags.min, '--min', 2);
  const format = defaultFormat(ctx, flags.format);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const topics = findTopics(store, loaded.config, { now, since, min });
  const sink = createSink(ctx.io.stdout);
  if (format === 'table') {
    if (topics.length === 0) {
      if (ctx.io.stderr.isTTY) ctx.log.info(`No complaint repeated ${min} times or more.`);
      return;
    }
    const { renderTable } = await import('../../output/table.js');
    await sink.write(renderTable(topics, TOPIC_COLUMNS, { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) }));
  } else {
    await sink.write(`${JSON.stringify(topics, null, 2)}\n`);
  }
  await sink.flush();
}
