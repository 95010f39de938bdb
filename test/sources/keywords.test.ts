import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { collectKeywords, quoteIfPhrase, quotePhrase, requireKeywords } from '../../src/sources/keywords.js';

describe('collectKeywords', () => {
  it.each([
    [[['Acme', 'acme widget']], ['Acme', 'acme widget']],
    [[['Acme'], ['ACME', 'Widget']], ['Acme', 'Widget']],
    [[[' Acme ', '', '   '], undefined], ['Acme']],
    [[undefined, ['b', 'a', 'B']], ['b', 'a']],
    [[], []],
  ] as [(readonly string[] | undefined)[], string[]][])('%j → %j', (lists, expected) => {
    expect(collectKeywords(...lists)).toEqual(expected);
  });
});

describe('requireKeywords', () => {
  it('passes a non-empty list', () => expect(() => requireKeywords('hn', ['a'])).not.toThrow());
  it('throws a SourceError naming the source', () => {
    expect(() => requireKeywords('hn', [])).toThrow(SourceError);
    expect(() => requireKeywords('hn', [])).toThrow('hn: no keywords to search for. Add brand.keywords to the config');
  });
});

describe('quotePhrase / quoteIfPhrase', () => {
  it.each([
    ['acme', '"acme"', 'acme'],
    ['acme widget', '"acme widget"', '"acme widget"'],
    ['say "hi" now', '"say hi now"', '"say hi now"'],
    ['"acme"', '"acme"', '"acme"'],
  ])('%s → %s / %s', (keyword, quoted, maybe) => {
    expect(quotePhrase(keyword)).toBe(quoted);
    expect(quoteIfPhrase(keyword)).toBe(maybe);
  });
});
