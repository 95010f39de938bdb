import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../src/text/html.js';

describe('htmlToText', () => {
  it.each([
    ['<p>Hello <b>world</b></p><p>again</p>', 'Hello world\n\nagain'],
    ['line<br>break<br/>twice', 'line\nbreak\ntwice'],
    ['xml<br></br>serialised', 'xml\nserialised'],
    ['a <script>alert(1)</script>b <STYLE>x{}</STYLE>c', 'a b c'],
    ['x <!-- hidden --> y', 'x y'],
    ['Tom &amp; Jerry &lt;3 &#x27;quoted&#x27; &nbsp;ok&hellip;', "Tom & Jerry <3 'quoted' ok…"],
    ['1 < 2 and 3 > 2', '1 < 2 and 3 > 2'],
    ['unclosed <b tag', 'unclosed <b tag'],
    ['<a href="https://acme.com/?a=1&amp;b=2">link</a>', 'link'],
  ])('%j → %j', (input, expected) => expect(htmlToText(input)).toBe(expected));

  it('handles hostile input in linear time (many unclosed "<")', () => {
    const hostile = '<'.repeat(200_000) + 'a'.repeat(10);
    expect(htmlToText(hostile).length).toBe(200_010);
    const comments = '<!--'.repeat(100_000);
    expect(htmlToText(comments)).toBe('');
  });

  it('decodes numeric references and leaves unknown names alone', () => {
    expect(decodeEntities('&#128512; &#x1F600; &bogus; &#0;')).toBe('😀 😀 &bogus; \ufffd');
  });
});
