/** RFC 4180 CSV with a spreadsheet formula guard. */
import type { FieldDef } from './fields.js';

/** A cell that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvCell(value: unknown, text = false): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (text) s = guardFormula(s);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(fields: readonly FieldDef[]): string {
  return `${fields.map((f) => csvCell(f.name)).join(',')}\r\n`;
}

export function csvRow<T>(record: T, fields: readonly FieldDef[]): string {
  const cells = fields.map((f) => {
    const value = f.get(record as never);
    return csvCell(value, f.text === true && typeof value === 'string');
  });
  return `${cells.join(',')}\r\n`;
}
