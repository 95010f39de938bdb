import { computeStats, type StatsGrouping } from '../../app/stats.js';
import { createSink } from '../../output/sink.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { createChalk, defaultFormat } from '../emit.js';
import { terminalWidth } from '../io.js';
import { parseSince } from '../parse.js';

export interface StatsFlags {
  since?: string;
  by?: StatsGrouping;
  format?: string;
}

export async function runStats(ctx: CommandContext, flags: StatsFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const since = parseSince(flags.since ?? '7d', now);
  const format = defaultFormat(ctx, flags.format);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const result = computeStats(store, { now, since, by: flags.by ?? 'source', slaHours: loaded.config.triage.slaHours });
  const sink = createSink(ctx.io.stdout);
  if (format === 'table') {
    const { renderStatsTable } = await import('../../report/render-stats.js');
    await sink.write(renderStatsTable(result, { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) }));
  } else if (format === 'csv') {
    const { renderStatsCsv } = await import('../../report/render-stats.js');
    await sink.write(renderStatsCsv(result));
  } else {
    await sink.write(`${JSON.stringify(result, null, 2)}\n`);
  }
  await sink.flush();
}
