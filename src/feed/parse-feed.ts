/**
 * Feed bytes → { title, entries }. Pure: no I/O, no clock. Reads RSS 0.9x/2.0, RSS 1.0 (RDF, items
 * outside `<channel>`), Atom 1.0 and 0.3, including the broken ones in test/fixtures/rss/edge-cases.
 */
import { createHash } from 'node:crypto';

import { decodeFeed } from './decode-feed.js';
import { resolveLink, unwrapRedirect, unwrapRedirectsInText } from './feed-links.js';
import { collapseWhitespace, feedHtmlToText, looseTextToPlain } from './feed-text.js';
import { parseFeedDate } from './parse-feed-date.js';
import { hasElementChildren, innerMarkup, parseXml, textContent, type XmlElement } from './parse-xml.js';

export type FeedFormat = 'rss' | 'rdf' | 'atom';

/** One entry's parsed fields: also what an rss mention keeps as its raw payload. */
export interface FeedEntry {
  /** guid, atom:id or rdf:about; else `sha256:` + a hash of link and title. */
  id: string;
  idFrom: 'guid' | 'id' | 'rdf:about' | 'hash';
  /** The permalink: resolved against xml:base and the feed URL, Google redirect unwrapped; null if none. */
  link: string | null;
  /** The link as the feed gave it (resolved, not unwrapped), when it differs from `link`. */
  feedLink?: string;
  /** Plain text. */
  title: string | null;
  /** Plain text of content, summary or description ('' if none). */
  text: string;
  author: string | null;
  /** Epoch ms of published / pubDate / dc:date / issued; null when missing or unreadable. */
  published: number | null;
  /** Epoch ms of updated / modified; null when missing or unreadable. */
  updated: number | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  /** The root's `version` attribute (`2.0`, `0.92`, `0.3`), if any. */
  version: string | null;
  title: string | null;
  /** The feed's own date (channel pubDate, lastBuildDate or dc:date; Atom updated), epoch ms or null. */
  date: number | null;
  /** The encoding the bytes were read with. */
  encoding: string;
  /** False when the document ended early (truncated, no closing root tag): entries are what was read. */
  complete: boolean;
  entries: FeedEntry[];
}

/** The body is not a feed (an HTML page, JSON, an empty body). `found` says what it was instead. */
export class NotAFeedError extends Error {
  constructor(readonly found: string) {
    super(`not an RSS/Atom feed (got ${found})`);
    this.name = 'NotAFeedError';
  }
}

/**
 * @param body the response body
 * @param contentType the response's Content-Type (its charset is the second hint after a BOM)
 * @param feedUrl the feed's own URL, the last base for relative links
 */
export function parseFeed(body: Uint8Array, contentType: string | null | undefined, feedUrl: string): ParsedFeed {
  const decoded = decodeFeed(body, contentType);
  const { root, complete } = parseXml(decoded.text, feedUrl);
  const format = root ? formatOf(root) : undefined;
  if (!root || !format) {
    const found = root ? `<${root.qname}>` : contentType ? `${contentType.split(';')[0]?.trim()} without XML` : 'a body without XML';
    throw new NotAFeedError(found);
  }
  const reader = new FeedReader(format);
  const channel = format === 'atom' ? root : (reader.child(root, 'channel') ?? root);
  const items =
    format === 'atom'
      ? reader.children(root, 'entry')
      : [...reader.children(channel, 'item'), ...(channel === root ? [] : reader.children(root, 'item'))];
  const titleElement = reader.child(channel, 'title');
  const date =
    format === 'atom'
      ? firstDate([reader.childText(root, 'updated'), reader.childText(root, 'modified')])
      : firstDate([childText(channel, 'pubdate'), childText(channel, 'lastbuilddate'), childText(channel, 'dc:date')]);
  return {
    format,
    version: root.attrs.version?.trim() || null,
    title: titleElement ? (format === 'atom' ? atomText(titleElement) : looseTextToPlain(textOf(titleElement))) || null : null,
    date,
    encoding: decoded.encoding,
    complete,
    entries: items
      .map((item) => (format === 'atom' ? reader.atomEntry(item, root) : reader.rssItem(item)))
      .filter((entry) => entry.idFrom !== 'hash' || entry.link !== null || entry.title !== null || entry.text !== ''),
  };
}

