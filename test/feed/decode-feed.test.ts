import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { charsetOf, decodeFeed } from '../../src/feed/decode-feed.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rss/', import.meta.url));
const fixture = (file: string): Buffer => readFileSync(FIXTURES + file);

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const koi8r = (text: string): Buffer => Buffer.from(new Uint8Array([...text].map((c) => KOI8R_ENCODE.get(c) ?? c.charCodeAt(0))));
const cp1251 = (text: string): Buffer =>
  Buffer.from(new Uint8Array([...text].map((c) => (c >= 'А' && c <= 'я' ? 0xc0 + c.charCodeAt(0) - 0x410 : c.charCodeAt(0)))));

const KOI8R_ENCODE = (() => {
  const decoder = new TextDecoder('koi8-r');
  const map = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte += 1) map.set(decoder.decode(Uint8Array.of(byte)), byte);
  return map;
})();

describe('decodeFeed: fixtures', () => {
  it.each([
    ['iso-8859-1-declared.rss', 'windows-1252', 'declaration', 'Jornal de Notícias'],
    ['edge-cases/latin1-no-xml-declaration-cdata.rss', 'windows-1252', 'sniff', 'Últimas Notícias'],
    ['edge-cases/rss092-nonstandard-dates.rss', 'windows-1252', 'declaration', 'RSS0.92 Example'],
    ['edge-cases/koi8r-undeclared.rss', 'koi8-r', 'sniff', 'Как пережить новогоднюю ночь'],
    ['edge-cases/utf8-bom.rss', 'utf-8', 'bom', 'Feed Title'],
    ['edge-cases/c1-control-char-smart-quote.rss', 'utf-8', 'sniff', '<description>don\u2019t</description>'],
    ['youtube-channel.atom', 'utf-8', 'declaration', 'The Google app: Questions'],
  ])('%s → %s (by %s)', (file, encoding, by, contains) => {
    const decoded = decodeFeed(fixture(file));
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.by).toBe(by);
    expect(decoded.text).toContain(contains);
  });

  it('strips the BOM and leading whitespace, so the document starts at <', () => {
    expect(decodeFeed(fixture('edge-cases/utf8-bom.rss')).text.startsWith('<!--')).toBe(true);
    expect(decodeFeed(fixture('edge-cases/leading-whitespace-before-decl.rss')).text.startsWith('<!--')).toBe(true);
    expect(decodeFeed(fixture('youtube-channel.atom')).text.startsWith('<?xml')).toBe(true);
  });
});

describe('decodeFeed: precedence', () => {
  const body = (declared: string, word: string): Buffer => latin1(`<?xml version="1.0" encoding="${declared}"?><rss><title>${word}</title></rss>`);

  it('HTTP charset beats the XML declaration', () => {
    const bytes = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>'), Buffer.from('Ação', 'utf8'), Buffer.from('</title></rss>')]);
    const decoded = decodeFeed(bytes, 'application/rss+xml; charset=UTF-8');
    expect(decoded).toMatchObject({ encoding: 'utf-8', by: 'http' });
    expect(decoded.text).toContain('Ação');
  });

  it('a BOM beats the HTTP charset', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss><title>Ação</title></rss>', 'utf8')]);
    expect(decodeFeed(bytes, 'text/xml; charset=iso-8859-1')).toMatchObject({ encoding: 'utf-8', by: 'bom', text: '<rss><title>Ação</title></rss>' });
  });

  it('the XML declaration is used when HTTP says nothing', () => {
    expect(decodeFeed(body('ISO-8859-1', 'Ação'), 'application/rss+xml').text).toContain('Ação');
  });

  it('declared UTF-8 that is not UTF-8 falls back to windows-1252', () => {
    const decoded = decodeFeed(body('UTF-8', 'Ação'));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', by: 'fallback' });
    expect(decoded.text).toContain('Ação');
  });

  it('cp1252 quotes declared as ISO-8859-1 come out as quotes, not C1 controls', () => {
    const bytes = Buffer.concat([latin1('<?xml version="1.0" encoding="iso-8859-1"?><rss><title>'), Buffer.from([0x93, 0x68, 0x69, 0x94, 0x80]), latin1('</title></rss>')]);
    expect(decodeFeed(bytes).text).toContain('<title>“hi”€</title>');
  });

  it('an unknown label is ignored', () => {
    expect(decodeFeed(body('x-no-such-charset', 'plain'), 'text/xml; charset=bogus')).toMatchObject({ encoding: 'utf-8', by: 'sniff' });
  });

  it('UTF-16 with a BOM and without one', () => {
    const text = '<rss><title>Ünïcödé</title></rss>';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeFeed(le).text).toBe(text);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect(decodeFeed(be)).toMatchObject({ encoding: 'utf-16be', text });
  });

  it('a UTF-16 charset on ASCII-compatible bytes is ignored', () => {
    expect(decodeFeed(Buffer.from('<rss><title>Ação</title></rss>'), 'text/xml; charset=utf-16')).toMatchObject({
      encoding: 'utf-8',
      text: '<rss><title>Ação</title></rss>',
    });
  });
});

describe('decodeFeed: sniffing undeclared single-byte text', () => {
  const russian = 'Новый год обязательно наступит. Несмотря ни на что! Это не просто очередной праздник.';

  it('KOI8-R', () => {
    const decoded = decodeFeed(koi8r(`<rss><channel><item><title>${russian}</title></item></channel></rss>`));
    expect(decoded.encoding).toBe('koi8-r');
    expect(decoded.text).toContain('обязательно');
  });

  it('windows-1251', () => {
    const decoded = decodeFeed(cp1251(`<rss><channel><item><title>${russian}</title></item></channel></rss>`));
    expect(decoded.encoding).toBe('windows-1251');
    expect(decoded.text).toContain('обязательно');
  });

  it('Latin-1 with a few accents stays windows-1252', () => {
    const decoded = decodeFeed(latin1('<rss><title>Últimas Notícias: ação, coração, pão</title></rss>'));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toContain('coração');
  });
});

describe('charsetOf', () => {
  it.each([
    ['text/xml; charset=ISO-8859-1', 'ISO-8859-1'],
    ['application/rss+xml;charset="utf-8"', 'utf-8'],
    ['text/html', undefined],
    [null, undefined],
  ])('%s → %s', (contentType, expected) => {
    expect(charsetOf(contentType)).toBe(expected);
  });
});
