/** Prints records in the chosen format: a table only on a terminal, JSON by default when piped. */
import type { Mention } from '../types.js';
import type { FieldDef } from '../output/fields.js';
import { renderRecords, type StreamFormat } from '../output/render.js';
import { createSink } from '../output/sink.js';
import type { Column } from '../output/table.js';
import type { CommandContext } from './context.js';
import { colorLevel, terminalWidth } from './io.js';

export function defaultFormat(ctx: CommandContext, flag: string | undefined): string {
  return flag ?? (ctx.io.stdout.isTTY ? 'table' : 'json');
}

export async function createChalk(ctx: CommandContext, stream = ctx.io.stdout) {
  const { Chalk } = await import('chalk');
  return new Chalk({ level: colorLevel(stream, ctx.io.env, ctx.globals.color === false) });
}

export async function emitRecords<T extends Mention>(
  ctx: CommandContext,
  records: Iterable<T>,
  format: string,
  fields: readonly FieldDef[],
  columns: readonly Column<T>[],
  emptyMessage: string,
): Promise<number> {
  if (format === 'table') {
    const rows = [...records];
    if (rows.length === 0) {
      if (ctx.io.stderr.isTTY) ctx.log.info(emptyMessage);
      return 0;
    }
    const { renderTable } = await import('../output/table.js');
    const text = renderTable(rows, columns, { width: terminalWidth(ctx.io.stdout, ctx.io.env), chalk: await createChalk(ctx) });
    const sink = createSink(ctx.io.stdout);
    await sink.write(text);
    await sink.flush();
    return rows.length;
  }
  return renderRecords(records, format as StreamFormat, createSink(ctx.io.stdout), fields);
}
