/**
 * Complaint detection: AFINN-165 (from the `sentiment` package) plus a customer-service layer.
 * The only module that imports `sentiment`. Pure: text in, one JSON-serialisable verdict out.
 *
 * Only the package's word tables are read. Its `analyze(text, { extras })` merges `extras` into a
 * table that every later call shares, and its regex tokenizer is too slow for re-classifying a whole
 * database, so each classifier copies the tables into its own Map (./word-table.ts) and scans each
 * text once with its own tokenizer (./tokenize.ts). Nothing is ever written back into the package.
 */
import { createRequire } from 'node:module';
import type { Intent, SentimentLabel } from '../types.js';
import { HASHTAG_PROBLEMS } from './lexicon.js';
import { BREAK, tokenize } from './tokenize.js';
import { Flag, buildWordTable, isDigit, type WordTable } from './word-table.js';

const require = createRequire(import.meta.url);
const AFINN = require('sentiment/languages/en/labels.json') as Readonly<Record<string, number>>;
const EMOJI = require('sentiment/build/emoji.json') as Readonly<Record<string, number>>;

export interface ClassifierOptions {
  /** The brand's names and handles ("Acme", "Acme Cloud", "@acme"): never scored. */
  brandNames?: string[];
  /** word (or phrase) → score on AFINN's -5..+5 scale; replaces the built-in score (0 switches a word off). */
  extraWords?: Record<string, number>;
  /** Words or phrases that always make a complaint. */
  complaintPhrases?: string[];
}

export interface ClassifyHints {
  /** The post @-mentions or replies to one of the brand's accounts. */
  addressesBrand?: boolean;
}

export interface Classification {
  /** AFINN-165 score with the customer-service layer; below zero means a complaint. */
  score: number;
  /** `score` per word. */
  comparative: number;
  /** `negative` for every complaint; otherwise `positive` above zero, `neutral` at zero. */
  label: SentimentLabel;
  complaint: boolean;
  intent: Intent;
  /** Words and phrases that pushed the score up, in text order. */
  positive: string[];
  /** Words and phrases that pushed the score down. */
  negative: string[];
  /** Why, in words: 'phrase "still waiting"', 'sarcasm "thanks for nothing"', 'question to the brand'. */
  rules: string[];
}

export type Classify = (text: string, hints?: ClassifyHints) => Classification;

const NEGATION_WINDOW = 3;
/** Problems at least this bad make courtesy words count for nothing. */
const STRONG_PROBLEM = -2;
/** A negation with nothing to negate: "didn't arrive", "can't DM you". */
const DENIAL_SCORE = -1;
const HASHTAG_SCORE = -2;
/** Other praise at least this strong keeps courtesy words positive. */
const STRONG_PRAISE = 3;
/** Added for "??" and "?!" when nothing positive outweighs it. */
const EXASPERATION_SCORE = -1;
/** A sarcastic exclamation is a clause of at most this many words ("Great,", "Oh great,", "Love it."). */
const EXCLAMATION_WORDS = 2;

/** A word or phrase that moved the score. */
interface Scored {
  index: number;
  word: string;
  score: number;
  clause: number;
  flags: number;
}

/** What the rules after the scan work on. */
interface Scan {
  words: readonly string[];
  score: number;
  problems: number;
  positive: string[];
  negative: string[];
  rules: string[];
  positives: Scored[];
  negatives: Scored[];
}

/**
 * Builds a classifier. Its word table is a private copy: options given to one classifier never
 * reach another, and changing the options object afterwards changes nothing.
 */
