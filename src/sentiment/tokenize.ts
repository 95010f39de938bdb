/**
 * A single-pass tokenizer for short social posts, written for speed (one scan, no regular expressions).
 *
 * - Words are lower-cased runs of letters, digits and inner apostrophes (’ becomes ').
 * - Clause punctuation (. , ; : ! ? and line breaks) becomes the token BREAK, so phrases and
 *   negation never reach across a clause.
 * - @handles and URLs are dropped: they name accounts and links, not feelings.
 * - #hashtags keep their word (`#fail` → `fail`).
 * - Emoji listed in `emoji` become tokens of their own, even when glued to a word.
 */

export const BREAK = '.';

export interface Tokens {
  words: string[];
  /** Number of `?` in the text. */
  questionMarks: number;
  /** Number of `!` in the text. */
  exclamations: number;
  /** Hashtag words, without the `#` (also in `words`). */
  hashtags: string[];
  /** A run of question and exclamation marks with at least two marks and one `?` ("??", "?!"). */
  exasperated: boolean;
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Bang = 33,
  Hash = 35,
  Apostrophe = 39,
  Comma = 44,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semicolon = 59,
  Question = 63,
  At = 64,
  UpperA = 65,
  UpperZ = 90,
  Underscore = 95,
  LowerA = 97,
  LowerZ = 122,
  RightQuote = 0x2019,
  Ellipsis = 0x2026,
}

function isWordChar(c: number): boolean {
  return (
    (c >= Ch.LowerA && c <= Ch.LowerZ) ||
    (c >= Ch.UpperA && c <= Ch.UpperZ) ||
    (c >= Ch.Zero && c <= Ch.Nine) ||
    // Latin-1 supplement and Latin Extended-A/B letters (é, ñ, ß, ...), minus × and ÷.
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Newline || c === Ch.Tab || c === Ch.Return;
}

/** Splits `text` into words; `emoji` is the set of emoji the scorer knows. */
export function tokenize(input: string, emoji: ReadonlySet<string>): Tokens {
  const words: string[] = [];
  const hashtags: string[] = [];
  let questionMarks = 0;
  let exclamations = 0;
  let exasperated = false;
  // Lower-case once; the rare text whose length changes (e.g. "İ") is lower-cased word by word.
  const lower = input.toLowerCase();
  const lowerWords = lower.length !== input.length;
  const text = lowerWords ? input : lower;
  const n = text.length;
  let i = 0;

  let open = false; // the last token is a word, so a BREAK may follow

  while (i < n) {
    const c = text.charCodeAt(i);

    if (isWordChar(c)) {
      const start = i;
      let hasQuote = false;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWordChar(d)) {
          i++;
        } else if ((d === Ch.Apostrophe || d === Ch.RightQuote) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
          hasQuote = true;
          i++;
        } else break;
      }
      let word = text.slice(start, i);
      // URL: a word directly followed by "://", or starting with "www.".
      if (text.charCodeAt(i) === Ch.Colon && text.charCodeAt(i + 1) === Ch.Slash && text.charCodeAt(i + 2) === Ch.Slash) {
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      if (lowerWords) word = word.toLowerCase();
      if (hasQuote) word = word.replace(/\u2019/g, "'");
      if (word === 'www' && text.charCodeAt(i) === Ch.Dot) {
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      // "2hrs", "45min": the number and the unit are two words, so "N hours" phrases see them.
      if (c >= Ch.Zero && c <= Ch.Nine) {
        let j = 1;
        while (j < word.length && word.charCodeAt(j) >= Ch.Zero && word.charCodeAt(j) <= Ch.Nine) j++;
        if (j < word.length && j < word.length - 2 && !hasQuote) {
          words.push(word.slice(0, j), word.slice(j));
          open = true;
          continue;
        }
      }
      words.push(word);
      open = true;
      if (start > 0 && text.charCodeAt(start - 1) === Ch.Hash) hashtags.push(word);
      continue;
    }

    if (c === Ch.At) {
      // @handle (letters, digits, underscores, dots and dashes for fediverse/bluesky handles).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWordChar(d) || d === Ch.Underscore) i++;
        else if ((d === Ch.Dot || d === 45 || d === Ch.At) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) i++;
        else break;
      }
      continue;
    }

    if (c === Ch.Question || c === Ch.Bang) {
      let marks = 0;
      let asks = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === Ch.Question) asks++;
        else if (d !== Ch.Bang) break;
        marks++;
        i++;
      }
      questionMarks += asks;
      exclamations += marks - asks;
      if (marks > 1 && asks > 0) exasperated = true;
      if (open) {
        words.push(BREAK);
        open = false;
      }
      continue;
    }
    if (c === Ch.Dot || c === Ch.Newline || c === Ch.Ellipsis) {
      if (open) {
        words.push(BREAK);
        open = false;
      }
      i++;
      continue;
    }
    if (c === Ch.Comma || c === Ch.Semicolon || c === Ch.Colon || c === 0x2014 || c === 0x2013) {
      if (open) {
        words.push(BREAK);
        open = false;
      }
      i++;
      continue;
    }

    if (c >= 0xd800 && c <= 0xdbff) {
      // Astral code point (most emoji); a following variation selector is skipped.
      const symbol = text.slice(i, i + 2);
      if (emoji.has(symbol)) {
        words.push(symbol);
        open = true;
      }
      i += 2;
      continue;
    }
    if (c > 0x7f) {
      const symbol = text[i] as string;
      if (emoji.has(symbol)) {
        words.push(symbol);
        open = true;
      }
    }
    i++;
  }
  if (words.length > 0 && words[words.length - 1] === BREAK) words.pop();
  return { words, hashtags, questionMarks, exclamations, exasperated };
}
