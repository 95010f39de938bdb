import { describe, expect, it } from 'vitest';

import { innerMarkup, MAX_DEPTH, parseXml, textContent, type XmlElement } from '../../src/feed/parse-xml.js';

const first = (element: XmlElement | null | undefined, name: string): XmlElement | undefined =>
  element?.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);

describe('parseXml', () => {
  it('canonicalises names through namespaces in scope', () => {
    const { root } = parseXml(
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:DC="http://purl.org/dc/elements/1.1/"><a:entry><DC:creator>x</DC:creator><undeclared:thing/></a:entry></a:feed>',
    );
    expect(root?.name).toBe('atom:feed');
    const entry = first(root, 'atom:entry');
    expect(entry?.children.map((c) => (typeof c === 'string' ? c : c.name))).toEqual(['dc:creator', 'undeclared:thing']);
  });

  it('reads CDATA, entities (XML, HTML and numeric) and attributes in any quoting', () => {
    const { root, complete } = parseXml(`<r a='1' b="x &amp; y" c=bare d><t>&lt;b&gt; &aacute;&nbsp;&#233;&#xE9; &unknown; <![CDATA[<raw> &amp;]]></t></r>`);
    expect(complete).toBe(true);
    expect(root?.attrs).toEqual({ a: '1', b: 'x & y', c: 'bare', d: '' });
    expect(textContent(first(root, 't') as XmlElement)).toBe('<b> á é\u00e9 &unknown; <raw> &amp;');
  });

  it('recovers: missing close tags, stray close tags, a stray <, a missing root close', () => {
    const { root, complete } = parseXml('<rss><channel><item><title>a < b</title><p>one<br>two</p></junk></item><item><title>c</title></channel>');
    expect(complete).toBe(false);
    const items = first(root, 'channel')?.children.filter((c): c is XmlElement => typeof c !== 'string');
    expect(items?.map((i) => textContent(first(i, 'title') as XmlElement))).toEqual(['a < b', 'c']);
    expect(innerMarkup(first(items?.[0], 'p') as XmlElement)).toBe('one<br>two</br>');
  });

  it('keeps what came before a truncated CDATA section, a comment or a tag', () => {
    expect(textContent(parseXml('<rss><title>ok</title><x><![CDATA[half').root as XmlElement)).toBe('okhalf');
    expect(textContent(parseXml('<rss><title>ok</title><!-- never closed').root as XmlElement)).toBe('ok');
    expect(textContent(parseXml('<rss><title>ok</title><item attr="never closed').root as XmlElement)).toBe('ok');
  });

  it('skips the DOCTYPE with its internal subset (brackets and quoted ">" inside)', () => {
    const { root } = parseXml('<!DOCTYPE rss [ <!ENTITY a "x > y ]"> <!ENTITY b SYSTEM "file:///etc/passwd"> ]><rss>&a;&b;</rss>');
    expect(root?.name).toBe('rss');
    expect(textContent(root as XmlElement)).toBe('&a;&b;');
  });

  it('resolves the xml:base chain against the document URL', () => {
    const { root } = parseXml('<feed xml:base="/blog/"><entry xml:base="2024/"><link/></entry></feed>', 'https://example.com/feed.xml');
    expect(root?.base).toBe('https://example.com/blog/');
    expect(first(first(root, 'entry'), 'link')?.base).toBe('https://example.com/blog/2024/');
  });

  it('caps nesting depth', () => {
    const { root } = parseXml(`<r>${'<d>'.repeat(MAX_DEPTH * 3)}x${'</d>'.repeat(MAX_DEPTH * 3)}<after/></r>`);
    let depth = 0;
    let node: XmlElement | undefined = root ?? undefined;
    while (node) {
      depth += 1;
      node = first(node, 'd');
    }
    expect(depth).toBe(MAX_DEPTH);
    expect(textContent(root as XmlElement)).toBe('x');
  });

  it('returns no root for text without elements', () => {
    expect(parseXml('just text').root).toBeNull();
    expect(parseXml('').root).toBeNull();
  });

  // Quadratic parsing of these inputs would take minutes: the test's time limit catches it, no timing needed.
  it('is linear on hostile input', () => {
    parseXml(`<r>${'<a b="1" '.repeat(50_000)}`);
    parseXml(`<r>${'</x>'.repeat(50_000)}${'<!x'.repeat(50_000)}`);
    parseXml(`<r>${'<'.repeat(200_000)}</r>`);
    parseXml(`<r>${'&amp'.repeat(100_000)}</r>`);
  });
});
