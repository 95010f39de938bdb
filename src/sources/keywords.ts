/** Keyword handling shared by the search sources: the keyword list, the "no keywords" error, phrase quoting. */
import { SourceError } from '../errors.js';

/** brand.keywords + the source's own, trimmed, de-duplicated case-insensitively (the first spelling wins). */
export function collectKeywords(...lists: (readonly string[] | undefined)[]): string[] {
  const out = new Map<string, string>();
  for (const list of lists) for (const raw of list ?? []) {
    const keyword = raw.trim();
    if (keyword && !out.has(keyword.toLowerCase())) out.set(keyword.toLowerCase(), keyword);
  }
  return [...out.values()];
}

/** Throws the source's "no keywords" SourceError when the list is empty. */
export function requireKeywords(name: string, keywords: readonly string[]): void {
  if (keywords.length === 0) throw new SourceError(`${name}: no keywords to search for. Add brand.keywords to the config`);
}

/** `"keyword"` as an exact-phrase search term; double quotes inside are dropped (no API escapes them). */
export function quotePhrase(keyword: string): string {
  return `"${keyword.replace(/"/g, '')}"`;
}

/** A keyword with white space as a quoted phrase, a single word as it is. */
export function quoteIfPhrase(keyword: string): string {
  return /\s/.test(keyword) ? quotePhrase(keyword) : keyword;
}