function formatOf(root: XmlElement): FeedFormat | undefined {
  const local = root.name.slice(root.name.indexOf(':') + 1);
  if (local === 'rss') return 'rss';
  if (local === 'rdf') return 'rdf';
  if (root.name === 'atom:feed' || root.name === 'feed') return 'atom';
  return undefined;
}

class FeedReader {
  /** Element-name prefixes for this format's own elements: Atom may lack its xmlns; RSS has none. */
  private readonly own: readonly string[];

  constructor(format: FeedFormat) {
    this.own = format === 'atom' ? ['atom:', ''] : [''];
  }

  child(parent: XmlElement, local: string): XmlElement | undefined {
    return this.children(parent, local)[0];
  }

  children(parent: XmlElement, local: string): XmlElement[] {
    const names = this.own.map((prefix) => prefix + local);
    return parent.children.filter((c): c is XmlElement => typeof c !== 'string' && names.includes(c.name));
  }

  atomEntry(entry: XmlElement, feed: XmlElement): FeedEntry {
    const idText = this.childText(entry, 'id');
    const feedLink = this.atomLink(entry);
    const link = feedLink === null ? null : unwrapRedirect(feedLink);
    const titleElement = this.child(entry, 'title');
    const title = titleElement ? atomText(titleElement) || null : null;
    const body = this.child(entry, 'content') ?? this.child(entry, 'summary') ?? mediaDescription(entry);
    const text = body ? unwrapRedirectsInText(atomText(body)) : '';
    const author = this.atomAuthor(entry) ?? this.atomAuthor(feed) ?? nonEmpty(childText(entry, 'dc:creator'));
    const published = firstDate([
      this.childText(entry, 'published'),
      this.childText(entry, 'issued'),
      this.childText(entry, 'created'),
      childText(entry, 'dc:date'),
    ]);
    const updated = firstDate([this.childText(entry, 'updated'), this.childText(entry, 'modified')]);
    return buildEntry(idText ? { id: idText, from: 'id' } : undefined, link, feedLink, title, text, author, published, updated);
  }

  rssItem(item: XmlElement): FeedEntry {
    const guidElement = childElement(item, 'guid');
    const guid = guidElement ? collapseWhitespace(textContent(guidElement)) : '';
    const about = item.attrs['rdf:about']?.trim();
    const identity = guid ? { id: guid, from: 'guid' as const } : about ? { id: about, from: 'rdf:about' as const } : undefined;

    const linkElement = childElement(item, 'link');
    const guidIsLink = guidElement !== undefined && guidElement.attrs.ispermalink?.trim().toLowerCase() !== 'false' && /^https?:\/\//i.test(guid);
    const feedLink =
      resolveLink(childText(item, 'feedburner:origlink'), item.base) ??
      (linkElement ? resolveLink(textContent(linkElement), linkElement.base) : null) ??
      (guidIsLink && guidElement ? resolveLink(guid, guidElement.base) : null) ??
      atomLinkOf(item, ['atom:']);
    const link = feedLink === null ? null : unwrapRedirect(feedLink);

    const titleElement = childElement(item, 'title');
    const title = titleElement ? looseTextToPlain(textOf(titleElement)) || null : null;
    const body = childElement(item, 'content:encoded') ?? childElement(item, 'description') ?? childElement(item, 'dc:description') ?? mediaDescription(item);
    const text = body ? unwrapRedirectsInText(feedHtmlToText(textOf(body))) : '';
    const author =
      nonEmpty(childText(item, 'dc:creator')) ??
      nonEmpty(rssAuthorName(childText(item, 'author'))) ??
      nonEmpty(atomAuthorName(childElement(item, 'atom:author')));
    const published = firstDate([
      childText(item, 'pubdate'),
      childText(item, 'dc:date'),
      childText(item, 'dcterms:issued'),
      childText(item, 'dcterms:created'),
      childText(item, 'atom:published'),
    ]);
    const updated = firstDate([childText(item, 'dcterms:modified'), childText(item, 'atom:updated')]);
    return buildEntry(identity, link, feedLink, title, text, author, published, updated);
  }

