/**
 * A small, recovering XML reader for feeds: text in, element tree out, never throws.
 *
 * - Safe: the DOCTYPE (with any internal subset) is skipped, so DTD-declared entities are never expanded
 *   (billion laughs) and external entities are never fetched or read (XXE). `&lol9;` stays `&lol9;`.
 * - Lenient: HTML named entities (`&aacute;`, `&nbsp;`) are decoded; unknown ones are kept as written;
 *   a stray `<` is text; close tags without an open element are ignored; a missing close tag is implied
 *   by its parent's; a document that stops early (no `</rss>`, a truncated CDATA section) keeps what was read.
 * - Linear: every scan is an `indexOf` or a single forward pass; nesting is capped at MAX_DEPTH.
 *
 * Names are canonicalised through the namespace declarations in scope, so `<a:entry xmlns:a="…/Atom">`
 * and `<entry xmlns="…/Atom">` are both `atom:entry`, while plain RSS elements keep no prefix.
 */
import { decodeEntities } from '../text/html.js';

export interface XmlElement {
  /** Canonical lower-case name: `atom:entry`, `dc:creator`, `media:group`, `title` (RSS has no namespace). */
  name: string;
  /** The name as written (`pubDate`, `rdf:RDF`). */
  qname: string;
  /** Canonical lower-case attribute names (`href`, `xml:base`, `rdf:about`, `ispermalink`) → decoded values. */
  attrs: Record<string, string>;
  children: XmlNode[];
  /** The absolute base URL for this element's relative references: its xml:base chain resolved against the document URL. */
  base: string | undefined;
}

export type XmlNode = XmlElement | string;

export interface XmlDocument {
  root: XmlElement | null;
  /** False when the document ended before its root element was closed. */
  complete: boolean;
}

/** Nesting deeper than this is flattened into the deepest element, which bounds recursion elsewhere. */
export const MAX_DEPTH = 200;

/** Namespace URI → canonical prefix. Unknown namespaces keep the prefix they were written with. */
const KNOWN_NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.youtube.com/xml/schemas/2015': 'yt',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

type Scope = ReadonlyMap<string, string>;

interface Frame {
  element: XmlElement;
  scope: Scope;
}

interface StartTag {
  qname: string;
  attrs: [string, string][];
  selfClosing: boolean;
  end: number;
}

const ROOT_SCOPE: Scope = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

export function parseXml(input: string, documentUrl?: string): XmlDocument {
  const length = input.length;
  const stack: Frame[] = [];
  let root: XmlElement | null = null;
  let rootClosed = false;
  let pos = 0;

  const addText = (text: string, raw: boolean): void => {
    const top = stack[stack.length - 1];
    if (!top || text === '') return;
    top.element.children.push(raw && text.includes('&') ? decodeEntities(text) : text);
  };

  while (pos < length && !rootClosed) {
    const lt = input.indexOf('<', pos);
    addText(input.slice(pos, lt === -1 ? length : lt), true);
    if (lt === -1) break;

    if (input.startsWith('<!--', lt)) {
      const end = input.indexOf('-->', lt + 4);
      if (end === -1) break;
      pos = end + 3;
    } else if (input.startsWith('<![CDATA[', lt)) {
      const end = input.indexOf(']]>', lt + 9);
      addText(input.slice(lt + 9, end === -1 ? length : end), false);
      if (end === -1) break;
      pos = end + 3;
    } else if (input[lt + 1] === '!') {
      pos = skipDeclaration(input, lt + 2);
    } else if (input[lt + 1] === '?') {
      const end = input.indexOf('?>', lt + 2);
      if (end === -1) break;
      pos = end + 2;
    } else if (input[lt + 1] === '/') {
      const end = input.indexOf('>', lt + 2);
      if (end === -1) break;
      const closed = closeElement(stack, input.slice(lt + 2, end).trim());
      if (closed && stack.length === 0) rootClosed = true;
      pos = end + 1;
    } else if (isNameStart(input.charCodeAt(lt + 1))) {
      const tag = readStartTag(input, lt + 1);
      if (!tag) break;
      pos = tag.end;
      if (root && stack.length === 0) continue;
      if (stack.length >= MAX_DEPTH) continue;
      const parent = stack[stack.length - 1];
      const frame = openElement(tag, parent, documentUrl);
      if (parent) parent.element.children.push(frame.element);
      else root = frame.element;
      if (!tag.selfClosing) stack.push(frame);
      else if (!parent) rootClosed = true;
    } else {
      addText('<', false);
      pos = lt + 1;
    }
  }
  return { root, complete: root !== null && rootClosed };
}

