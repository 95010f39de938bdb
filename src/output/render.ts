/** Renders mention records as json | ndjson | csv, streaming through a Sink. Tables live in table.ts. */
import type { Mention } from '../types.js';
import { csvHeader, csvRow } from './csv.js';
import type { FieldDef } from './fields.js';
import type { Sink } from './sink.js';

export type StreamFormat = 'json' | 'ndjson' | 'csv';

/** Writes every record; returns how many. Empty results: `[]` for json, nothing for ndjson, the header for csv. */
export async function renderRecords(
  records: Iterable<Mention> | AsyncIterable<Mention>,
  format: StreamFormat,
  sink: Sink,
  fields: readonly FieldDef[],
): Promise<number> {
  let count = 0;
  if (format === 'csv') {
    const pending = sink.write(csvHeader(fields));
    if (pending) await pending;
  }
  const render = (record: Mention): string => {
    if (format === 'ndjson') return `${JSON.stringify(record)}\n`;
    if (format === 'csv') return csvRow(record, fields);
    return `${count === 0 ? '[\n' : ',\n'}${JSON.stringify(record)}`;
  };
  if (Symbol.iterator in records) {
    // A plain loop: `for await` over a synchronous iterable costs a promise and a microtask per record,
    // a million times over in an export.
    for (const record of records) {
      const chunk = render(record);
      count++;
      const pending = sink.write(chunk);
      if (pending) await pending;
    }
  } else {
    for await (const record of records) {
      const chunk = render(record);
      count++;
      const pending = sink.write(chunk);
      if (pending) await pending;
    }
  }
  if (format === 'json') {
    const pending = sink.write(count === 0 ? '[]\n' : '\n]\n');
    if (pending) await pending;
  }
  await sink.flush();
  return count;
}
