/**
 * Complaint detection: AFINN-165 (from the `sentiment` package) plus a customer-service layer.
 * The only module that imports `sentiment`. Pure: text in, one JSON-serialisable verdict out.
 *
 * Only the package's word tables are used. Its `analyze()` merges `extras` into a table shared by
 * every later call, and its regex tokenizer is too slow for a full re-classify, so each classifier
 * copies the tables into its own Map and scores with its own tokenizer. Nothing is ever written back.
 */
import { createRequire } from 'node:module';
import type { Intent, SentimentLabel } from '../types.js';
import {
  NEGATABLE_PROBLEMS,
  NEGATION_FILLERS,
  NEGATORS,
  CONTRAST_WORDS,
  COURTESY_WORDS,
  EXCLAIM_WORDS,
  HASHTAG_PROBLEMS,
  NUMBER_WORDS,
  RESOLUTION_WORDS,
  REQUEST_STARTS,
  SECOND_PERSON,
  SERVICE_PHRASES,
  SERVICE_WORDS,
  type PhraseKind,
} from './lexicon.js';
import { BREAK, tokenize } from './tokenize.js';

const require = createRequire(import.meta.url);
const AFINN = require('sentiment/languages/en/labels.json') as Readonly<Record<string, number>>;
const EMOJI = require('sentiment/build/emoji.json') as Readonly<Record<string, number>>;

export interface ClassifierOptions {
  /** The brand's names and handles ("Acme", "Acme Cloud", "@acme"): never scored. */
  brandNames?: string[];
  /** word (or phrase) → score on AFINN's -5..+5 scale; replaces the built-in score. */
  extraWords?: Record<string, number>;
  /** Phrases that always mark a complaint. */
  complaintPhrases?: string[];
}

export interface ClassifyHints {
  /** The post @-mentions or replies to one of the brand's accounts. */
  addressesBrand?: boolean;
}

export interface Classification {
  score: number;
  comparative: number;
  label: SentimentLabel;
  complaint: boolean;
  intent: Intent;
  /** Words and phrases that pushed the score up, in text order. */
  positive: string[];
  /** Words and phrases that pushed the score down, in text order. */
  negative: string[];
  /** Why, in words: 'phrase "still waiting"', 'sarcasm "thanks for nothing"', 'question to the brand'. */
  rules: string[];
}

export type Classify = (text: string, hints?: ClassifyHints) => Classification;

type CompiledKind = PhraseKind | 'user' | 'word' | 'brand';

interface CompiledPhrase {
  words: string[];
  text: string;
  hasNumber: boolean;
  score: number;
  kind: CompiledKind;
}

const NUMBER = '<n>';
/** User phrases weigh like the strongest built-in ones and force the verdict. */
const USER_PHRASE_SCORE = -3;
const NEGATION_WINDOW = 3;
/** Problems at least this bad make courtesy words count for nothing. */
const STRONG_PROBLEM = -2;
/** A negation with nothing positive to negate: "didn't arrive", "never came". */
const DENIAL_SCORE = -1;
const HASHTAG_SCORE = -2;
/** Other praise at least this strong keeps courtesy words positive. */
const STRONG_PRAISE = 3;
/** Added for "??" and "?!" when nothing positive outweighs it. */
const EXASPERATION_SCORE = -1;
/** A sarcastic exclamation is a short clause: at most this many words. */
const EXCLAMATION_WORDS = 2;

/** What the lexicon knows about a word, as bits, so each token costs one Map lookup. */
const enum Flag {
  Negator = 1,
  SecondPerson = 2,
  Resolution = 4,
  Contrast = 8,
  Brand = 16,
  Problem = 32,
  User = 64,
  Courtesy = 128,
  Exclaim = 256,
  Number = 512,
  Request = 1024,
  Negatable = 2048,
  Filler = 4096,
}

interface Entry {
  /** AFINN-scale score; 0 means the word only carries flags. */
  score: number;
  flags: number;
  /** Phrases that start with this word, longest first. */
  phrases: CompiledPhrase[] | undefined;
}

