/** HTML → plain text for mention bodies (HN comment_text, Mastodon content, Reddit body_html, feed summaries). */

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
  copy: '©', reg: '®', trade: '™', deg: '°', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§',
  para: '¶', times: '×', divide: '÷', plusmn: '±', frac12: '½', frac14: '¼', frac34: '¾', iexcl: '¡',
  iquest: '¿', shy: '', zwj: '\u200d', zwnj: '\u200c', thinsp: '\u2009', ensp: '\u2002', emsp: '\u2003',
  aacute: 'á', Aacute: 'Á', eacute: 'é', Eacute: 'É', iacute: 'í', Iacute: 'Í', oacute: 'ó', Oacute: 'Ó',
  uacute: 'ú', Uacute: 'Ú', agrave: 'à', Agrave: 'À', egrave: 'è', Egrave: 'È', igrave: 'ì', ograve: 'ò',
  ugrave: 'ù', acirc: 'â', Acirc: 'Â', ecirc: 'ê', Ecirc: 'Ê', icirc: 'î', ocirc: 'ô', Ocirc: 'Ô', ucirc: 'û',
  auml: 'ä', Auml: 'Ä', euml: 'ë', iuml: 'ï', ouml: 'ö', Ouml: 'Ö', uuml: 'ü', Uuml: 'Ü', yuml: 'ÿ',
  atilde: 'ã', Atilde: 'Ã', otilde: 'õ', Otilde: 'Õ', ntilde: 'ñ', Ntilde: 'Ñ', ccedil: 'ç', Ccedil: 'Ç',
  aring: 'å', Aring: 'Å', aelig: 'æ', AElig: 'Æ', oslash: 'ø', Oslash: 'Ø', szlig: 'ß', eth: 'ð', thorn: 'þ',
};

/** Decodes named (common HTML set) and numeric character references; unknown ones are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'ul', 'ol', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'br']);

/**
 * Strips tags (block elements and <br> become line breaks), drops script/style content and comments, decodes
 * entities, and collapses runs of spaces. One linear pass: safe on hostile input (100k "<" in a row), never throws.
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      out += ' ';
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) {
      // No tag can close any more: the rest is text.
      out += html.slice(lt);
      break;
    }
    const name = /^<\/?([a-z][a-z0-9]*)/i.exec(html.slice(lt, Math.min(gt + 1, lt + 40)))?.[1]?.toLowerCase();
    if (!name) {
      out += '<';
      i = lt + 1;
      continue;
    }
    if ((name === 'script' || name === 'style') && html[lt + 1] !== '/') {
      const close = lower.indexOf(`</${name}`, gt + 1);
      const closeEnd = close === -1 ? -1 : html.indexOf('>', close);
      out += ' ';
      if (closeEnd === -1) break;
      i = closeEnd + 1;
      continue;
    }
    // <br/> serialised by an XML reader arrives as <br></br>: only the opening one breaks the line.
    if (BLOCK_TAGS.has(name) && !(name === 'br' && html[lt + 1] === '/')) out += '\n';
    i = gt + 1;
  }
  return decodeEntities(out)
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
