import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { MAX_SEEN_IDS, nextOverlapCursor, parseOverlapCursor, readOverlapWindow } from '../../src/sources/overlap-cursor.js';

describe('parseOverlapCursor', () => {
  it.each([
    [null, null],
    ['{"v":1,"t":100,"seen":["a","b"]}', { v: 1, t: 100, seen: ['a', 'b'] }],
    ['{"v":1,"t":100,"seen":[1,2]}', { v: 1, t: 100, seen: ['1', '2'] }],
    ['{"v":1,"t":100}', { v: 1, t: 100, seen: [] }],
    ['{"v":1,"t":100,"seen":"a"}', { v: 1, t: 100, seen: [] }],
  ])('%s → %j', (stored, expected) => {
    expect(parseOverlapCursor('hn', stored, 'Hacker News')).toEqual(expected);
  });

  it.each(['not json', 'null', '5', '{"v":2,"t":100}', '{"v":1,"t":"100"}', '{"t":100}'])('rejects %s', (stored) => {
    expect(() => parseOverlapCursor('hn', stored, 'Hacker News')).toThrow(SourceError);
    expect(() => parseOverlapCursor('hn', stored, 'Hacker News')).toThrow(
      `hn: stored cursor ${JSON.stringify(stored)} is not a Hacker News cursor. Reset this source's cursor to re-read the lookback window`,
    );
  });

  it('quotes at most 80 characters of the stored value', () => {
    const stored = 'x'.repeat(200);
    expect(() => parseOverlapCursor('gh', stored, 'GitHub')).toThrow(`gh: stored cursor "${'x'.repeat(80)}" is not a GitHub cursor.`);
  });
});

describe('readOverlapWindow', () => {
  const since = new Date(10_500);
  it('goes back the overlap from the cursor and skips its seen ids', () => {
    expect(readOverlapWindow('hn', { cursor: '{"v":1,"t":1000,"seen":["a"]}', since }, 'Hacker News', 600)).toEqual({
      cursor: { v: 1, t: 1000, seen: ['a'] },
      sinceSeconds: 10,
      from: 400,
      seen: new Set(['a']),
    });
  });
  it('starts at the lookback (whole seconds) on the first poll', () => {
    expect(readOverlapWindow('hn', { cursor: null, since }, 'Hacker News', 600)).toEqual({ cursor: null, sinceSeconds: 10, from: 10, seen: new Set() });
  });
  it('rejects a foreign cursor', () => {
    expect(() => readOverlapWindow('r', { cursor: '{"v":1,"streams":{}}', since }, 'Reddit', 600)).toThrow('is not a Reddit cursor');
  });
});

describe('nextOverlapCursor', () => {
  it.each([
    ['no items, no cursor: t is the lookback start', null, [], { v: 1, t: 50, seen: [] }],
    ['no items: the previous cursor\'s t and no seen ids', { v: 1, t: 900, seen: ['old'] }, [], { v: 1, t: 900, seen: [] }],
    [
      'newest whole second; seen = ids within the overlap, in the items\' order',
      null,
      [{ id: 'c', seconds: 1000.7 }, { id: 'b', seconds: 950 }, { id: 'a', seconds: 899 }],
      { v: 1, t: 1000, seen: ['c', 'b'] },
    ],
    [
      'a newer previous t wins',
      { v: 1, t: 2000, seen: [] },
      [{ id: 'a', seconds: 1950 }, { id: 'b', seconds: 1000 }],
      { v: 1, t: 2000, seen: ['a'] },
    ],
  ] as const)('%s', (_label, previous, items, expected) => {
    expect(nextOverlapCursor(previous ? { ...previous, seen: [...previous.seen] } : null, 50, items, 100)).toEqual(expected);
  });

  it(`keeps at most ${MAX_SEEN_IDS} seen ids`, () => {
    const items = Array.from({ length: MAX_SEEN_IDS + 10 }, (_, i) => ({ id: String(i), seconds: 1000 }));
    const next = nextOverlapCursor(null, 0, items, 60);
    expect(next.seen).toHaveLength(MAX_SEEN_IDS);
    expect(next.seen[0]).toBe('0');
  });

  it('serialises to the stored format', () => {
    expect(JSON.stringify(nextOverlapCursor(null, 0, [{ id: 'a', seconds: 5 }], 60))).toBe('{"v":1,"t":5,"seen":["a"]}');
  });
});
