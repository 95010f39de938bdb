/** `triage -i` on a real terminal: raw-mode keys, one mention per screen, actions saved at once. */
import { spawn } from 'node:child_process';
import { emitKeypressEvents } from 'node:readline';
import { applyManualAction, type ManualAction } from '../app/actions.js';
import type { TriageRecord, TriageResult } from '../app/triage.js';
import { formatAge, formatReach } from '../output/humanize.js';
import { stripControl } from '../output/sanitize.js';
import { ageHoursOf } from '../rank/priority.js';
import type { Store } from '../store/types.js';
import type { TriageWeights } from '../types.js';
import { actorOf } from './commands/actions.js';
import type { CommandContext } from './context.js';
import { createChalk } from './emit.js';
import { parseDuration } from './parse.js';
import { runTriageSession, SESSION_HELP, type SessionIo } from './triage-session.js';

type KeyInfo = { name?: string; ctrl?: boolean; sequence?: string };

function terminalSession(ctx: CommandContext): SessionIo & { close(): void } {
  const stdin = ctx.io.stdin as NodeJS.ReadStream;
  emitKeypressEvents(stdin);
  stdin.setRawMode?.(true);
  stdin.resume();
  const queue: string[] = [];
  let waiting: ((key: string) => void) | null = null;
  const push = (key: string): void => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(key);
    } else queue.push(key);
  };
  const onKey = (str: string | undefined, key: KeyInfo | undefined): void => {
    if (key?.ctrl && key.name === 'c') push('ctrl-c');
    else if (key?.name === 'escape') push('escape');
    else if (key?.name === 'left' || key?.name === 'right') push(key.name);
    else if (key?.name === 'return') push('\r');
    else if (key?.name === 'backspace') push('backspace');
    else if (str) push(str);
  };
  const onEnd = (): void => push('eof');
  stdin.on('keypress', onKey);
  stdin.on('end', onEnd);
  const readKey = (): Promise<string> => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => (waiting = r)));
  return {
    write: (text) => ctx.io.stdout.write(text),
    readKey,
    async prompt(question) {
      ctx.io.stdout.write(question);
      let line = '';
      for (;;) {
        const key = await readKey();
        if (key === 'ctrl-c' || key === 'escape' || key === 'eof') {
          ctx.io.stdout.write('\n');
          return null;
        }
        if (key === '\r') {
          ctx.io.stdout.write('\n');
          return line;
        }
        if (key === 'backspace') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            ctx.io.stdout.write('\b \b');
          }
          continue;
        }
        if (key.length === 1 && key >= ' ') {
          line += key;
          ctx.io.stdout.write(key);
        }
      }
    },
    close() {
      stdin.off('keypress', onKey);
      stdin.off('end', onEnd);
      stdin.setRawMode?.(false);
      stdin.pause();
    },
  };
}

export async function runInteractiveTriage(ctx: CommandContext, store: Store, result: TriageResult, weights: TriageWeights): Promise<void> {
  const chalk = await createChalk(ctx);
  const session = terminalSession(ctx);
  const actor = actorOf(ctx, undefined);
  const clean = (s: string | null | undefined): string => stripControl(s ?? '');
  const render = (r: TriageRecord, index: number, total: number, done: string | undefined): string => {
    const verdict = store.getVerdict(r.id) as { positive?: string[]; negative?: string[]; rules?: string[] } | null;
    const reachPart = weights.reachWeight * Math.log10(1 + r.author.reach);
    const agePart = (weights.ageWeight * ageHoursOf(Date.parse(r.createdAt), ctx.io.now().getTime())) / weights.slaHours;
    const lines = [
      '\u001b[2J\u001b[H' + chalk.bold(`[${index + 1}/${total}] ${clean(r.id)}`) + (done ? chalk.green(`  ✓ ${done}`) : ''),
      `${clean(r.author.handle ?? r.author.name ?? 'unknown author')}${r.author.name && r.author.handle ? ` (${clean(r.author.name)})` : ''} · reach ${formatReach(r.author.reach)} · ${r.source}`,
      `${r.slaBreached ? chalk.red.bold(`waiting ${formatAge(r.ageHours)}, past the ${weights.slaHours}h SLA`) : `waiting ${formatAge(r.ageHours)}`} · ${r.createdAt}`,
      r.url ? chalk.underline(clean(r.url)) : '(no link)',
      '',
      r.title ? chalk.bold(clean(r.title)) : '',
      clean(r.text),
      '',
      `sentiment ${r.sentiment?.label ?? '-'} (${r.sentiment?.score ?? 0}) · intent ${r.intent ?? '-'}`,
      verdict?.rules?.length ? `why: ${verdict.rules.map(clean).join('; ')}` : '',
      verdict?.negative?.length ? `negative: ${verdict.negative.map(clean).join(', ')}` : '',
      `priority ${r.priority.toFixed(2)} = reach ${reachPart.toFixed(2)} + age ${agePart.toFixed(2)}`,
      r.assignee ? `assigned to ${clean(r.assignee)}` : '',
      '',
      chalk.dim(SESSION_HELP),
      '',
    ];
    return lines.filter((l, i) => l !== '' || i === 4 || i === lines.length - 1).join('\n');
  };
  try {
    const outcome = await runTriageSession(result.records, {
      io: session,
      now: () => ctx.io.now().getTime(),
      act: (id: string, action: ManualAction) => {
        applyManualAction(store, [id], action, actor, ctx.io.now().getTime());
      },
      render,
      openUrl: (url) => {
        if (!ctx.io.env.DISPLAY && !ctx.io.env.WAYLAND_DISPLAY && process.platform !== 'darwin') return false;
        const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
        try {
          spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
          return true;
        } catch {
          return false;
        }
      },
      parseDuration: (text) => parseDuration(text, 'snooze'),
    });
    ctx.log.info(`triage: ${outcome.actions} action(s) saved`);
  } finally {
    session.close();
  }
}
