/** Entry links: relative references resolved, Google redirect wrappers removed, only http(s) kept. */

/**
 * Resolves a link against its element's base (xml:base chain, then the feed URL). Returns null for an
 * empty value, a relative link with no base, or any scheme other than http/https (`javascript:`, `tag:`).
 */
export function resolveLink(value: string | null | undefined, base: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

/**
 * `https://www.google.com/url?rct=j&sa=t&url=<TARGET>&ct=ga&…` (Google Alerts) → TARGET.
 * Any other URL, or a wrapper whose target is not http(s), is returned unchanged.
 */
export function unwrapRedirect(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  if (!isGoogleHost(url.hostname) || url.pathname !== '/url') return link;
  const target = url.searchParams.get('url') ?? url.searchParams.get('q');
  if (!target || !/^https?:\/\//i.test(target)) return link;
  try {
    return new URL(target).href;
  } catch {
    return link;
  }
}

/** Unwraps every Google redirect URL written out in plain text. */
export function unwrapRedirectsInText(text: string): string {
  if (!text.includes('/url?')) return text;
  return text.replace(/https?:\/\/(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?\/url\?[^\s<>"']+/gi, (match) => unwrapRedirect(match));
}

function isGoogleHost(hostname: string): boolean {
  return /^(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?$/i.test(hostname);
}
