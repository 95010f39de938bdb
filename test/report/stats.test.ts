import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeStats, quantile, weekOf } from '../../src/app/stats.js';
import { renderStatsCsv, renderStatsTable } from '../../src/report/render-stats.js';
import { sparkline } from '../../src/report/sparkline.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { complaint, DAY, HOUR, NOW, seed } from './fixtures.js';

const MIN = 60_000;
let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
  const answered = (id: string, createdAt: number, after: number, by: 'platform' | 'manual', reach = 10, source = 'hn') =>
    complaint({ id, source, createdAt, status: 'answered', answeredAt: createdAt + after, answeredBy: by, author: { handle: id, name: null, url: null, reach } });
  seed(store, [
    answered('a1', NOW - 2 * DAY, 30 * MIN, 'platform'),
    answered('a2', NOW - 2 * DAY, 90 * MIN, 'platform'),
    answered('a3', NOW - 1 * DAY, 30 * HOUR, 'manual', 50_000), // past the 24 h SLA
    complaint({ id: 'o1', createdAt: NOW - 3 * DAY, author: { handle: 'o1', name: null, url: null, reach: 500 } }), // open, past SLA
    complaint({ id: 'o2', createdAt: NOW - 2 * HOUR }),
    complaint({ id: 'ig', createdAt: NOW - 2 * HOUR, status: 'ignored' }),
    complaint({ id: 's1', createdAt: NOW - 5 * HOUR, status: 'snoozed', snoozedUntil: NOW - HOUR }), // snooze ran out: open
    complaint({ id: 'p1', complaint: false, intent: 'praise', sentiment: { score: 3, comparative: 0.5, label: 'positive' }, createdAt: NOW - DAY }),
    complaint({ id: 'own', own: true, createdAt: NOW - DAY }),
    complaint({ id: 'old', createdAt: NOW - 30 * DAY }),
  ]);
  seed(store, [
    complaint({ id: 'n1', source: 'news', platform: 'rss', createdAt: NOW - 3 * HOUR, status: 'answered', answeredAt: NOW - 2 * HOUR, answeredBy: 'manual', author: { handle: null, name: null, url: null, reach: 0 } }),
    complaint({ id: 'n2', source: 'news', platform: 'rss', complaint: false, sentiment: null, createdAt: NOW - 3 * HOUR }),
  ]);
});
afterEach(() => store.close());

describe('stats', () => {
  it('counts per source and overall: response times split by platform and manual, SLA, backlog', () => {
    const r = computeStats(store, { now: NOW, since: NOW - 7 * DAY, by: 'source', slaHours: 24 });
    expect(r.rows.map((row) => row.key)).toEqual(['hn', 'news']);
    const hn = r.rows[0]!;
    expect(hn).toMatchObject({
      mentions: 8, // the brand's own post and the 30-day-old one are out
      complaints: 7,
      negativeShare: 0.875,
      answered: 3,
      answeredShare: 0.5, // 3 of the 6 that needed an answer (the ignored one did not)
      pastSla: 2,
      open: 3,
      oldestOpenHours: 72,
    });
    expect(hn.firstResponse).toEqual({
      all: { count: 3, medianMinutes: 90, p90Minutes: 1458 },
      platform: { count: 2, medianMinutes: 60, p90Minutes: 84 },
      manual: { count: 1, medianMinutes: 1800, p90Minutes: 1800 },
    });
    expect(r.days).toHaveLength(8);
    expect(r.days.at(-1)).toBe('2026-11-23');
    expect(hn.complaintsPerDay).toEqual([0, 0, 0, 0, 1, 2, 1, 3]);
    expect(r.total).toMatchObject({ key: 'total', mentions: 10, complaints: 8, answered: 4, open: 3 });
    expect(r.rows[1]!.negativeShare).toBe(1); // the unclassified mention is not counted
    expect(r.fairness).toEqual([
      { reach: '0-99', minReach: 0, maxReach: 99, complaints: 6, answered: 3, answeredShare: 0.6, medianResponseMinutes: 60 },
      { reach: '100-9,999', minReach: 100, maxReach: 9999, complaints: 1, answered: 0, answeredShare: 0, medianResponseMinutes: null },
      { reach: '10,000+', minReach: 10000, maxReach: null, complaints: 1, answered: 1, answeredShare: 1, medianResponseMinutes: 1800 },
    ]);
  });

  it('groups by day and by ISO week', () => {
    const byDay = computeStats(store, { now: NOW, since: NOW - 7 * DAY, by: 'day', slaHours: 24 });
    expect(byDay.rows.map((r) => [r.key, r.complaints])).toEqual([['2026-11-20', 1], ['2026-11-21', 2], ['2026-11-22', 1], ['2026-11-23', 4]]);
    expect(byDay.rows[0]!.complaintsPerDay).toBeUndefined();
    const byWeek = computeStats(store, { now: NOW, since: NOW - 30 * DAY - HOUR, by: 'week', slaHours: 24 });
    expect(byWeek.rows.map((r) => r.key)).toEqual(['2026-10-19', '2026-11-16', '2026-11-23']);
    expect(weekOf(Date.parse('2026-11-29T23:59:00Z'))).toBe('2026-11-23'); // Sunday belongs to Monday's week
  });

  it('renders CSV with one column per number and a table with sparklines and the fairness line', () => {
    const r = computeStats(store, { now: NOW, since: NOW - 7 * DAY, by: 'source', slaHours: 24 });
    const csv = renderStatsCsv(r).split('\r\n');
    expect(csv[0]).toBe(
      'key,mentions,complaints,negativeShare,answered,answeredShare,firstResponse.all.count,firstResponse.all.medianMinutes,firstResponse.all.p90Minutes,' +
        'firstResponse.platform.count,firstResponse.platform.medianMinutes,firstResponse.platform.p90Minutes,firstResponse.manual.count,' +
        'firstResponse.manual.medianMinutes,firstResponse.manual.p90Minutes,pastSla,open,oldestOpenHours',
    );
    expect(csv[1]).toBe('hn,8,7,0.875,3,0.5,3,90,1458,2,60,84,1,1800,1800,2,3,72');
    expect(csv[3]).toMatch(/^total,10,8,/);
    const table = renderStatsTable(r, { width: 140, chalk: new Chalk({ level: 0 }) });
    expect(table).toContain('▁▁▁▁▄▆▄█');
    expect(table).toMatch(/hn\s+8\s+7\s+88%\s+50%\s+1h\s+24h\s+1h\s+30h\s+2\s+3\s+3d/);
    expect(table).toContain('Fairness by reach');
    expect(table).toMatch(/10,000\+\s+1\s+100%\s+30h/);
  });

  it('has the helpers right', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});