const EMOJI_SET = new Set(Object.keys(EMOJI));

function splitWords(phrase: string): string[] {
  return tokenize(phrase, EMOJI_SET)
    .words.filter((w) => w !== BREAK)
    .map((w) => (w === 'n' ? NUMBER : w));
}

function isDigit(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** One classifier's private word table: AFINN, the customer-service layer, the brand and the user's words. */
class Lexicon {
  readonly #entries = new Map<string, Entry>();
  readonly #brandWords = new Set<string>();
  #numberPhrases: CompiledPhrase[] | undefined;
  /** Where the last phrase found by `matchPhrase` ends (exclusive). */
  matchEnd = 0;

  get(word: string): Entry | undefined {
    return this.#entries.get(word);
  }

  #entry(word: string): Entry {
    let entry = this.#entries.get(word);
    if (entry === undefined) {
      entry = { score: 0, flags: 0, phrases: undefined };
      this.#entries.set(word, entry);
    }
    return entry;
  }

  setScore(word: string, score: number): void {
    this.#entry(word).score = score;
  }

  flag(words: Iterable<string>, flag: Flag): void {
    for (const word of words) {
      this.#entry(word).flags |= flag;
      if (flag === Flag.Brand) this.#brandWords.add(word);
    }
  }

  unflag(word: string, flag: Flag): void {
    const entry = this.#entries.get(word);
    if (entry !== undefined) entry.flags &= ~flag;
  }

  isNumber(word: string): boolean {
    return isDigit(word) || ((this.#entries.get(word)?.flags ?? 0) & Flag.Number) !== 0;
  }

  /** Adds (or replaces) a phrase of two words or more. */
  addPhrase(text: string, score: number, kind: CompiledKind): void {
    const words = splitWords(text);
    if (words.length < 2) return;
    const first = words[0] as string;
    const phrase = { words, text: words.join(' '), hasNumber: words.includes(NUMBER), score, kind };
    let list: CompiledPhrase[];
    if (first === NUMBER) list = this.#numberPhrases ??= [];
    else list = this.#entry(first).phrases ??= [];
    const existing = list.findIndex((p) => p.text === phrase.text);
    if (existing >= 0) list[existing] = phrase;
    else list.push(phrase);
    list.sort((a, b) => b.words.length - a.words.length);
  }

  /** The longest phrase starting at `start`, if any. */
  matchPhrase(entry: Entry | undefined, words: readonly string[], start: number): CompiledPhrase | undefined {
    const found = entry?.phrases === undefined ? undefined : this.#first(entry.phrases, words, start);
    if (found !== undefined || this.#numberPhrases === undefined) return found;
    const isNumber = entry === undefined ? isDigit(words[start] as string) : (entry.flags & Flag.Number) !== 0 || isDigit(words[start] as string);
    return isNumber ? this.#first(this.#numberPhrases, words, start) : undefined;
  }

  /**
   * The first (longest) phrase of `list` at `start`. The brand's own names may sit inside it:
   * "is Acme down" matches "is down". Sets `matchEnd`.
   */
  #first(list: CompiledPhrase[], words: readonly string[], start: number): CompiledPhrase | undefined {
    outer: for (const phrase of list) {
      let j = start + 1;
      for (let k = 1; k < phrase.words.length; k++, j++) {
        const want = phrase.words[k] as string;
        let got = words[j];
        while (got !== undefined && got !== want && this.#brandWords.size > 0 && this.#brandWords.has(got)) got = words[++j];
        if (got === undefined) continue outer;
        if (got !== want && !(want === NUMBER && this.isNumber(got))) continue outer;
      }
      this.matchEnd = j;
      return phrase;
    }
    return undefined;
  }
}

function buildLexicon(options: ClassifierOptions): Lexicon {
  const lexicon = new Lexicon();
  for (const [word, score] of Object.entries(AFINN)) {
    if (word.includes(' ')) lexicon.addPhrase(word, score, 'word');
    else lexicon.setScore(word, score);
  }
  for (const [symbol, score] of Object.entries(EMOJI)) lexicon.setScore(symbol, score);
  for (const [word, score] of Object.entries(SERVICE_WORDS)) {
    lexicon.setScore(word, score);
    if (score < 0) lexicon.flag([word], Flag.Problem);
  }
  for (const entry of SERVICE_PHRASES) lexicon.addPhrase(entry.phrase, entry.score, entry.kind);
  lexicon.flag(NEGATORS, Flag.Negator);
  lexicon.flag(SECOND_PERSON, Flag.SecondPerson);
  lexicon.flag(RESOLUTION_WORDS, Flag.Resolution);
  lexicon.flag(CONTRAST_WORDS, Flag.Contrast);
  lexicon.flag(COURTESY_WORDS, Flag.Courtesy);
  lexicon.flag(EXCLAIM_WORDS, Flag.Exclaim);
  lexicon.flag(NUMBER_WORDS, Flag.Number);
  lexicon.flag(REQUEST_STARTS, Flag.Request);
  lexicon.flag(NEGATABLE_PROBLEMS, Flag.Negatable);
  lexicon.flag(NEGATION_FILLERS, Flag.Filler);

  for (const [raw, score] of Object.entries(options.extraWords ?? {})) {
    const words = splitWords(raw);
    if (words.length === 1) {
      const word = words[0] as string;
      lexicon.setScore(word, score);
      lexicon.unflag(word, Flag.Problem);
    } else {
      lexicon.addPhrase(raw, score, 'word');
    }
  }
  for (const phrase of options.complaintPhrases ?? []) {
    const words = splitWords(phrase);
    if (words.length === 1) {
      lexicon.setScore(words[0] as string, USER_PHRASE_SCORE);
      lexicon.flag(words, Flag.User);
    } else {
      lexicon.addPhrase(phrase, USER_PHRASE_SCORE, 'user');
    }
  }
  for (const name of options.brandNames ?? []) {
    const bare = name.trim().replace(/^[@#]/, '');
    const words = splitWords(bare);
    if (words.length === 1) lexicon.flag(words, Flag.Brand);
    else lexicon.addPhrase(words.join(' '), 0, 'brand');
    // "@AcmeSupport" never reaches the scorer (handles are dropped); "#AcmeSupport" or "AcmeSupport" do.
    if (/^[A-Za-z0-9_]+$/.test(bare)) lexicon.flag([bare.toLowerCase()], Flag.Brand);
  }
  return lexicon;
}

interface Scored {
  index: number;
  word: string;
  score: number;
  clause: number;
  flags: number;
}

/**
 * Builds a classifier. Its word table is a private copy: options given to one classifier never
 * reach another, and nothing is written into the `sentiment` package's shared tables.
 */
export function createClassifier(options: ClassifierOptions = {}): Classify {
  const lexicon = buildLexicon(options);

  return function classify(text: string, hints: ClassifyHints = {}): Classification {
    const tokens = tokenize(text, EMOJI_SET);
    const words = tokens.words;
    const positive: string[] = [];
    const negative: string[] = [];
    const rules: string[] = [];
    const positives: Scored[] = [];
    const negatives: Scored[] = [];
    let clause = 0;
    let lastBreak = -1;
    let lastNegator = -1;
    let score = 0;
    let wordCount = 0;
    let problems = 0;
    let forced = false;
    let seen = 0;
    let contrastAt = -1;
    let negationsSeen = 0;
    let negationsUsed = 0;
    let denial: string | undefined;

    const add = (word: string, value: number, index: number, flags: number): void => {
      score += value;
      if (value > 0) {
        positive.push(word);
        positives.push({ index, word, score: value, clause, flags });
      } else if (value < 0) {
        negative.push(word);
        negatives.push({ index, word, score: value, clause, flags });
      }
    };

    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (word === BREAK) {
        clause++;
        lastBreak = i;
        continue;
      }
      wordCount++;
      const entry = lexicon.get(word);
      if (entry === undefined && !isDigit(word)) continue;
      const flags = entry?.flags ?? 0;
      if (flags & Flag.Brand) {
        seen |= Flag.Brand;
        continue;
      }

      const phrase = lexicon.matchPhrase(entry, words, i);
      if (phrase !== undefined) {
        const extra = lexicon.matchEnd - i - 1;
        wordCount += extra;
        if (phrase.kind === 'brand') {
          seen |= Flag.Brand;
          i += extra;
          continue;
        }
        let value = phrase.score;
        const matched = phrase.hasNumber ? words.slice(i, i + extra + 1).join(' ') : phrase.text;
        if (value > 0) {
          const negator = recentNegator(words, lastNegator, lastBreak, i);
          if (negator !== undefined) {
            value = -value;
            rules.push(`negation "${negator} … ${matched}"`);
          }
        }
        switch (phrase.kind) {
          case 'user':
            forced = true;
            problems++;
            rules.push(`your phrase "${matched}"`);
            break;
          case 'complaint':
            if (value <= STRONG_PROBLEM) problems++;
            rules.push(`phrase "${matched}"`);
            break;
          case 'sarcasm':
            problems++;
            rules.push(`sarcasm "${matched}"`);
            break;
          case 'praise':
          case 'word':
            rules.push(`phrase "${matched}"`);
            break;
          default:
            break;
        }
        add(matched, value, i, 0);
        i += extra;
        continue;
      }
      if (entry === undefined) continue;

      seen |= flags;
      if (flags & Flag.Negator) {
        lastNegator = i;
        negationsSeen++;
        denial ??= word;
      }
      if (flags & Flag.Contrast && contrastAt < 0) contrastAt = i;
      let value = entry.score;
      if (value === 0) continue;

      if (flags & Flag.User) {
        forced = true;
        problems++;
        rules.push(`your phrase "${word}"`);
      } else if (flags & Flag.Problem) {
        const negator = flags & Flag.Negatable ? findCloseNegator(lexicon, words, i) : undefined;
        if (negator !== undefined) {
          // Good news: "not delayed", "no more outages".
          negationsUsed++;
          rules.push(`negation "${negator}${words[i - 1] === negator ? ' ' : ' … '}${word}"`);
          continue;
        }
        // Other problems stay problems when negated: "no refund", "haven't got my refund".
        if (value <= STRONG_PROBLEM) problems++;
        rules.push(`problem word "${word}"`);
      } else {
        const negator = recentNegator(words, lastNegator, lastBreak, i);
        if (negator !== undefined) {
          // "not happy" turns negative; "not angry" is only no longer negative.
          negationsUsed++;
          value = value > 0 ? -value : 0;
          rules.push(`negation "${negator}${words[i - 1] === negator ? ' ' : ' … '}${word}"`);
        }
      }
      add(word, value, i, flags);
    }

    // Something did not happen: a "not", "never" or "didn't" with no praise to negate.
    if (negationsSeen > negationsUsed && denial !== undefined) {
      score += DENIAL_SCORE;
      negative.push(denial);
      rules.push(`negation "${denial}"`);
    }

    // Compound hashtags that complain: "#servicefail", "#neveragain".
    for (const tag of tokens.hashtags) {
      if (lexicon.get(tag) !== undefined) continue;
      if (!HASHTAG_PROBLEMS.some((part) => tag.includes(part))) continue;
      score += HASHTAG_SCORE;
      negative.push(`#${tag}`);
      problems++;
      rules.push(`hashtag "#${tag}"`);
      break;
    }

    // Sarcasm: a short burst of praise beside a problem ("Great, another outage", "Never arrived. Awesome!").
    let sarcastic = 0;
    for (const p of positives) {
      if (!(p.flags & Flag.Exclaim) || clauseSize(words, p.index) > EXCLAMATION_WORDS) continue;
      let before = 0;
      let after = 0;
      for (const n of negatives) {
        if (n.clause === p.clause - 1) before += n.score;
        else if (n.clause === p.clause + 1) after += n.score;
      }
      for (const q of positives) {
        if (q.clause === p.clause - 1) before += q.score;
        else if (q.clause === p.clause + 1) after += q.score;
      }
      if (before >= 0 && after >= 0) continue;
      score -= 2 * p.score;
      p.flags |= Flag.Problem;
      sarcastic++;
      problems++;
      removeWord(positive, p.word);
      negative.push(p.word);
      rules.push(`sarcasm "${p.word}" beside a problem`);
    }

    // Contrast: what follows "but" is the point. Praise before it does not cancel a problem after it.
    if (contrastAt >= 0 && positives.length > sarcastic) {
      let after = 0;
      for (const n of negatives) if (n.index > contrastAt) after += n.score;
      if (after < 0) {
        const dropped: string[] = [];
        for (const p of positives) {
          if (p.index >= contrastAt || p.flags & Flag.Problem) continue;
          score -= p.score;
          p.flags |= Flag.Problem;
          dropped.push(p.word);
          removeWord(positive, p.word);
        }
        if (dropped.length > 0) rules.push(`contrast "${words[contrastAt]}" outweighs "${dropped.join('", "')}"`);
      }
    }

    // Courtesy around a problem is not praise: "Two hours on hold. Thanks." Real praise, or a
    // solved problem ("refund arrived, thanks"), keeps it.
    if (problems > 0 && !(seen & Flag.Resolution) && positives.length > 0) {
      let praise = 0;
      for (const p of positives) if (!(p.flags & (Flag.Problem | Flag.Courtesy))) praise += p.score;
      if (praise < STRONG_PRAISE) {
        const polite: string[] = [];
        for (const p of positives) {
          if (!(p.flags & Flag.Courtesy) || p.flags & Flag.Problem) continue;
          score -= p.score;
          polite.push(p.word);
          removeWord(positive, p.word);
        }
        if (polite.length > 0) rules.push(`courtesy around a problem "${polite.join('", "')}"`);
      }
    }

    if (tokens.exasperated && score <= 0) {
      score += EXASPERATION_SCORE;
      negative.push('??');
      rules.push('exasperated "??"');
    }

    const first = words.length > 0 ? lexicon.get(words[0] as string) : undefined;
    const question = tokens.questionMarks > 0 || ((first?.flags ?? 0) & Flag.Request) !== 0;
    const directed = hints.addressesBrand === true || (seen & (Flag.SecondPerson | Flag.Brand)) !== 0;
    const complaint = forced || score < 0;
    let intent: Intent;
    if (complaint) intent = 'complaint';
    else if (question && directed) {
      intent = 'question';
      rules.push('question to the brand');
    } else if (score > 0) intent = 'praise';
    else intent = 'other';

    return {
      score,
      comparative: wordCount > 0 ? score / wordCount : 0,
      label: complaint ? 'negative' : score > 0 ? 'positive' : 'neutral',
      complaint,
      intent,
      positive,
      negative,
      rules: rules.length > 1 ? [...new Set(rules)] : rules,
    };
  };
}

/** The negator among the few words before `index` in the same clause, if any. */
function recentNegator(words: readonly string[], lastNegator: number, lastBreak: number, index: number): string | undefined {
  return lastNegator > lastBreak && index - lastNegator <= NEGATION_WINDOW ? words[lastNegator] : undefined;
}

/** The number of words in the clause around `index`. */
function clauseSize(words: readonly string[], index: number): number {
  let start = index;
  while (start > 0 && words[start - 1] !== BREAK) start--;
  let end = index;
  while (end < words.length && words[end] !== BREAK) end++;
  return end - start;
}

/** A negator right before `index`, or one filler word before it ("no more delays"). */
function findCloseNegator(lexicon: Lexicon, words: readonly string[], index: number): string | undefined {
  const before = words[index - 1];
  if (before === undefined) return undefined;
  const flags = lexicon.get(before)?.flags ?? 0;
  if (flags & Flag.Negator) return before;
  const earlier = words[index - 2];
  if (!(flags & Flag.Filler) || earlier === undefined) return undefined;
  return (lexicon.get(earlier)?.flags ?? 0) & Flag.Negator ? earlier : undefined;
}

function removeWord(list: string[], word: string): void {
  const at = list.indexOf(word);
  if (at >= 0) list.splice(at, 1);
}
