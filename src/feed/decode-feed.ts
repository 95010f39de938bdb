/**
 * Feed bytes → text. Precedence (SOURCES.md §8): byte order mark, HTTP `charset`, XML declaration,
 * then sniffing. A body that claims UTF-8 but is not valid UTF-8 is read as windows-1252; an undeclared
 * body that is not UTF-8 is read as KOI8-R or windows-1251 when it looks Cyrillic, else windows-1252.
 */

export interface DecodedFeed {
  /** The document, with the BOM and any whitespace before the first `<` removed and C1 controls repaired. */
  text: string;
  /** The WHATWG name of the encoding used (`utf-8`, `windows-1252`, `koi8-r`...). */
  encoding: string;
  /** How the encoding was chosen. */
  by: 'bom' | 'http' | 'declaration' | 'sniff' | 'fallback';
}

export function decodeFeed(bytes: Uint8Array, contentType?: string | null): DecodedFeed {
  const bom = detectBom(bytes);
  if (bom) return finish(decodeOrFallback(bytes.subarray(bom.length), bom.encoding), 'bom');

  // A UTF-16 label on bytes that are not UTF-16 (an ASCII `<`) is wrong; sniffing finds real UTF-16.
  const utf16 = sniffUtf16(bytes);
  const fromHttp = labelToEncoding(charsetOf(contentType));
  if (fromHttp && (!fromHttp.startsWith('utf-16') || utf16)) return finish(decodeOrFallback(bytes, utf16 ?? fromHttp), 'http');

  const fromDeclaration = labelToEncoding(declaredEncoding(bytes));
  if (fromDeclaration && !fromDeclaration.startsWith('utf-16')) {
    return finish(decodeOrFallback(bytes, fromDeclaration), 'declaration');
  }

  if (utf16) return finish({ text: new TextDecoder(utf16).decode(bytes), encoding: utf16, fellBack: false }, 'sniff');

  const utf8 = tryDecode(bytes, 'utf-8');
  if (utf8 !== null) return finish({ text: utf8, encoding: 'utf-8', fellBack: false }, 'sniff');
  const guess = guessSingleByteEncoding(bytes);
  return finish({ text: new TextDecoder(guess).decode(bytes), encoding: guess, fellBack: false }, 'sniff');
}

/** `text/xml; charset="ISO-8859-1"` → `ISO-8859-1`. */
export function charsetOf(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return match?.[1];
}

interface Decoded {
  text: string;
  encoding: string;
  fellBack: boolean;
}

function finish(decoded: Decoded, by: DecodedFeed['by']): DecodedFeed {
  const text = repairC1Controls(decoded.text).replace(/^[\ufeff\s]+/, '');
  return { text, encoding: decoded.encoding, by: decoded.fellBack ? 'fallback' : by };
}

function detectBom(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** `<?xml version="1.0" encoding="ISO-8859-1"?>` in the first KiB (it may follow a comment). */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  const match = /<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match?.[1];
}

function sniffUtf16(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00) return 'utf-16be';
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[3] === 0x00) return 'utf-16le';
  return undefined;
}

/** A label TextDecoder knows, as its canonical name; undefined for unknown labels. */
function labelToEncoding(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

function tryDecode(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeOrFallback(bytes: Uint8Array, encoding: string): Decoded {
  const text = tryDecode(bytes, encoding);
  if (text !== null) return { text, encoding, fellBack: false };
  if (encoding === 'utf-8') return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252', fellBack: true };
  return { text: new TextDecoder(encoding).decode(bytes), encoding, fellBack: false };
}

/**
 * Not UTF-8 and undeclared: Cyrillic text in a single-byte encoding has most of its letters above 0x7F,
 * Latin-1 text only a few. KOI8-R puts lower case at 0xC0–0xDF and windows-1251 at 0xE0–0xFF, and running
 * text is mostly lower case.
 */
function guessSingleByteEncoding(bytes: Uint8Array): string {
  let asciiLetters = 0;
  let high = 0;
  let c0toDf = 0;
  let e0toFf = 0;
  let inTag = false;
  for (const byte of bytes) {
    if (byte === 0x3c) inTag = true;
    else if (byte === 0x3e) inTag = false;
    if (inTag) continue;
    if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) asciiLetters += 1;
    else if (byte >= 0x80) {
      high += 1;
      if (byte >= 0xc0 && byte <= 0xdf) c0toDf += 1;
      else if (byte >= 0xe0) e0toFf += 1;
    }
  }
  const looksCyrillic = high >= 20 && high > asciiLetters && c0toDf + e0toFf > high * 0.8;
  if (!looksCyrillic) return 'windows-1252';
  return c0toDf >= e0toFf ? 'koi8-r' : 'windows-1251';
}

/**
 * windows-1252 at 0x80–0x9F (WHATWG Encoding). Written out because Node 20's TextDecoder('windows-1252')
 * decodes these bytes as Latin-1 C1 controls, so both the declared-cp1252 and the mis-decoded-UTF-8 cases
 * end up here.
 */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** U+0080–U+009F in decoded text are cp1252 bytes read as Latin-1 (`don\u0092t` → `don’t`). */
function repairC1Controls(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}
