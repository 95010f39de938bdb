import { describe, expect, it } from 'vitest';

import { collapseWhitespace, feedHtmlToText, looseTextToPlain, MAX_FIELD_CHARS } from '../../src/feed/feed-text.js';

describe('feedHtmlToText', () => {
  it.each([
    ['<b>Slack</b> Stock&nbsp;...', 'Slack Stock ...'],
    ['<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['a < b and c > d', 'a < b and c > d'],
    ['x <script>alert(1)</script> y', 'x y'],
    ['x <!-- hidden --> y', 'x y'],
    ['unclosed <script>alert(1)', 'unclosed alert(1)'],
    ['unclosed <!-- comment', 'unclosed <!-- comment'],
  ])('%j → %j', (html, text) => {
    expect(feedHtmlToText(html)).toBe(text);
  });

  it('stays fast on inputs that make naive tag-stripping regexes quadratic', () => {
    for (const nasty of ['<'.repeat(MAX_FIELD_CHARS), '<script>'.repeat(MAX_FIELD_CHARS / 8), '<!--'.repeat(MAX_FIELD_CHARS / 4), '<p '.repeat(MAX_FIELD_CHARS / 3)]) {
      feedHtmlToText(nasty);
    }
  });

  it('cuts very long fields', () => {
    expect(feedHtmlToText('a'.repeat(MAX_FIELD_CHARS * 2))).toHaveLength(MAX_FIELD_CHARS);
  });
});

describe('looseTextToPlain (RSS titles)', () => {
  it.each([
    ['Plain   title\n', 'Plain title'],
    ['AT&T < Verizon', 'AT&T < Verizon'],
    ['<b>Bold</b> &amp; more', 'Bold & more'],
    ['1930ft<sup>2</sup> &#x0024;4300', '1930ft2 $4300'],
  ])('%j → %j', (input, expected) => {
    expect(looseTextToPlain(input)).toBe(expected);
  });

  it('collapseWhitespace', () => {
    expect(collapseWhitespace('  a \t\r\n b  ')).toBe('a b');
  });
});
