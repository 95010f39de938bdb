import { listAlerts, type SpikeRecord } from '../../app/spikes.js';
import { formatAge } from '../../output/humanize.js';
import { createSink } from '../../output/sink.js';
import type { Column } from '../../output/table.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { createChalk, defaultFormat } from '../emit.js';
import { terminalWidth } from '../io.js';
import { parseSince } from '../parse.js';

export interface AlertsFlags {
  since?: string;
  format?: string;
}

export function alertColumns(now: number): Column<SpikeRecord>[] {
  return [
    { header: 'Seen', width: 5, align: 'right', value: (s) => formatAge((now - Date.parse(s.detectedAt)) / 3_600_000) },
    { header: 'Source', width: 12, value: (s) => s.source ?? '(all)' },
    { header: 'Count', width: 5, align: 'right', value: (s) => String(s.count), style: (c, _s, chalk) => chalk.red.bold(c) },
    { header: 'Usual', width: 5, align: 'right', value: (s) => String(s.baselineMean) },
    { header: 'Top words', value: (s) => s.topWords.join(', ') || '-' },
    { header: 'Example', width: 24, value: (s) => s.mentionIds[0] ?? '', style: (c, _s, chalk) => chalk.dim(c) },
  ];
}

export async function runAlerts(ctx: CommandContext, flags: AlertsFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const since = parseSince(flags.since ?? '24h', now);
  const format = defaultFormat(ctx, flags.format);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const alerts = listAlerts(store, since);
  const sink = createSink(ctx.io.stdout);
  if (format === 'table') {
    if (alerts.length === 0) {
      if (ctx.io.stderr.isTTY) ctx.log.info('No spikes.');
      return;
    }
    const { renderTable } = await import('../../output/table.js');
    await sink.write(renderTable(alerts, alertColumns(now), { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) }));
  } else {
    await sink.write(`${JSON.stringify(alerts, null, 2)}\n`);
  }
  await sink.flush();
}
