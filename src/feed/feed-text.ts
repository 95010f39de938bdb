/** Feed HTML and text fields → plain text, in time linear in the input whatever the feed contains. */
import { htmlToText } from '../text/html.js';

/** Longer fields are cut before conversion; no mention needs more. */
export const MAX_FIELD_CHARS = 100_000;

/**
 * htmlToText, after defusing the inputs that make its regular expressions quadratic: a `<` with no `>`
 * before the next `<`, or not followed by a letter, `/`, `!` or `?`, becomes `&lt;` (it is text, as in
 * HTML: `a < b and c > d`), and `<script`, `<style` and `<!--` openers that no closer follows lose their
 * special meaning.
 */
export function feedHtmlToText(html: string): string {
  return htmlToText(defuseHtml(html.length > MAX_FIELD_CHARS ? html.slice(0, MAX_FIELD_CHARS) : html));
}

/** Whitespace runs → one space, trimmed. */
export function collapseWhitespace(text: string): string {
  return (text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text).replace(/\s+/g, ' ').trim();
}

/** A field that may hold HTML (RSS titles and descriptions): converted when it has a tag or an entity. */
export function looseTextToPlain(text: string): string {
  return /<[a-z/!]|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.test(text) ? collapseWhitespace(feedHtmlToText(text)) : collapseWhitespace(text);
}

function defuseHtml(html: string): string {
  let out = '';
  let copied = 0;
  let gt = html.indexOf('>');
  let lt = html.indexOf('<');
  while (lt !== -1) {
    const nextLt = html.indexOf('<', lt + 1);
    if (gt !== -1 && gt < lt) gt = html.indexOf('>', lt);
    if (gt === -1 || (nextLt !== -1 && nextLt < gt) || !/[A-Za-z/!?]/.test(html[lt + 1] ?? '')) {
      out += `${html.slice(copied, lt)}&lt;`;
      copied = lt + 1;
    }
    lt = nextLt;
  }
  out += html.slice(copied);

  const lastClose: Record<string, number> = { script: -1, style: -1 };
  for (const match of out.matchAll(/<\/(script|style)\s*>/gi)) lastClose[(match[1] ?? '').toLowerCase()] = match.index;
  out = out.replace(/<(script|style)\b/gi, (opener: string, tag: string, offset: number) =>
    offset > (lastClose[tag.toLowerCase()] ?? -1) ? `<x-${tag}` : opener,
  );
  const lastCommentEnd = out.lastIndexOf('-->');
  return out.replace(/<!--/g, (opener: string, offset: number) => (offset > lastCommentEnd - 4 ? '<!x--' : opener));
}
