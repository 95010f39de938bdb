import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findTopics, groupComplaints, type TopicComplaint } from '../../src/app/topics.js';
import { brandWords, extractTerms } from '../../src/report/terms.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { complaint, config, DAY, HOUR, NOW, seed } from './fixtures.js';

const exclude = brandWords({ name: 'Acme Cloud', keywords: ['acme'], accounts: { x: ['AcmeSupport'], mastodon: ['acme@mastodon.social'] } });

let n = 0;
const c = (text: string, minutesAgo: number, source = 'hn', author?: string): TopicComplaint => {
  n += 1;
  return { id: `${source}:${n}`, source, createdAt: NOW - minutesAgo * 60_000, author: author ?? `u${n}`, text };
};

describe('terms', () => {
  it.each([
    ['Acme login is down again!!! 503 on every page', ['login', 'down', '503', 'page']],
    ['@AcmeSupport why was I charged twice? https://acme.com/billing/123 refund please', ['charged', 'twice', 'refund']],
    ["Acme Cloud's app won't load since yesterday… 2FA codes never arrive", ['app', 'load', '2fa', 'codes', 'arrive']],
    ['order 123456789 still not shipped', ['order', 'shipped']],
  ])('%s', (text, expected) => {
    expect(extractTerms(text, exclude)).toEqual(expected);
  });

  it('knows the brand’s own words', () => {
    expect([...exclude].sort()).toEqual(['acme', 'acmesupport', 'cloud']);
  });
});

describe('grouping', () => {
  it('groups complaints sharing a distinctive term, biggest first, each complaint once', () => {
    const complaints = [
      c('Acme login broken, 503', 10, 'hn'),
      c('cannot login to Acme: error 503', 20, 'x'),
      c('login page 503 again @AcmeSupport', 30, 'x'),
      c('Acme login fails with 503 since the update', 40, 'reddit'),
      c('charged twice by Acme, I want a refund', 50, 'x'),
      c('Acme refund still missing after being charged twice', 60, 'hn'),
      c('where is my refund Acme? charged twice', 70, 'x'),
      c('Acme dark mode is ugly', 80),
      c('dark mode hurts my eyes, Acme', 90),
      c('Acme is slow', 100),
    ];
    const groups = groupComplaints(complaints, [], { min: 3, exclude });
    expect(groups.map((g) => [g.terms, g.size])).toEqual([
      [['503', 'login'], 4],
      [['charged', 'refund', 'twice'], 3],
    ]);
    expect(groups[0]).toMatchObject({
      sources: ['x', 'hn', 'reddit'],
      newest: new Date(NOW - 10 * 60_000).toISOString(),
      oldest: new Date(NOW - 40 * 60_000).toISOString(),
      examples: [complaints[0]!.id, complaints[1]!.id, complaints[2]!.id],
      ids: complaints.slice(0, 4).map((x) => x.id),
      authors: 4,
    });
    expect(groupComplaints(complaints, [], { min: 2, exclude }).map((g) => g.terms[0])).toEqual(['503', 'charged', 'dark']);
  });

  it('does not start a group from a word this brand hears every day', () => {
    const background = Array.from({ length: 40 }, (_, i) => c(i % 10 === 0 ? 'Acme app crashed' : 'the app is slow', 2000 + i));
    const complaints = [c('Acme app crashed', 1), c('app crashed again', 2), c('app is slow', 3), c('app: crashed on start', 4)];
    expect(groupComplaints(complaints, background, { min: 3, exclude }).map((g) => g.terms)).toEqual([['crashed']]);
    expect(groupComplaints(complaints, [], { min: 3, exclude }).map((g) => g.terms)).toEqual([['app', 'crashed']]);
  });
});

describe('topics in the store', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('reads complaints of the period only, not praise, not the brand’s own posts', () => {
    seed(store, [
      complaint({ text: 'Acme checkout broken', createdAt: NOW - HOUR }),
      complaint({ text: 'checkout broken on mobile', createdAt: NOW - 2 * HOUR }),
      complaint({ text: 'checkout page hangs', createdAt: NOW - 3 * HOUR }),
      complaint({ text: 'checkout fixed, thanks', complaint: false, createdAt: NOW - HOUR }),
      complaint({ text: 'checkout maintenance tonight', own: true, createdAt: NOW - HOUR }),
      complaint({ text: 'checkout broken last month', createdAt: NOW - 3 * DAY }),
    ]);
    const topics = findTopics(store, config(), { now: NOW, since: NOW - DAY, min: 3 });
    expect(topics.map((t) => [t.terms, t.size])).toEqual([[['checkout', 'broken'], 3]]);
  });
});
