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
  NEGATORS,
  CONTRAST_WORDS,
  COURTESY_WORDS,
  EXCLAIM_WORDS,
  HASHTAG_PROBLEMS,
  NUMBER_WORDS,
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

const NEGATOR_SET = new Set(NEGATORS);
const NUMBER_SET = new Set(NUMBER_WORDS);
const REQUEST_SET = new Set(REQUEST_STARTS);
const SECOND_PERSON_SET = new Set(SECOND_PERSON);
const EXCLAIM_SET = new Set(EXCLAIM_WORDS);
const COURTESY_SET = new Set(COURTESY_WORDS);
const CONTRAST_SET = new Set(CONTRAST_WORDS);
const EMOJI_SET = new Set(Object.keys(EMOJI));

function isNumber(word: string): boolean {
  const c = word.charCodeAt(0);
  return (c >= 48 && c <= 57) || NUMBER_SET.has(word);
}

function splitWords(phrase: string): string[] {
  return tokenize(phrase, EMOJI_SET)
    .words.filter((w) => w !== BREAK)
    .map((w) => (w === 'n' ? NUMBER : w));
}

class PhraseIndex {
  readonly #byFirst = new Map<string, CompiledPhrase[]>();

  add(text: string, score: number, kind: CompiledKind): void {
    const words = splitWords(text);
    if (words.length < 2) return;
    const first = words[0] as string;
    const list = this.#byFirst.get(first) ?? [];
    const existing = list.findIndex((p) => p.words.join(' ') === words.join(' '));
    const entry = { words, text: text.trim().toLowerCase(), score, kind };
    if (existing >= 0) list[existing] = entry;
    else list.push(entry);
    list.sort((a, b) => b.words.length - a.words.length);
    this.#byFirst.set(first, list);
  }

  /** The longest phrase starting at `start`, if any. */
  match(words: readonly string[], start: number): CompiledPhrase | undefined {
    const first = words[start] as string;
    return this.#first(this.#byFirst.get(first), words, start) ??
      (isNumber(first) ? this.#first(this.#byFirst.get(NUMBER), words, start) : undefined);
  }

  #first(list: CompiledPhrase[] | undefined, words: readonly string[], start: number): CompiledPhrase | undefined {
    if (list === undefined) return undefined;
    outer: for (const phrase of list) {
      if (start + phrase.words.length > words.length) continue;
      for (let k = 1; k < phrase.words.length; k++) {
        const want = phrase.words[k] as string;
        const got = words[start + k] as string;
        if (got !== want && !(want === NUMBER && isNumber(got))) continue outer;
      }
      return phrase;
    }
    return undefined;
  }
}

interface Scored {
  index: number;
  word: string;
  score: number;
  clause: number;
}

/**
 * Builds a classifier. Options are copied: changing them later, or building another classifier
 * with other words, never changes this one.
 */
