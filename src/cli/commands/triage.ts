import { triageComplaints, type TriageRecord, type TriageResult } from '../../app/triage.js';
import { AttentionNeededError, UsageError } from '../../errors.js';
import { TRIAGE_FIELDS } from '../../output/fields.js';
import { formatAge, formatReach } from '../../output/humanize.js';
import type { Column } from '../../output/table.js';
import type { TriageOrder } from '../../store/types.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { createChalk, defaultFormat, emitRecords } from '../emit.js';
import { parseCount, parseFilter } from '../parse.js';

export interface TriageFlags {
  source?: string[];
  since?: string;
  minReach?: string;
  assignee?: string;
  limit?: string;
  order?: TriageOrder;
  format?: string;
  exitCode?: boolean;
  interactive?: boolean;
}

export const TRIAGE_COLUMNS: readonly Column<TriageRecord & { rank?: number }>[] = [
  { header: '#', width: 3, align: 'right', value: (m) => String(m.rank ?? '') },
  {
    header: 'Age',
    width: 4,
    align: 'right',
    value: (m) => formatAge(m.ageHours),
    style: (cell, m, chalk) => (m.slaBreached ? chalk.red.bold(cell) : cell),
  },
  { header: 'Reach', width: 6, align: 'right', value: (m) => formatReach(m.author.reach) },
  { header: 'Source', width: 12, value: (m) => m.source },
  { header: 'Author', width: 16, value: (m) => m.author.handle ?? m.author.name ?? '-' },
  { header: 'Text', value: (m) => (m.title && !m.text.startsWith(m.title) ? `${m.title}: ${m.text}` : m.text) },
  { header: 'Id', width: 24, value: (m) => m.id, style: (cell, _m, chalk) => chalk.dim(cell) },
];

export function summaryLine(counts: NonNullable<TriageResult['counts']>, slaHours: number): string {
  if (counts.open === 0) return 'No unanswered complaints.';
  const oldest = counts.oldestAgeHours === null ? '' : `, the oldest waiting ${formatAge(counts.oldestAgeHours)}`;
  return `${counts.open} open complaint${counts.open === 1 ? '' : 's'}, ${counts.pastSla} past the ${slaHours}h SLA${oldest}`;
}

export async function runTriage(ctx: CommandContext, flags: TriageFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  if (flags.interactive && (!ctx.io.stdin.isTTY || !ctx.io.stdout.isTTY)) {
    throw new UsageError('triage -i needs a terminal on stdin and stdout', 'For scripts, use: mention-watch triage --format json');
  }
  const filter = parseFilter(flags, now, flags.limit === undefined ? (flags.interactive ? 200 : 20) : parseCount(flags.limit, '--limit', 1));
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const weights = loaded.config.triage;
  const format = defaultFormat(ctx, flags.format);
  const withCounts = !flags.interactive && (format === 'table' || flags.exitCode === true);
  const result = triageComplaints(store, { filter, order: flags.order ?? 'priority', weights, withCounts });

  if (flags.interactive) {
    const { runInteractiveTriage } = await import('../interactive.js');
    await runInteractiveTriage(ctx, store, result, weights);
    return;
  }
  if (format === 'table' && result.counts && result.counts.open > 0) {
    const chalk = await createChalk(ctx);
    const line = summaryLine(result.counts, weights.slaHours);
    ctx.io.stdout.write(`${result.counts.pastSla > 0 ? chalk.red(line) : chalk.bold(line)}\n`);
  }
  const ranked = result.records.map((r, i) => ({ ...r, rank: i + 1 }));
  await emitRecords(
    ctx,
    format === 'table' ? ranked : result.records,
    format,
    TRIAGE_FIELDS,
    TRIAGE_COLUMNS,
    'No unanswered complaints.',
  );
  if (flags.exitCode && result.counts && result.counts.open > 0) {
    throw new AttentionNeededError(`triage: ${summaryLine(result.counts, weights.slaHours)}`);
  }
}
