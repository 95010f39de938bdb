import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { SpikeRecord } from '../../src/app/spikes.js';
import type { TopicGroup } from '../../src/app/topics.js';
import { alertColumns } from '../../src/cli/commands/alerts.js';
import { TOPIC_COLUMNS } from '../../src/cli/commands/topics.js';
import { renderTable } from '../../src/output/table.js';
import { NOW } from './fixtures.js';

const chalk = new Chalk({ level: 0 });

describe('terminal tables', () => {
  it('alerts: age, source ("(all)" for every source), count, usual, top words, an example id', () => {
    const spike: SpikeRecord = {
      id: 1, source: null, windowStart: '', windowEnd: '', detectedAt: new Date(NOW - 2 * 3_600_000).toISOString(), lastSeenAt: '',
      count: 14, baselineMean: 0.86, baselineSd: 0.9, threshold: 5, topWords: ['login', '503'], mentionIds: ['x:1', 'x:2'],
    };
    expect(renderTable([spike], alertColumns(NOW), { width: 80, chalk })).toBe(
      '  Seen   Source         Count   Usual   Top words    Example\n' +
        '    2h   (all)             14    0.86   login, 503   x:1\n',
    );
  });

  it('topics: size, terms, sources, newest and oldest, examples', () => {
    const topic: TopicGroup = {
      terms: ['503', 'login'], size: 4, authors: 4, sources: ['x', 'hn'], oldest: '2026-11-23T08:00:00.000Z', newest: '2026-11-23T10:00:00.000Z',
      examples: ['x:1', 'hn:2'], ids: ['x:1', 'hn:2', 'x:3', 'x:4'],
    };
    expect(renderTable([topic], TOPIC_COLUMNS, { width: 120, chalk }).split('\n')[1]).toBe(
      '    4   503 login                  x, hn                    11-23 10:00   11-23 08:00   x:1 hn:2',
    );
  });
});
