/** stats output: a terminal table (with sparklines and the fairness line) and CSV. JSON is the result itself. */
import type { ChalkInstance } from 'chalk';
import type { FairnessRow, StatsResult, StatsRow } from '../app/stats.js';
import { csvCell } from '../output/csv.js';
import { formatAge } from '../output/humanize.js';
import { renderTable, type Column } from '../output/table.js';
import { sparkline } from './sparkline.js';

/** Days shown in a sparkline at most (the latest). */
export const SPARKLINE_DAYS = 30;

const percent = (share: number | null): string => (share === null ? '-' : `${Math.round(share * 100)}%`);
const minutes = (m: number | null): string => (m === null ? '-' : formatAge(m / 60));
const hours = (h: number | null): string => (h === null ? '-' : formatAge(h));

export function renderStatsTable(result: StatsResult, options: { width: number; chalk: ChalkInstance }): string {
  const { chalk } = options;
  const label = result.by === 'source' ? 'Source' : result.by === 'day' ? 'Day' : 'Week of';
  const days = Math.min(SPARKLINE_DAYS, result.days.length);
  const columns: Column<StatsRow>[] = [
    { header: label, width: 12, value: (r) => r.key, style: (c, r) => (r.key === 'total' ? chalk.bold(c) : c) },
    { header: 'Mentions', width: 8, align: 'right', value: (r) => String(r.mentions) },
    { header: 'Complaints', width: 10, align: 'right', value: (r) => String(r.complaints) },
    { header: 'Neg', width: 4, align: 'right', value: (r) => percent(r.negativeShare) },
    { header: 'Answered', width: 8, align: 'right', value: (r) => percent(r.answeredShare) },
    { header: 'Median', width: 6, align: 'right', value: (r) => minutes(r.firstResponse.all.medianMinutes) },
    { header: 'P90', width: 5, align: 'right', value: (r) => minutes(r.firstResponse.all.p90Minutes) },
    { header: 'Platform', width: 8, align: 'right', value: (r) => minutes(r.firstResponse.platform.medianMinutes) },
    { header: 'Manual', width: 6, align: 'right', value: (r) => minutes(r.firstResponse.manual.medianMinutes) },
    { header: '>SLA', width: 4, align: 'right', value: (r) => String(r.pastSla), style: (c, r) => (r.pastSla > 0 ? chalk.red(c) : c) },
    { header: 'Open', width: 4, align: 'right', value: (r) => String(r.open) },
    { header: 'Oldest', width: 6, align: 'right', value: (r) => hours(r.oldestOpenHours) },
  ];
  if (result.by === 'source') {
    columns.push({ header: 'Per day', width: Math.max(7, days), value: (r) => sparkline((r.complaintsPerDay ?? []).slice(-days)) });
  }
  const head = `Since ${result.since.slice(0, 16).replace('T', ' ')} UTC · median and P90 = time to first response · >SLA = over ${result.slaHours}h\n`;
  const main = renderTable([...result.rows, result.total], columns, options);
  const fairColumns: Column<FairnessRow>[] = [
    { header: 'Reach', width: 12, value: (r) => r.reach },
    { header: 'Complaints', width: 10, align: 'right', value: (r) => String(r.complaints) },
    { header: 'Answered', width: 8, align: 'right', value: (r) => percent(r.answeredShare) },
    { header: 'Median', width: 6, align: 'right', value: (r) => minutes(r.medianResponseMinutes) },
  ];
  const fair = renderTable(result.fairness, fairColumns, options);
  return `${chalk.dim(head)}${main}\n${chalk.bold('Fairness by reach')} (does the brand only answer the loud?)\n${fair}`;
}

export const STATS_CSV_COLUMNS: readonly [string, (r: StatsRow) => unknown][] = [
  ['key', (r) => r.key],
  ['mentions', (r) => r.mentions],
  ['complaints', (r) => r.complaints],
  ['negativeShare', (r) => r.negativeShare],
  ['answered', (r) => r.answered],
  ['answeredShare', (r) => r.answeredShare],
  ['firstResponse.all.count', (r) => r.firstResponse.all.count],
  ['firstResponse.all.medianMinutes', (r) => r.firstResponse.all.medianMinutes],
  ['firstResponse.all.p90Minutes', (r) => r.firstResponse.all.p90Minutes],
  ['firstResponse.platform.count', (r) => r.firstResponse.platform.count],
  ['firstResponse.platform.medianMinutes', (r) => r.firstResponse.platform.medianMinutes],
  ['firstResponse.platform.p90Minutes', (r) => r.firstResponse.platform.p90Minutes],
  ['firstResponse.manual.count', (r) => r.firstResponse.manual.count],
  ['firstResponse.manual.medianMinutes', (r) => r.firstResponse.manual.medianMinutes],
  ['firstResponse.manual.p90Minutes', (r) => r.firstResponse.manual.p90Minutes],
  ['pastSla', (r) => r.pastSla],
  ['open', (r) => r.open],
  ['oldestOpenHours', (r) => r.oldestOpenHours],
];

/** One row per group, then the "total" row. Keys are source names (attacker-free) or dates; still guarded. */
export function renderStatsCsv(result: StatsResult): string {
  const lines = [STATS_CSV_COLUMNS.map(([name]) => csvCell(name)).join(',')];
  for (const row of [...result.rows, result.total]) {
    lines.push(STATS_CSV_COLUMNS.map(([name, get]) => csvCell(get(row), name === 'key')).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
