/**
 * The interactive triage loop, independent of the terminal: keys in, actions out. Every action is saved
 * (through `act`) the moment its key is pressed, so quitting or a crash loses nothing.
 */
import type { ManualAction } from '../app/actions.js';
import type { TriageRecord } from '../app/triage.js';

export interface SessionIo {
  /** Prints a screen or a message. */
  write(text: string): void;
  /** The next key: a single character, or 'left' / 'right' / 'ctrl-c' / 'escape'. */
  readKey(): Promise<string>;
  /** Reads a line; null when cancelled (Esc / Ctrl-C / end of input). */
  prompt(question: string): Promise<string | null>;
}

export interface SessionDeps {
  io: SessionIo;
  now(): number;
  act(id: string, action: ManualAction): void;
  render(record: TriageRecord, index: number, total: number, done: string | undefined): string;
  /** Opens the link in a browser where one is available; returns false to fall back to printing it. */
  openUrl(url: string): boolean;
  parseDuration(text: string): number;
}

export const SESSION_HELP =
  'keys: [a]nswered  [i]gnore  [s]nooze  [g] assign  [o]pen link  [b]ack  [n]ext/space skip  [q]uit  [?] help';

export async function runTriageSession(items: readonly TriageRecord[], deps: SessionDeps): Promise<{ actions: number }> {
  const { io } = deps;
  const done = new Map<string, string>();
  let index = 0;
  let actions = 0;
  if (items.length === 0) {
    io.write('No unanswered complaints.\n');
    return { actions };
  }
  const record = (kind: string, id: string, action: ManualAction): void => {
    deps.act(id, action);
    done.set(id, kind);
    actions++;
  };
  for (;;) {
    if (index >= items.length) {
      io.write(`\nEnd of the list: ${done.size} of ${items.length} handled. [b]ack or [q]uit.\n`);
      const key = await io.readKey();
      if (key === 'b' || key === 'left' || key === 'k') {
        index = items.length - 1;
        continue;
      }
      if (key === 'q' || key === 'ctrl-c' || key === 'escape' || key === 'eof') return { actions };
      continue;
    }
    const item = items[index]!;
    io.write(deps.render(item, index, items.length, done.get(item.id)));
    const key = await io.readKey();
    switch (key) {
      case 'a':
        record('answered', item.id, { kind: 'answer', at: deps.now() });
        index++;
        break;
      case 'i': {
        const reason = await io.prompt('Reason (optional, Enter to skip): ');
        if (reason === null) break;
        record('ignored', item.id, reason.trim() ? { kind: 'ignore', reason: reason.trim() } : { kind: 'ignore' });
        index++;
        break;
      }
      case 's': {
        const answer = await io.prompt('Snooze for (e.g. 30m, 4h, 2d; Enter = 4h): ');
        if (answer === null) break;
        try {
          const ms = deps.parseDuration(answer.trim() || '4h');
          record('snoozed', item.id, { kind: 'snooze', until: deps.now() + ms });
          index++;
        } catch (error) {
          io.write(`${(error as Error).message}\n`);
        }
        break;
      }
      case 'g': {
        const who = await io.prompt('Assign to: ');
        if (who === null || who.trim() === '') break;
        record(`assigned to ${who.trim()}`, item.id, { kind: 'assign', to: who.trim() });
        index++;
        break;
      }
      case 'o':
        if (!item.url) io.write('This mention has no link.\n');
        else if (!deps.openUrl(item.url)) io.write(`${item.url}\n`);
        break;
      case 'b':
      case 'k':
      case 'left':
        index = Math.max(0, index - 1);
        break;
      case 'n':
      case 'j':
      case ' ':
      case 'right':
      case '\r':
        index++;
        break;
      case '?':
      case 'h':
        io.write(`${SESSION_HELP}\n`);
        break;
      case 'q':
      case 'ctrl-c':
      case 'escape':
      case 'eof':
        return { actions };
      default:
        io.write(`${SESSION_HELP}\n`);
    }
  }
}
