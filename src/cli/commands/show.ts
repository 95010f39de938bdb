import { showMention, type MentionDetail } from '../../app/mentions.js';
import { UsageError } from '../../errors.js';
import { formatAge, formatReach } from '../../output/humanize.js';
import { createSink } from '../../output/sink.js';
import { stripControl } from '../../output/sanitize.js';
import { ageHoursOf } from '../../rank/priority.js';
import type { TriageWeights } from '../../types.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { createChalk } from '../emit.js';

export interface ShowFlags {
  format?: 'text' | 'json';
  raw?: boolean;
}

export async function runShow(ctx: CommandContext, id: string, flags: ShowFlags): Promise<void> {
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const now = ctx.io.now().getTime();
  const detail = showMention(store, id, now, loaded.config.triage, flags.raw === true);
  if (!detail) throw new UsageError(`${id}: no such mention`, 'List ids with: mention-watch list');
  const format = flags.format ?? (ctx.io.stdout.isTTY ? 'text' : 'json');
  const sink = createSink(ctx.io.stdout);
  if (format === 'json') {
    const { record, ...rest } = detail;
    await sink.write(`${JSON.stringify({ ...record, ...rest }, null, 2)}\n`);
  } else {
    await sink.write(await renderDetail(ctx, detail, loaded.config.triage, now));
  }
  await sink.flush();
}

async function renderDetail(ctx: CommandContext, d: MentionDetail, w: TriageWeights, now: number): Promise<string> {
  const chalk = await createChalk(ctx);
  const r = d.record;
  const clean = (s: string | null | undefined): string => stripControl(s ?? '');
  const lines: string[] = [];
  lines.push(`${chalk.bold(clean(r.id))}  ${r.status}${r.complaint ? `  ${chalk.red('complaint')}` : ''}${r.own ? '  (brand\'s own post)' : ''}`);
  if (r.url) lines.push(clean(r.url));
  const author = [r.author.handle, r.author.name && r.author.name !== r.author.handle ? `(${r.author.name})` : null].filter(Boolean).join(' ');
  lines.push(`Author:    ${clean(author) || '-'} · reach ${formatReach(r.author.reach)}${r.author.url ? ` · ${clean(r.author.url)}` : ''}`);
  lines.push(`Created:   ${r.createdAt} (${formatAge(r.ageHours)} ago) · fetched ${r.fetchedAt}`);
  if (r.title) lines.push(`Title:     ${clean(r.title)}`);
  lines.push('', clean(r.text), '');
  if (r.sentiment) {
    lines.push(`Sentiment: ${r.sentiment.label} (score ${r.sentiment.score}, comparative ${r.sentiment.comparative.toFixed(3)}) · intent ${r.intent ?? '-'}`);
  } else lines.push('Sentiment: not classified yet');
  const v = d.verdict as { positive?: string[]; negative?: string[]; rules?: string[] } | null;
  if (v) {
    if (v.rules && v.rules.length > 0) lines.push(`Why:       ${v.rules.map(clean).join('; ')}`);
    if (v.negative && v.negative.length > 0) lines.push(`Negative:  ${v.negative.map(clean).join(', ')}`);
    if (v.positive && v.positive.length > 0) lines.push(`Positive:  ${v.positive.map(clean).join(', ')}`);
  }
  const reachPart = w.reachWeight * Math.log10(1 + r.author.reach);
  const agePart = (w.ageWeight * ageHoursOf(Date.parse(r.createdAt), now)) / w.slaHours;
  lines.push(
    `Priority:  ${r.priority.toFixed(2)} = reach ${w.reachWeight}×log10(1+${r.author.reach}) ${reachPart.toFixed(2)} + age ${w.ageWeight}×${r.ageHours.toFixed(1)}h/${w.slaHours}h ${agePart.toFixed(2)}`,
  );
  if (r.answeredAt) lines.push(`Answered:  ${r.answeredAt} (${r.answeredBy === 'platform' ? "brand's reply found on the platform" : 'marked by hand'})`);
  if (d.reopened) lines.push(chalk.yellow("Reopened:  the customer wrote again after the brand's answer: it needs another answer"));
  if (r.assignee) lines.push(`Assignee:  ${clean(r.assignee)}`);
  if (r.snoozedUntil) lines.push(`Snoozed:   until ${r.snoozedUntil}`);
  if (d.actions.length > 0) {
    lines.push('', 'History:');
    for (const a of d.actions) {
      const detail = a.detail ? ` ${clean(Object.entries(a.detail).map(([k, val]) => `${k}=${typeof val === 'string' ? val : JSON.stringify(val)}`).join(' '))}` : '';
      lines.push(`  ${a.at}  ${a.action.padEnd(9)} ${a.actor ? `by ${clean(a.actor)}` : ''}${detail}`);
    }
  }
  if (d.raw !== undefined) lines.push('', 'Raw payload:', clean(JSON.stringify(d.raw, null, 2)));
  return `${lines.join('\n')}\n`;
}
