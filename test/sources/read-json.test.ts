import { describe, expect, it } from 'vitest';
import { readJson } from '../../src/sources/read-json.js';

describe('readJson', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['not json', undefined],
    ['null', null],
    ['{"etag":"W/1"}', { etag: 'W/1' }],
    ['[1,2]', [1, 2]],
  ])('%s → %j', (value, expected) => {
    expect(readJson(value)).toEqual(expected);
  });
});
