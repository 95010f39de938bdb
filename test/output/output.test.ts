import { describe, expect, it } from 'vitest';
import { csvCell, guardFormula } from '../../src/output/csv.js';
import { formatAge, formatReach, truncate } from '../../src/output/humanize.js';
import { stripControl, toOneLine } from '../../src/output/sanitize.js';
import { priorityOf, rankKeyOf } from '../../src/rank/priority.js';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['', ''],
  ])('csvCell(%j) → %j', (input, expected) => expect(csvCell(input)).toBe(expected));

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['safe = text', 'safe = text'],
  ])('guardFormula(%j) → %j', (input, expected) => expect(guardFormula(input)).toBe(expected));

  it('writes null as an empty cell and numbers unguarded', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(false)).toBe('false');
  });
});

describe('sanitize', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', 'red'],
    ['title \u001b]0;evil\u0007 set', 'title  set'],
    ['osc8 \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\', 'osc8 link'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['c1 \u009b2J csi', 'c1  csi'],
    ['bidi \u202eevil', 'bidi evil'],
    ['keeps\nnewlines\tand tabs', 'keeps\nnewlines\tand tabs'],
    ['émoji 😀 ok', 'émoji 😀 ok'],
  ])('stripControl(%j) → %j', (input, expected) => expect(stripControl(input)).toBe(expected));

  it('makes one line for table cells', () => expect(toOneLine(' a\n\n b\tc ')).toBe('a b c'));
});

describe('humanize', () => {
  it.each([
    [0.001, 'now'],
    [0.75, '45m'],
    [3.2, '3h'],
    [47, '47h'],
    [50, '2d'],
    [24 * 90, '3mo'],
  ])('formatAge(%s) → %s', (hours, expected) => expect(formatAge(hours)).toBe(expected));

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1k'],
    [12_400, '12.4k'],
    [12_480, '12.4k'],
    [155_000, '155k'],
    [2_500_000, '2.5M'],
  ])('formatReach(%s) → %s', (reach, expected) => expect(formatReach(reach)).toBe(expected));

  it('truncates with an ellipsis without splitting emoji', () => {
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('priority', () => {
  const w = { slaHours: 24, reachWeight: 1, ageWeight: 5 };
  const now = Date.parse('2026-11-23T12:00:00Z');
  const hour = 3_600_000;

  it('lets a zero-reach complaint waiting one SLA period outrank a fresh one with 10,000 followers', () => {
    expect(priorityOf(0, now - 24 * hour, now, w)).toBe(5);
    expect(priorityOf(10_000, now, now, w)).toBeCloseTo(4.0000434, 6);
    expect(priorityOf(0, now - 24 * hour, now, w)).toBeGreaterThan(priorityOf(10_000, now, now, w));
  });

  it('orders by rank key exactly as by priority, whatever "now" is', () => {
    const items = [
      [0, now - 30 * hour],
      [50, now - 10 * hour],
      [10_000, now],
      [1_000_000, now - 100 * hour],
    ] as const;
    for (const later of [now, now + 1000 * hour]) {
      const byPriority = [...items].sort((a, b) => priorityOf(b[0], b[1], later, w) - priorityOf(a[0], a[1], later, w));
      const byKey = [...items].sort((a, b) => rankKeyOf(b[0], b[1], w) - rankKeyOf(a[0], a[1], w));
      expect(byKey).toEqual(byPriority);
    }
  });
});
