import { describe, expect, it } from 'vitest';
import type { ManualAction } from '../../src/app/actions.js';
import type { TriageRecord } from '../../src/app/triage.js';
import { parseDuration } from '../../src/cli/parse.js';
import { runTriageSession } from '../../src/cli/triage-session.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const item = (id: string, url: string | null = `https://example.com/${id}`) => ({ id, url }) as TriageRecord;

function fakeSession(keys: string[], answers: (string | null)[] = []) {
  const screens: string[] = [];
  const acted: [string, ManualAction][] = [];
  const opened: string[] = [];
  const deps = {
    io: {
      write: (t: string) => screens.push(t),
      readKey: async () => keys.shift() ?? 'eof',
      prompt: async () => (answers.length > 0 ? answers.shift()! : null),
    },
    now: () => NOW,
    act: (id: string, action: ManualAction) => acted.push([id, action]),
    render: (r: TriageRecord, i: number, total: number, done: string | undefined) => `screen ${i + 1}/${total} ${r.id}${done ? ` (${done})` : ''}`,
    openUrl: (url: string) => {
      opened.push(url);
      return false;
    },
    parseDuration: (t: string) => parseDuration(t, 'snooze'),
  };
  return { deps, screens, acted, opened };
}

describe('the interactive triage session', () => {
  it('acts with single keys, moves back and forth, and stops on q', async () => {
    const s = fakeSession(['a', 'n', 'b', 'i', 's', 'g', 'q'], ['spam', '2h', 'dana']);
    const items = [item('x:1'), item('x:2'), item('x:3'), item('x:4')];
    const result = await runTriageSession(items, s.deps);
    expect(result.actions).toBe(4);
    expect(s.acted).toEqual([
      ['x:1', { kind: 'answer', at: NOW }],
      ['x:2', { kind: 'ignore', reason: 'spam' }],
      ['x:3', { kind: 'snooze', until: NOW + 2 * 3_600_000 }],
      ['x:4', { kind: 'assign', to: 'dana' }],
    ]);
    expect(s.screens.filter((t) => t.startsWith('screen'))).toEqual([
      'screen 1/4 x:1',
      'screen 2/4 x:2',
      'screen 3/4 x:3',
      'screen 2/4 x:2',
      'screen 3/4 x:3',
      'screen 4/4 x:4',
    ]);
  });

  it('cancelled prompts change nothing; a bad duration says why and stays', async () => {
    const s = fakeSession(['i', 's', 's', 'q'], [null, 'soon', null]);
    await runTriageSession([item('x:1')], s.deps);
    expect(s.acted).toEqual([]);
    expect(s.screens.some((t) => t.includes('expected a duration'))).toBe(true);
  });

  it('prints the link when no browser can open it, and says when there is none', async () => {
    const s = fakeSession(['o', 'n', 'o', 'q']);
    await runTriageSession([item('x:1'), item('x:2', null)], s.deps);
    expect(s.opened).toEqual(['https://example.com/x:1']);
    expect(s.screens).toContain('https://example.com/x:1\n');
    expect(s.screens).toContain('This mention has no link.\n');
  });

  it('ends at the end of the input and says so when the list is empty', async () => {
    const s = fakeSession([]);
    expect(await runTriageSession([item('x:1')], s.deps)).toEqual({ actions: 0 });
    const empty = fakeSession([]);
    await runTriageSession([], empty.deps);
    expect(empty.screens).toEqual(['No unanswered complaints.\n']);
  });
});