export function createClassifier(options: ClassifierOptions = {}): Classify {
  const table = new Map<string, number>();
  const phrases = new PhraseIndex();
  for (const [word, score] of Object.entries(AFINN)) {
    if (word.includes(' ')) phrases.add(word, score, 'word');
    else table.set(word, score);
  }
  for (const [symbol, score] of Object.entries(EMOJI)) table.set(symbol, score);
  for (const [word, score] of Object.entries(SERVICE_WORDS)) table.set(word, score);
  const problemWords = new Set(Object.keys(SERVICE_WORDS).filter((w) => (SERVICE_WORDS[w] as number) < 0));
  for (const entry of SERVICE_PHRASES) phrases.add(entry.phrase, entry.score, entry.kind);

  for (const [raw, score] of Object.entries(options.extraWords ?? {})) {
    const words = splitWords(raw);
    if (words.length === 1) {
      const word = words[0] as string;
      table.set(word, score);
      problemWords.delete(word);
    } else if (words.length > 1) phrases.add(raw, score, 'word');
  }
  const userWords = new Set<string>();
  for (const phrase of options.complaintPhrases ?? []) {
    const words = splitWords(phrase);
    if (words.length > 1) phrases.add(phrase, USER_PHRASE_SCORE, 'user');
    else if (words.length === 1) {
      const word = words[0] as string;
      userWords.add(word);
      table.set(word, USER_PHRASE_SCORE);
      problemWords.add(word);
    }
  }

  const brandWords = new Set<string>();
  for (const name of options.brandNames ?? []) {
    const words = splitWords(name.replace(/^@/, ''));
    if (words.length === 1) brandWords.add(words[0] as string);
    else if (words.length > 1) phrases.add(words.join(' '), 0, 'brand');
    // "@AcmeSupport" is dropped by the tokenizer; "#acmesupport" or "AcmeSupport" are not.
    const handle = name.replace(/^@/, '').toLowerCase();
    if (/^[a-z0-9_]+$/.test(handle)) brandWords.add(handle);
  }

  return function classify(text: string, hints: ClassifyHints = {}): Classification {
    const tokens = tokenize(text, EMOJI_SET);
    const words = tokens.words;
    const positive: string[] = [];
    const negative: string[] = [];
    const rules: string[] = [];
    const positives: Scored[] = [];
    const negatives: Scored[] = [];
    let contrastAt = -1;
    let negationsSeen = 0;
    let negationsUsed = 0;
    let denial: string | undefined;
    const clauseScores: number[] = [0];
    const clauseSizes: number[] = [0];
    let clause = 0;
    let score = 0;
    let wordCount = 0;
    let forced = false;
    let problems = 0;
    let secondPerson = false;
    let brandNamed = false;

    const add = (word: string, value: number, index: number): void => {
      score += value;
      clauseScores[clause] = (clauseScores[clause] as number) + value;
      if (value > 0) {
        positive.push(word);
        positives.push({ index, word, score: value, clause });
      } else if (value < 0) {
        negative.push(word);
        negatives.push({ index, word, score: value, clause });
      }
    };

    for (let i = 0; i < words.length; i++) {
      const word = words[i] as string;
      if (word === BREAK) {
        clause++;
        clauseScores.push(0);
        clauseSizes.push(0);
        continue;
      }
      wordCount++;
      clauseSizes[clause] = (clauseSizes[clause] as number) + 1;

      const phrase = phrases.match(words, i);
      if (phrase !== undefined) {
        const size = phrase.words.length;
        wordCount += size - 1;
        clauseSizes[clause] = (clauseSizes[clause] as number) + size - 1;
        if (phrase.kind === 'brand') {
          brandNamed = true;
          i += size - 1;
          continue;
        }
        let value = phrase.score;
        if (value > 0) {
          const negator = findNegator(words, i);
          if (negator !== undefined) {
            value = -value;
            rules.push(`negation "${negator} … ${phrase.text}"`);
          }
        }
        switch (phrase.kind) {
          case 'user':
            forced = true;
            problems++;
            rules.push(`your phrase "${phrase.text}"`);
            break;
          case 'complaint':
            if (value <= STRONG_PROBLEM) problems++;
            rules.push(`phrase "${phrase.text}"`);
            break;
          case 'sarcasm':
            problems++;
            rules.push(`sarcasm "${phrase.text}"`);
            break;
          case 'praise':
            rules.push(`phrase "${phrase.text}"`);
            break;
          default:
            break;
        }
        add(phrase.text, value, i);
        i += size - 1;
        continue;
      }

      if (brandWords.has(word)) {
        brandNamed = true;
        continue;
      }
      if (NEGATOR_SET.has(word) && word !== 'no') {
        negationsSeen++;
        denial ??= word;
      }
      if (SECOND_PERSON_SET.has(word)) secondPerson = true;
      else if (CONTRAST_SET.has(word) && contrastAt < 0) contrastAt = i;
      let value = table.get(word);
      if (value === undefined || value === 0) continue;

      if (userWords.has(word)) {
        forced = true;
        problems++;
        rules.push(`your phrase "${word}"`);
      } else if (problemWords.has(word)) {
        // A problem stays a problem when negated: "haven't got my refund".
        if (value <= STRONG_PROBLEM) problems++;
      } else {
        const negator = findNegator(words, i);
        if (negator !== undefined) {
          // "not happy" turns negative; "not angry" is only no longer negative.
          if (value > 0) negationsUsed++;
          value = value > 0 ? -value : 0;
          rules.push(`negation "${negator}${words[i - 1] === negator ? ' ' : ' … '}${word}"`);
        }
      }
      add(word, value, i);
    }

    // Something did not happen: a "not", "never" or "didn't" with no praise to negate.
    if (negationsSeen > negationsUsed && denial !== undefined) {
      add(denial, DENIAL_SCORE, -1);
      rules.push(`negation "${denial}"`);
    }

    // Compound hashtags that complain: "#servicefail", "#neveragain".
    for (const tag of tokens.hashtags) {
      if (table.has(tag)) continue;
      const part = HASHTAG_PROBLEMS.find((problem) => tag.includes(problem));
      if (part === undefined) continue;
      add(`#${tag}`, HASHTAG_SCORE, -1);
      problems++;
      rules.push(`hashtag "#${tag}"`);
      break;
    }

    // Sarcasm: a short burst of praise beside a problem ("Great, another outage", "Never arrived. Awesome!").
    const sarcastic = new Set<Scored>();
    const discounted = new Set<Scored>();
    for (const p of positives) {
      if (!EXCLAIM_SET.has(p.word) || (clauseSizes[p.clause] as number) > 3) continue;
      const before = clauseScores[p.clause - 1] ?? 0;
      const after = clauseScores[p.clause + 1] ?? 0;
      let marker: string | undefined;
      if (before < 0 || after < 0) marker = before < 0 ? 'a problem before it' : 'a problem after it';
      if (marker === undefined) continue;
      score -= 2 * p.score;
      sarcastic.add(p);
      problems++;
      movePositiveToNegative(positive, negative, p.word);
      rules.push(`sarcasm "${p.word}" beside a problem`);
    }

    // Contrast: what follows "but" is the point. Praise before it does not cancel a problem after it.
    if (contrastAt >= 0 && positives.length > 0) {
      let after = 0;
      for (const n of negatives) if (n.index > contrastAt) after += n.score;
      if (after < 0) {
        const dropped: string[] = [];
        for (const p of positives) {
          if (p.index >= contrastAt || sarcastic.has(p)) continue;
          score -= p.score;
          discounted.add(p);
          dropped.push(p.word);
          removeWord(positive, p.word);
        }
        if (dropped.length > 0) rules.push(`contrast "${words[contrastAt]}" outweighs "${dropped.join('", "')}"`);
      }
    }

    // Courtesy around a problem is not praise: "Two hours on hold. Thanks." Real praise keeps it.
    if (problems > 0) {
      let praise = 0;
      for (const p of positives) if (!sarcastic.has(p) && !discounted.has(p) && !COURTESY_SET.has(p.word)) praise += p.score;
      const polite: string[] = [];
      if (praise < STRONG_PRAISE) {
        for (const p of positives) {
          if (sarcastic.has(p) || discounted.has(p) || !COURTESY_SET.has(p.word)) continue;
          score -= p.score;
          polite.push(p.word);
          removeWord(positive, p.word);
        }
      }
      if (polite.length > 0) rules.push(`courtesy around a problem "${polite.join('", "')}"`);
    }

    if (tokens.exasperated && score <= 0) {
      score += EXASPERATION_SCORE;
      negative.push('??');
      rules.push('exasperated "??"');
    }

    const question = tokens.questionMarks > 0 || (words.length > 0 && REQUEST_SET.has(words[0] as string));
    const directed = hints.addressesBrand === true || secondPerson || brandNamed;
    const complaint = forced || score < 0;
    let intent: Intent;
    if (complaint) intent = 'complaint';
    else if (question && directed) {
      intent = 'question';
      rules.push('question to the brand');
    } else if (score > 0) intent = 'praise';
    else intent = 'other';

    const label: SentimentLabel = complaint || score < 0 ? 'negative' : score > 0 ? 'positive' : 'neutral';
    return {
      score,
      comparative: wordCount > 0 ? score / wordCount : 0,
      label,
      complaint,
      intent,
      positive,
      negative,
      rules,
    };
  };
}

/** The negator among the few words before `index` in the same clause, if any. */
function findNegator(words: readonly string[], index: number): string | undefined {
  for (let k = 1; k <= NEGATION_WINDOW && index - k >= 0; k++) {
    const before = words[index - k] as string;
    if (before === BREAK) return undefined;
    if (NEGATOR_SET.has(before)) return before;
  }
  return undefined;
}

function removeWord(list: string[], word: string): void {
  const at = list.indexOf(word);
  if (at >= 0) list.splice(at, 1);
}

function movePositiveToNegative(positive: string[], negative: string[], word: string): void {
  removeWord(positive, word);
  negative.push(word);
}

