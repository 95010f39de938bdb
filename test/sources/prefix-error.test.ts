import { describe, expect, it } from 'vitest';
import { InterruptedError, SourceError } from '../../src/errors.js';
import { createFail, prefixError } from '../../src/sources/prefix-error.js';

describe('prefixError', () => {
  it('prefixes other errors as a SourceError, keeping the original as cause', () => {
    const cause = new Error('socket hang up');
    const error = prefixError('feed', cause);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toBe('feed: socket hang up');
    expect(error.cause).toBe(cause);
  });
  it('prefixes a thrown non-error', () => {
    expect(prefixError('feed', 'odd').message).toBe('feed: odd');
  });
  it.each([
    ['an already prefixed error', new Error('feed: 503 Service Unavailable')],
    ['an interrupt', new InterruptedError('poll: interrupted')],
  ])('passes %s through', (_label, error) => {
    expect(prefixError('feed', error)).toBe(error);
  });
  it('does not take another source\'s prefix for its own', () => {
    expect(prefixError('feed', new Error('feed2: x')).message).toBe('feed: feed2: x');
  });
});

describe('createFail', () => {
  it('makes SourceErrors that start with the source name', () => {
    const fail = createFail('masto');
    const cause = new Error('inner');
    const withAll = fail('401 Unauthorized', 'check the token', cause);
    expect(withAll).toBeInstanceOf(SourceError);
    expect([withAll.message, withAll.hint, withAll.cause]).toEqual(['masto: 401 Unauthorized', 'check the token', cause]);
    const plain = fail('no thread');
    expect([plain.message, plain.hint, 'cause' in plain]).toEqual(['masto: no thread', undefined, false]);
  });
});
