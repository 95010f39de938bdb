import { applyManualAction, type ManualAction } from '../../app/actions.js';
import { PartialFailure, UsageError } from '../../errors.js';
import { loadFor, openFor, type CommandContext } from '../context.js';
import { parseDuration, parseInstant } from '../parse.js';

export interface ActionFlags {
  as?: string;
  reason?: string;
  for?: string;
  until?: string;
  at?: string;
}

export function actorOf(ctx: CommandContext, flag: string | undefined): string | null {
  return flag?.trim() || ctx.io.env.USER || ctx.io.env.USERNAME || null;
}

/** Builds the action from the command's flags and arguments (pure; throws UsageError naming the flag). */
export function parseAction(kind: ManualAction['kind'], args: string[], flags: ActionFlags, now: number): { ids: string[]; action: ManualAction } {
  switch (kind) {
    case 'answer':
      return { ids: args, action: { kind, at: flags.at ? parseInstant(flags.at, '--at') : now } };
    case 'ignore':
      return { ids: args, action: flags.reason ? { kind, reason: flags.reason } : { kind } };
    case 'snooze': {
      if (flags.for && flags.until) throw new UsageError('snooze: give --for or --until, not both');
      if (!flags.for && !flags.until) throw new UsageError('snooze: say how long: --for 4h, or --until 2026-12-01T09:00');
      const until = flags.for ? now + parseDuration(flags.for, '--for') : parseInstant(flags.until!, '--until');
      if (until <= now) throw new UsageError(`--until: ${flags.until} is in the past`);
      return { ids: args, action: { kind, until } };
    }
    case 'assign': {
      if (args.length < 2) throw new UsageError('assign: expected <id...> <who>, e.g. mention-watch assign x:123 alice');
      const who = args.at(-1)!;
      return { ids: args.slice(0, -1), action: { kind, to: who === '-' || who === 'nobody' ? null : who } };
    }
    case 'reopen':
      return { ids: args, action: { kind } };
    case 'note': {
      if (args.length < 2) throw new UsageError('note: expected <id> <text>');
      return { ids: [args[0]!], action: { kind, text: args.slice(1).join(' ') } };
    }
  }
}

export async function runAction(ctx: CommandContext, kind: ManualAction['kind'], args: string[], flags: ActionFlags): Promise<void> {
  const now = ctx.io.now().getTime();
  const { ids, action } = parseAction(kind, args, flags, now);
  const loaded = await loadFor(ctx, { requireConfig: false });
  const store = await openFor(ctx, loaded, { mustExist: true });
  const outcome = applyManualAction(store, ids, action, actorOf(ctx, flags.as), now);
  for (const id of outcome.unknown) ctx.log.error(`${id}: no such mention`);
  if (outcome.applied.length > 0) ctx.log.info(`${kind}: ${outcome.applied.join(', ')}`);
  if (outcome.unknown.length > 0) {
    const message = `${kind}: ${outcome.unknown.length} unknown id(s); ${outcome.applied.length} applied`;
    if (outcome.applied.length === 0) throw new UsageError(message, 'List ids with: mention-watch list');
    throw new PartialFailure(message);
  }
}
