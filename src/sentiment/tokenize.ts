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

/** Character codes (plain constants: with isolatedModules a const enum becomes an object looked up on every use). */
const CH_TAB = 9;
const CH_NEWLINE = 10;
const CH_RETURN = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_HASH = 35;
const CH_APOSTROPHE = 39;
const CH_COMMA = 44;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_ZERO = 48;
const CH_NINE = 57;
const CH_COLON = 58;
const CH_SEMICOLON = 59;
const CH_QUESTION = 63;
const CH_AT = 64;
const CH_UPPER_A = 65;
const CH_UPPER_Z = 90;
const CH_UNDERSCORE = 95;
const CH_LOWER_A = 97;
const CH_LOWER_Z = 122;
const CH_RIGHT_QUOTE = 0x2019;
const CH_ELLIPSIS = 0x2026;

function isWordChar(c: number): boolean {
  return (
    (c >= CH_LOWER_A && c <= CH_LOWER_Z) ||
    (c >= CH_UPPER_A && c <= CH_UPPER_Z) ||
    (c >= CH_ZERO && c <= CH_NINE) ||
    // Latin-1 supplement and Latin Extended-A/B letters (é, ñ, ß, ...), minus × and ÷.
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)
  );
}

function isSpace(c: number): boolean {
  return c === CH_SPACE || c === CH_NEWLINE || c === CH_TAB || c === CH_RETURN;
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
        } else if ((d === CH_APOSTROPHE || d === CH_RIGHT_QUOTE) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) {
          hasQuote = true;
          i++;
        } else break;
      }
      let word = text.slice(start, i);
      // URL: a word directly followed by "://", or starting with "www.".
      // (Every read stays within the text: an out-of-bounds charCodeAt sends optimised code back to the interpreter.)
      if (i + 2 < n && text.charCodeAt(i) === CH_COLON && text.charCodeAt(i + 1) === CH_SLASH && text.charCodeAt(i + 2) === CH_SLASH) {
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      if (lowerWords) word = word.toLowerCase();
      if (hasQuote) word = word.replace(/\u2019/g, "'");
      if (word === 'www' && i < n && text.charCodeAt(i) === CH_DOT) {
        while (i < n && !isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      // "2hrs", "45min": the number and the unit are two words, so "N hours" phrases see them.
      if (c >= CH_ZERO && c <= CH_NINE) {
        let j = 1;
        while (j < word.length && word.charCodeAt(j) >= CH_ZERO && word.charCodeAt(j) <= CH_NINE) j++;
        if (j < word.length && j < word.length - 2 && !hasQuote) {
          words.push(word.slice(0, j), word.slice(j));
          open = true;
          continue;
        }
      }
      words.push(word);
      open = true;
      if (start > 0 && text.charCodeAt(start - 1) === CH_HASH) hashtags.push(word);
      continue;
    }

    if (c === CH_AT) {
      // @handle (letters, digits, underscores, dots and dashes for fediverse/bluesky handles).
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWordChar(d) || d === CH_UNDERSCORE) i++;
        else if ((d === CH_DOT || d === 45 || d === CH_AT) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) i++;
        else break;
      }
      continue;
    }

    if (c === CH_QUESTION || c === CH_BANG) {
      let marks = 0;
      let asks = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === CH_QUESTION) asks++;
        else if (d !== CH_BANG) break;
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
    if (c === CH_DOT || c === CH_NEWLINE || c === CH_ELLIPSIS) {
      if (open) {
        words.push(BREAK);
        open = false;
      }
      i++;
      continue;
    }
    if (c === CH_COMMA || c === CH_SEMICOLON || c === CH_COLON || c === 0x2014 || c === 0x2013) {
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
