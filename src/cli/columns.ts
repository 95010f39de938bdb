/** Table columns for mention lists. */
import type { Mention } from '../types.js';
import { formatAge, formatReach } from '../output/humanize.js';
import type { Column } from '../output/table.js';

export const LIST_COLUMNS: readonly Column<Mention>[] = [
  { header: 'Age', width: 4, align: 'right', value: (m) => formatAge(m.ageHours) },
  { header: 'Source', width: 12, value: (m) => m.source },
  { header: 'Author', width: 16, value: (m) => m.author.handle ?? m.author.name ?? '-' },
  { header: 'Reach', width: 6, align: 'right', value: (m) => formatReach(m.author.reach) },
  {
    header: 'Tone',
    width: 4,
    value: (m) => (m.complaint ? 'comp' : m.sentiment?.label === 'positive' ? 'pos' : m.sentiment?.label === 'negative' ? 'neg' : '-'),
    style: (cell, m, chalk) => (m.complaint ? chalk.red(cell) : m.sentiment?.label === 'positive' ? chalk.green(cell) : cell),
  },
  { header: 'Status', width: 8, value: (m) => m.status, style: (cell, m, chalk) => (m.status === 'open' ? cell : chalk.dim(cell)) },
  { header: 'Text', value: (m) => (m.title && !m.text.startsWith(m.title) ? `${m.title}: ${m.text}` : m.text) },
  { header: 'Id', width: 24, value: (m) => m.id, style: (cell, _m, chalk) => chalk.dim(cell) },
];
