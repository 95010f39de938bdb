/** The brand's keywords and exclusions, applied uniformly after fetching: case-insensitive, whole words and phrases. */

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One alternation of whole-word phrases; whitespace inside a phrase matches any run of whitespace. */
function phrasesRegex(phrases: string[]): RegExp | null {
  const parts = phrases
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((p) => p.split(/\s+/).map(escape).join('\\s+'));
  if (parts.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${parts.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

export interface KeywordMatcher {
  /** True when the text mentions a keyword outside every excluded phrase. */
  matches(text: string): boolean;
}

/**
 * An exclusion wins over a keyword: excluded phrases are blanked out first, so "acme anvil" (excluded) does not
 * count as "acme", while "acme anvil broke and acme support is silent" still does (the second "acme").
 */
export function createKeywordMatcher(keywords: string[], exclude: string[]): KeywordMatcher {
  const keywordRe = phrasesRegex(keywords);
  const excludeRe = phrasesRegex(exclude);
  return {
    matches(text) {
      if (!keywordRe) return false;
      const visible = excludeRe ? text.replace(excludeRe, (m) => ' '.repeat(m.length)) : text;
      keywordRe.lastIndex = 0;
      return keywordRe.test(visible);
    },
  };
}