  childText(parent: XmlElement, local: string): string | undefined {
    const element = this.child(parent, local);
    return element ? textContent(element) : undefined;
  }

  /** rel="alternate" (or no rel) first, else the first link with an href. */
  private atomLink(entry: XmlElement): string | null {
    return atomLinkOf(entry, this.own);
  }

  private atomAuthor(parent: XmlElement): string | null {
    return nonEmpty(atomAuthorName(this.child(parent, 'author')));
  }
}

function atomLinkOf(parent: XmlElement, prefixes: readonly string[]): string | null {
  const names = prefixes.map((prefix) => `${prefix}link`);
  const links = parent.children.filter(
    (c): c is XmlElement => typeof c !== 'string' && names.includes(c.name) && Boolean(c.attrs.href?.trim()),
  );
  const alternate = links.find((l) => (l.attrs.rel?.trim().toLowerCase() ?? 'alternate') === 'alternate') ?? links[0];
  return alternate ? resolveLink(alternate.attrs.href, alternate.base) : null;
}

function atomAuthorName(author: XmlElement | undefined): string | undefined {
  if (!author) return undefined;
  const name = author.children.find((c): c is XmlElement => typeof c !== 'string' && (c.name === 'atom:name' || c.name === 'name'));
  return name ? textContent(name) : undefined;
}

/** RSS `<author>` is an e-mail address, often `jane@example.com (Jane Doe)`: the name when there is one. */
function rssAuthorName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const named = /\(([^()]+)\)\s*$/.exec(value);
  return named?.[1] ?? value;
}

/** YouTube puts the description in `media:group/media:description`. */
function mediaDescription(parent: XmlElement): XmlElement | undefined {
  const direct = childElement(parent, 'media:description');
  if (direct) return direct;
  const group = childElement(parent, 'media:group');
  return group ? childElement(group, 'media:description') : undefined;
}

/** An Atom text construct (type text | html | xhtml; Atom 0.3 also mode="escaped") as plain text. */
function atomText(element: XmlElement): string {
  const type = element.attrs.type?.trim().toLowerCase() ?? 'text';
  if (hasElementChildren(element)) return feedHtmlToText(innerMarkup(element));
  const value = textContent(element);
  if (type.includes('html') || element.attrs.mode?.trim().toLowerCase() === 'escaped') return feedHtmlToText(value);
  return type === 'text' ? collapseWhitespace(value) : looseTextToPlain(value);
}

/** An RSS field's markup: its text, or its children re-serialised when the HTML was not escaped. */
function textOf(element: XmlElement): string {
  return hasElementChildren(element) ? innerMarkup(element) : textContent(element);
}

function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

function childText(parent: XmlElement, name: string): string | undefined {
  const element = childElement(parent, name);
  return element ? textContent(element) : undefined;
}

function nonEmpty(value: string | undefined | null): string | null {
  const text = value === undefined || value === null ? '' : collapseWhitespace(value);
  return text === '' ? null : text;
}

function firstDate(values: (string | undefined)[]): number | null {
  for (const value of values) {
    const time = parseFeedDate(value);
    if (time !== null) return time;
  }
  return null;
}

function buildEntry(
  identity: { id: string; from: FeedEntry['idFrom'] } | undefined,
  link: string | null,
  feedLink: string | null,
  title: string | null,
  text: string,
  author: string | null,
  published: number | null,
  updated: number | null,
): FeedEntry {
  const id = identity ? collapseWhitespace(identity.id) : undefined;
  const entry: FeedEntry = {
    id: id || hashId(link, title, text),
    idFrom: id ? (identity?.from ?? 'hash') : 'hash',
    link,
    title,
    text,
    author,
    published,
    updated,
  };
  if (feedLink !== null && feedLink !== link) entry.feedLink = feedLink;
  return entry;
}

/** Stable across polls: link and title only (bodies get edited); the text only when both are missing. */
function hashId(link: string | null, title: string | null, text: string): string {
  const basis = link || title ? `${link ?? ''}\n${title ?? ''}` : `\n\n${text}`;
  return `sha256:${createHash('sha256').update(basis).digest('hex').slice(0, 32)}`;
}
