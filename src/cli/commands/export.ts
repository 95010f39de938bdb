import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { streamMentionRecords } from '../../app/mentions.js';
import { UsageError } from '../../errors.js';
import { RECORD_FIELDS } from '../../output/fields.js';
import { renderRecords, type StreamFormat } from '../../output/render.js';
import { createSink } from '../../output/sink.js';
import type { MentionStatus } from '../../types.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { parseFilter } from '../parse.js';

export interface ExportFlags {
  format?: StreamFormat;
  out?: string;
  since?: string;
  complaints?: boolean;
  status?: MentionStatus;
  source?: string[];
}

export async function runExport(ctx: CommandContext, flags: ExportFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const filter = parseFilter(flags, now);
  const format = flags.format ?? 'ndjson';
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const records = streamMentionRecords(store, filter, loaded.config.triage);
  if (!flags.out) {
    await renderRecords(records, format, createSink(ctx.io.stdout), RECORD_FIELDS);
    return;
  }
  // Write a temp file beside the target and rename it when complete: a crash never leaves half a file.
  const target = resolve(ctx.io.cwd, flags.out);
  const temp = join(dirname(target), `.${basename(target)}.${ctx.io.pid}.tmp`);
  const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  ctx.cleanups.push(() => rmSync(temp, { force: true }));
  try {
    await new Promise<void>((ok, fail) => {
      stream.once('open', () => ok());
      stream.once('error', fail);
    });
    const count = await renderRecords(records, format, createSink(stream), RECORD_FIELDS);
    await new Promise<void>((ok, fail) => stream.end((error?: Error | null) => (error ? fail(error) : ok())));
    const fd = openSync(temp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
    ctx.log.info(`export: ${count} mention(s) written to ${flags.out}`);
  } catch (error) {
    stream.destroy();
    throw new UsageError(`${flags.out}: cannot write: ${(error as Error).message}`);
  }
}
