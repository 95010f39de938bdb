import { describe, expect, it } from 'vitest';

import { resolveLink, unwrapRedirect, unwrapRedirectsInText } from '../../src/feed/feed-links.js';

describe('unwrapRedirect', () => {
  it.each([
    [
      'https://www.google.com/url?rct=j&sa=t&url=https://investorplace.com/2019/07/slack-stock-truly-compelling/&ct=ga&cd=CAIy&usg=AFQj',
      'https://investorplace.com/2019/07/slack-stock-truly-compelling/',
    ],
    ['https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26c%3D2&ct=ga', 'https://example.com/a?b=1&c=2'],
    ['https://www.google.co.uk/url?q=http://example.org/x&sa=U', 'http://example.org/x'],
    ['https://google.de/url?url=https://example.de/', 'https://example.de/'],
    // not a wrapper, or a wrapper around something that is not http(s): unchanged
    ['https://www.google.com/search?q=slack', 'https://www.google.com/search?q=slack'],
    ['https://www.google.com/url?url=javascript:alert(1)', 'https://www.google.com/url?url=javascript:alert(1)'],
    ['https://evil.example/url?url=https://x.example/', 'https://evil.example/url?url=https://x.example/'],
    ['https://www.google.com.evil.example/url?url=https://x.example/', 'https://www.google.com.evil.example/url?url=https://x.example/'],
    ['not a url', 'not a url'],
  ])('%s', (input, expected) => {
    expect(unwrapRedirect(input)).toBe(expected);
  });

  it('unwraps redirect URLs inside text and leaves the rest alone', () => {
    expect(unwrapRedirectsInText('a https://www.google.com/url?sa=t&url=https://example.com/p&ct=ga b https://example.org/url?x=1')).toBe(
      'a https://example.com/p b https://example.org/url?x=1',
    );
  });
});

describe('resolveLink', () => {
  it.each([
    ['/relative/link', 'http://127.0.0.1:8097/feed.xml', 'http://127.0.0.1:8097/relative/link'],
    ['  https://example.com/a  ', undefined, 'https://example.com/a'],
    ['item/1', 'https://forum.example/c/general/', 'https://forum.example/c/general/item/1'],
    ['relative/without/base', undefined, null],
    ['mailto:someone@example.com', 'https://example.com/', null],
    ['tag:google.com,2013:googlealerts/feed:1', 'https://example.com/', null],
    ['', 'https://example.com/', null],
    [null, 'https://example.com/', null],
  ])('%j against %s → %s', (value, base, expected) => {
    expect(resolveLink(value, base)).toBe(expected);
  });
});