export function createClassifier(options: ClassifierOptions = {}): Classify {
  const table = buildWordTable(AFINN, EMOJI, options);

  return function classify(text: string, hints: ClassifyHints = {}): Classification {
    const tokens = tokenize(text, table.symbols);
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
      const entry = table.get(word);
      if (entry === undefined && !isDigit(word)) continue;
      const flags = entry?.flags ?? 0;
      if (flags & Flag.Brand) {
        seen |= Flag.Brand;
        continue;
      }

      const phrase = table.matchPhrase(entry, words, i);
      if (phrase !== undefined) {
        const extra = table.matchEnd - i - 1;
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
        const negator = flags & Flag.Negatable ? closeNegator(table, words, i) : undefined;
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
      if (table.get(tag) !== undefined) continue;
      if (!HASHTAG_PROBLEMS.some((part) => tag.includes(part))) continue;
      score += HASHTAG_SCORE;
      negative.push(`#${tag}`);
      problems++;
      rules.push(`hashtag "#${tag}"`);
      break;
    }

    const scan: Scan = { words, score, problems, positive, negative, rules, positives, negatives };
    if (positives.length > 0) {
      applySarcasm(scan);
      if (contrastAt >= 0) applyContrast(scan, contrastAt);
      // A solved problem ("refund arrived, thanks") keeps its thanks.
      if (scan.problems > 0 && !(seen & Flag.Resolution)) applyCourtesy(scan);
    }
    score = scan.score;

    if (tokens.exasperated && score <= 0) {
      score += EXASPERATION_SCORE;
      negative.push('??');
      rules.push('exasperated "??"');
    }

    const first = words.length > 0 ? table.get(words[0] as string) : undefined;
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


/** Sarcasm: a short burst of praise beside a problem ("Great, another outage", "Never arrived. Awesome!"). */
function applySarcasm(scan: Scan): void {
  for (const p of scan.positives) {
    if (!(p.flags & Flag.Exclaim) || clauseSize(scan.words, p.index) > EXCLAMATION_WORDS) continue;
    let before = 0;
    let after = 0;
    for (const q of [...scan.negatives, ...scan.positives]) {
      if (q.clause === p.clause - 1) before += q.score;
      else if (q.clause === p.clause + 1) after += q.score;
    }
    if (before >= 0 && after >= 0) continue;
    scan.score -= 2 * p.score;
    scan.problems++;
    p.flags |= Flag.Problem; // handled: the rules below leave it alone
    removeWord(scan.positive, p.word);
    scan.negative.push(p.word);
    scan.rules.push(`sarcasm "${p.word}" beside a problem`);
  }
}

/** Contrast: what follows "but" is the point. Praise before it does not cancel a problem after it. */
function applyContrast(scan: Scan, contrastAt: number): void {
  let after = 0;
  for (const n of scan.negatives) if (n.index > contrastAt) after += n.score;
  if (after >= 0) return;
  const dropped: string[] = [];
  for (const p of scan.positives) {
    if (p.index >= contrastAt || p.flags & Flag.Problem) continue;
    scan.score -= p.score;
    p.flags |= Flag.Problem;
    dropped.push(p.word);
    removeWord(scan.positive, p.word);
  }
  if (dropped.length > 0) scan.rules.push(`contrast "${scan.words[contrastAt]}" outweighs "${dropped.join('", "')}"`);
}

/** Courtesy around a problem is not praise: "Two hours on hold. Thanks." Real praise keeps it. */
function applyCourtesy(scan: Scan): void {
  let praise = 0;
  for (const p of scan.positives) if (!(p.flags & (Flag.Problem | Flag.Courtesy))) praise += p.score;
  if (praise >= STRONG_PRAISE) return;
  const polite: string[] = [];
  for (const p of scan.positives) {
    if (!(p.flags & Flag.Courtesy) || p.flags & Flag.Problem) continue;
    scan.score -= p.score;
    polite.push(p.word);
    removeWord(scan.positive, p.word);
  }
  if (polite.length > 0) scan.rules.push(`courtesy around a problem "${polite.join('", "')}"`);
}

/** The negator among the few words before `index` in the same clause, if any. */
function recentNegator(words: readonly string[], lastNegator: number, lastBreak: number, index: number): string | undefined {
  return lastNegator > lastBreak && index - lastNegator <= NEGATION_WINDOW ? words[lastNegator] : undefined;
}

/** A negator right before `index`, or one filler word before it ("no more delays"). */
function closeNegator(table: WordTable, words: readonly string[], index: number): string | undefined {
  const before = words[index - 1];
  if (before === undefined) return undefined;
  const flags = table.get(before)?.flags ?? 0;
  if (flags & Flag.Negator) return before;
  const earlier = words[index - 2];
  if (!(flags & Flag.Filler) || earlier === undefined) return undefined;
  return (table.get(earlier)?.flags ?? 0) & Flag.Negator ? earlier : undefined;
}

/** The number of words in the clause around `index`. */
function clauseSize(words: readonly string[], index: number): number {
  let start = index;
  while (start > 0 && words[start - 1] !== BREAK) start--;
  let end = index;
  while (end < words.length && words[end] !== BREAK) end++;
  return end - start;
}

function removeWord(list: string[], word: string): void {
  const at = list.indexOf(word);
  if (at >= 0) list.splice(at, 1);
}