/** Serialises an element's children back to markup (for XHTML content or unescaped HTML in a description). */
export function innerMarkup(element: XmlElement): string {
  let out = '';
  for (const child of element.children) {
    if (typeof child === 'string') {
      out += escapeText(child);
      continue;
    }
    const tag = localName(child.qname);
    let attrs = '';
    for (const [name, value] of Object.entries(child.attrs)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      attrs += ` ${name}="${escapeText(value).replace(/"/g, '&quot;')}"`;
    }
    out += `<${tag}${attrs}>${innerMarkup(child)}</${tag}>`;
  }
  return out;
}

/** All text below an element, CDATA included, tags dropped. */
export function textContent(element: XmlElement): string {
  let out = '';
  for (const child of element.children) out += typeof child === 'string' ? child : textContent(child);
  return out;
}

export function hasElementChildren(element: XmlElement): boolean {
  return element.children.some((child) => typeof child !== 'string');
}

function openElement(tag: StartTag, parent: Frame | undefined, documentUrl: string | undefined): Frame {
  let scope = parent?.scope ?? ROOT_SCOPE;
  for (const [name, value] of tag.attrs) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === (parent?.scope ?? ROOT_SCOPE)) scope = new Map(scope);
      (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), value.trim());
    }
  }
  const attrs: Record<string, string> = {};
  for (const [name, value] of tag.attrs) {
    const canonical = name.includes(':') && !name.startsWith('xmlns:') ? canonicalName(name, scope, false) : name.toLowerCase();
    if (!(canonical in attrs)) attrs[canonical] = value;
  }
  const parentBase = parent ? parent.element.base : documentUrl;
  const xmlBase = attrs['xml:base'];
  const element: XmlElement = {
    name: canonicalName(tag.qname, scope, true),
    qname: tag.qname,
    attrs,
    children: [],
    base: xmlBase === undefined ? parentBase : resolveAgainst(xmlBase, parentBase),
  };
  return { element, scope };
}

function canonicalName(qname: string, scope: Scope, isElement: boolean): string {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const local = (colon === -1 ? qname : qname.slice(colon + 1)).toLowerCase();
  if (prefix === '' && !isElement) return local;
  const uri = scope.get(prefix);
  const canonical = uri === undefined ? prefix.toLowerCase() : (KNOWN_NAMESPACES[uri] ?? prefix.toLowerCase());
  return canonical === '' ? local : `${canonical}:${local}`;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

function resolveAgainst(reference: string, base: string | undefined): string | undefined {
  try {
    return new URL(reference.trim(), base).href;
  } catch {
    return base;
  }
}

/** Pops to the nearest open element with this name; an unmatched close tag is ignored. */
function closeElement(stack: Frame[], qname: string): boolean {
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    if (stack[i]?.element.qname === qname) {
      stack.length = i;
      return true;
    }
  }
  const lower = qname.toLowerCase();
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    if (stack[i]?.element.qname.toLowerCase() === lower) {
      stack.length = i;
      return true;
    }
  }
  return false;
}

/** Skips `<!DOCTYPE …>` (with an internal subset in brackets and quoted strings) or any other `<!…>`. */
function skipDeclaration(input: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < input.length; i += 1) {
    const c = input[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[') {
      depth += 1;
    } else if (c === ']') {
      depth = Math.max(0, depth - 1);
    } else if (c === '>' && depth === 0) {
      return i + 1;
    }
  }
  return input.length;
}

function readStartTag(input: string, from: number): StartTag | null {
  const length = input.length;
  let i = from;
  while (i < length && !isSpace(input.charCodeAt(i)) && input[i] !== '>' && input[i] !== '/') i += 1;
  const qname = input.slice(from, i);
  const attrs: [string, string][] = [];
  for (;;) {
    while (i < length && isSpace(input.charCodeAt(i))) i += 1;
    if (i >= length) return null;
    const c = input[i];
    if (c === '>') return { qname, attrs, selfClosing: false, end: i + 1 };
    if (c === '/') {
      if (input[i + 1] === '>') return { qname, attrs, selfClosing: true, end: i + 2 };
      i += 1;
      continue;
    }
    const nameStart = i;
    while (i < length && !isSpace(input.charCodeAt(i)) && input[i] !== '=' && input[i] !== '>' && input[i] !== '/') i += 1;
    const name = input.slice(nameStart, i);
    while (i < length && isSpace(input.charCodeAt(i))) i += 1;
    let value = '';
    if (input[i] === '=') {
      i += 1;
      while (i < length && isSpace(input.charCodeAt(i))) i += 1;
      const q = input[i];
      if (q === '"' || q === "'") {
        const close = input.indexOf(q, i + 1);
        if (close === -1) return null;
        value = input.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueStart = i;
        while (i < length && !isSpace(input.charCodeAt(i)) && input[i] !== '>') i += 1;
        value = input.slice(valueStart, i);
      }
    }
    if (name !== '') attrs.push([name, value.includes('&') ? decodeEntities(value) : value]);
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Letters, `_`, `:` and anything non-ASCII can start an element name; `<` before anything else is text. */
function isNameStart(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x3a || code > 0x7f;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
