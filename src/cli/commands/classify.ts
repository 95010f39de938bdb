import { createInterface } from 'node:readline';
import { createMentionClassifier } from '../../app/classification.js';
import { reclassifyMentions } from '../../app/reclassify.js';
import { PartialFailure } from '../../errors.js';
import { createSink } from '../../output/sink.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { parseSince } from '../parse.js';

/** classify [TEXT...]: one JSON verdict per text, from the arguments or one text per stdin line (or NDJSON {"text"}). */
export async function runClassify(ctx: CommandContext, texts: string[], flags: { addressesBrand?: boolean }): Promise<void> {
  const loaded = await loadFor(ctx, { requireConfig: false });
  const classify = createMentionClassifier(loaded.config);
  const sink = createSink(ctx.io.stdout);
  const emit = async (text: string, addressesBrand: boolean, extra: Record<string, unknown> = {}): Promise<void> => {
    const v = classify({ title: null, text, addressesBrand, own: false });
    const line = {
      ...extra,
      text,
      label: v.sentiment.label,
      score: v.sentiment.score,
      comparative: v.sentiment.comparative,
      complaint: v.complaint,
      intent: v.intent,
      positive: v.verdict.positive,
      negative: v.verdict.negative,
      rules: v.verdict.rules,
    };
    const pending = sink.write(`${JSON.stringify(line)}\n`);
    if (pending) await pending;
  };
  let skipped = 0;
  if (texts.length > 0) {
    for (const text of texts) await emit(text, flags.addressesBrand === true);
  } else {
    let lineNo = 0;
    for await (const line of createInterface({ input: ctx.io.stdin, crlfDelay: Infinity })) {
      lineNo++;
      if (line.trim() === '') continue;
      if (line.trimStart().startsWith('{')) {
        try {
          const value = JSON.parse(line) as Record<string, unknown>;
          if (typeof value.text !== 'string') throw new Error('expected a "text" string');
          const { text, addressesBrand, ...rest } = value;
          await emit(text as string, addressesBrand === true || flags.addressesBrand === true, rest);
        } catch (error) {
          skipped++;
          ctx.log.warn(`(stdin):${lineNo}: skipped: ${(error as Error).message}`);
        }
      } else await emit(line, flags.addressesBrand === true);
    }
  }
  await sink.flush();
  if (skipped > 0) throw new PartialFailure(`classify: skipped ${skipped} malformed line(s)`);
}

export async function runReclassify(ctx: CommandContext, flags: { since?: string; json?: boolean }): Promise<void> {
  const now = ctx.io.now().getTime();
  const since = flags.since === undefined ? undefined : parseSince(flags.since, now);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const result = reclassifyMentions(store, createMentionClassifier(loaded.config), since);
  if (flags.json) {
    const sink = createSink(ctx.io.stdout);
    await sink.write(`${JSON.stringify(result)}\n`);
    await sink.flush();
  }
  ctx.log.info(
    `reclassify: ${result.mentions} mention(s) classified again, ${result.changed} verdict(s) changed ` +
      `(${result.becameComplaints} became complaints, ${result.stoppedBeingComplaints} stopped being complaints)`,
  );
}
