import { describe, expect, it } from 'vitest';

import { parseFeedDate } from '../../src/feed/parse-feed-date.js';

const iso = (value: string | null | undefined): string | null => {
  const ms = parseFeedDate(value);
  return ms === null ? null : new Date(ms).toISOString();
};

describe('parseFeedDate', () => {
  it.each([
    // RFC 822 / 1123 and variants
    ['Wed, 6 Apr 2022 21:07:47 +0000', '2022-04-06T21:07:47.000Z'],
    ['Wed, 03 Jan 2018 14:11:52 GMT\r\n      ', '2018-01-03T14:11:52.000Z'],
    ['Mon, 16 Oct 2017 15:10:00 +0000', '2017-10-16T15:10:00.000Z'],
    ['03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
    ['Sun, 19 May 02 15:21:36 EST', '2002-05-19T20:21:36.000Z'],
    ['Tue, 10 Jun 2003 04:00:00 PDT', '2003-06-10T11:00:00.000Z'],
    ['Thu, 01 Jan 1970 00:00:00 +0530', '1969-12-31T18:30:00.000Z'],
    ['Fri, 12 Jul 2019 09:30 -04:00', '2019-07-12T13:30:00.000Z'],
    ['12 July 2019', '2019-07-12T00:00:00.000Z'],
    ['Sat, 5 Sept 2020 10:00:00 Z', '2020-09-05T10:00:00.000Z'],
    ['Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['Mi, 03 Okt 2018 12:00:00 +0200', '2018-10-03T10:00:00.000Z'],
    ['Tue, Oct 17 2017 22:17:00 +0000', '2017-10-17T22:17:00.000Z'],
    ['Sat, 01 Jan 2000 00:00:00 XYZ', '2000-01-01T00:00:00.000Z'],
    // ISO 8601 / W3C-DTF
    ['2019-07-10T11:53:37Z', '2019-07-10T11:53:37.000Z'],
    ['2016-01-26T20:31:34+00:00', '2016-01-26T20:31:34.000Z'],
    ['2017-06-21T10:33:10-07:00', '2017-06-21T17:33:10.000Z'],
    ['2015-05-04T00:01:27.123456+02:00', '2015-05-03T22:01:27.123Z'],
    ['2003-12-13 18:30:02', '2003-12-13T18:30:02.000Z'],
    ['20031213T183002Z', '2003-12-13T18:30:02.000Z'],
    ['2003-12-13', '2003-12-13T00:00:00.000Z'],
    ['2003-12', '2003-12-01T00:00:00.000Z'],
    // epochs (dc:date in the wild)
    ['1518478934', '2018-02-12T23:42:14.000Z'],
    ['1518478934000', '2018-02-12T23:42:14.000Z'],
    // unreadable
    ['', null],
    ['   ', null],
    ['yesterday', null],
    ['32 Jan 2020 10:00 GMT', null],
    ['2020-13-01', null],
    ['Mon, 16 Foo 2017 15:10:00 +0000', null],
    [null, null],
    [undefined, null],
  ])('%j → %s', (input, expected) => {
    expect(iso(input)).toBe(expected);
  });

  it('gives up quickly on long junk', () => {
    expect(parseFeedDate(`${'1 '.repeat(50_000)}x`)).toBeNull();
    expect(parseFeedDate(`Mon, ${' '.repeat(70)}`)).toBeNull();
  });
});
