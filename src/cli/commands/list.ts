import { listMentionRecords } from '../../app/mentions.js';
import { RECORD_FIELDS } from '../../output/fields.js';
import type { MentionStatus } from '../../types.js';
import { LIST_COLUMNS } from '../columns.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { defaultFormat, emitRecords } from '../emit.js';
import { parseCount, parseFilter } from '../parse.js';

export interface ListFlags {
  source?: string[];
  since?: string;
  status?: MentionStatus;
  complaints?: boolean;
  search?: string;
  limit?: string;
  format?: string;
}

export async function runList(ctx: CommandContext, flags: ListFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const filter = parseFilter(flags, now, flags.limit === undefined ? 50 : parseCount(flags.limit, '--limit', 1));
  const format = defaultFormat(ctx, flags.format);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const records = listMentionRecords(store, filter, loaded.config.triage);
  await emitRecords(ctx, records, format, RECORD_FIELDS, LIST_COLUMNS, 'No mentions match.');
}
