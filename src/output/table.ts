/** Terminal tables (cli-table3), sized to the terminal; every mention-derived cell is sanitised. */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { truncate } from './humanize.js';
import { toOneLine } from './sanitize.js';

export interface Column<T> {
  header: string;
  /** Fixed width, or undefined for the one flexible column that takes the remaining space. */
  width?: number;
  align?: 'left' | 'right';
  value(row: T): string;
  /** Optional colouring of the (already cut) cell. */
  style?(cell: string, row: T, chalk: ChalkInstance): string;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: { width: number; chalk: ChalkInstance }): string {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  // Each column costs its content + 2 spaces of padding + 1 border.
  const chrome = columns.length * 3 + 1;
  const flexible = Math.max(10, options.width - fixed - chrome);
  const widths = columns.map((c) => c.width ?? flexible);
  const table = new Table({
    head: columns.map((c) => options.chalk.bold(c.header)),
    colWidths: widths.map((w) => w + 2),
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' ',
    },
  });
  for (const row of rows) {
    table.push(
      columns.map((c, i) => {
        const cell = truncate(toOneLine(c.value(row)), widths[i]!);
        return c.style ? c.style(cell, row, options.chalk) : cell;
      }),
    );
  }
  return `${table.toString().replace(/[ \t]+$/gm, '')}\n`;
}
