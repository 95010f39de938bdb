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
/** The score of a post whose praise exactly balances its problems. */
const TIE_SCORE = -1;
/** A sarcastic exclamation is a clause of at most this many words ("Great,", "Oh great,", "Love it."). */
const EXCLAMATION_WORDS = 2;

/** A word or phrase that moved the score. The rules after the scan may change `value`. */
interface Scored {
  index: number;
  word: string;
  value: number;
  /** Index of the clause it is in; -1 for whole-text rules. */
  clause: number;
  flags: number;
  /** A rule after the scan has already re-scored it. */
  handled: boolean;
}

/** What the rules after the scan work on. */
interface Scan {
  words: readonly string[];
  scored: Scored[];
  rules: string[];
  problems: number;
  clauses: number;
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
    const rules: string[] = [];
    const scored: Scored[] = [];
    let clause = 0;
    let lastBreak = -1;
    let lastNegator = -1;
    let wordCount = 0;
    let problems = 0;
    let forced = false;
    let seen = 0;
    let contrastAt = -1;
    let negationsSeen = 0;
    let negationsUsed = 0;
    let denial: string | undefined;
    let praised = false;
    const add = (word: string, value: number, index: number, flags = 0): void => {
      if (value === 0) return;
      if (value > 0) praised = true;
      scored.push({ index, word, value, clause, flags, handled: false });
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
        add(matched, value, i);
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
    const lastClause = clause;

    clause = -1; // the rules below are about the whole text, not one clause

    // Something did not happen: a "not", "never" or "didn't" with no praise to negate.
    if (negationsSeen > negationsUsed && denial !== undefined) {
      add(denial, DENIAL_SCORE, words.length);
      rules.push(`negation "${denial}"`);
    }

    // Compound hashtags that complain: "#servicefail", "#neveragain".
    for (const tag of tokens.hashtags) {
      if (table.get(tag) !== undefined || !HASHTAG_PROBLEMS.some((part) => tag.includes(part))) continue;
      add(`#${tag}`, HASHTAG_SCORE, words.length);
      problems++;
      rules.push(`hashtag "#${tag}"`);
      break;
    }

    if (praised) {
      const scan: Scan = { words, scored, rules, problems, clauses: lastClause + 1 };
      applySarcasm(scan);
      if (contrastAt >= 0) applyContrast(scan, contrastAt);
      // A solved problem ("refund arrived, thanks") keeps its thanks.
      if (scan.problems > 0 && !(seen & Flag.Resolution)) applyCourtesy(scan);
    }

    let score = 0;
    const positive: string[] = [];
    const negative: string[] = [];
    let named = false; // a problem named in words, not only a denial or a hashtag
    for (const s of scored) {
      score += s.value;
      if (s.value > 0) positive.push(s.word);
      else if (s.value < 0) {
        negative.push(s.word);
        if (s.clause >= 0) named = true;
      }
    }
    if (tokens.exasperated && score <= 0) {
      score += EXASPERATION_SCORE;
      negative.push('??');
      rules.push('exasperated "??"');
    }
    // A tie goes to the customer: praise that only balances a problem does not cancel it, unless
    // the problem is solved ("refund arrived, thanks").
    if (score === 0 && named && !(seen & Flag.Resolution)) {
      score = TIE_SCORE;
      rules.push('a problem outweighs equal praise');
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
      rules: unique(rules),
    };
  };
}

/** Sarcasm: a short burst of praise beside a problem ("Great, another outage", "Never arrived. Awesome!"). */
function applySarcasm(scan: Scan): void {
  let sums: number[] | undefined;
  for (const p of scan.scored) {
    if (p.value <= 0 || !(p.flags & Flag.Exclaim) || isLongerThan(scan.words, p.index, EXCLAMATION_WORDS)) continue;
    sums ??= clauseSums(scan);
    if ((sums[p.clause - 1] ?? 0) >= 0 && (sums[p.clause + 1] ?? 0) >= 0) continue;
    p.value = -p.value;
    p.handled = true;
    scan.problems++;
    scan.rules.push(`sarcasm "${p.word}" beside a problem`);
  }
}

/** Contrast: what follows "but" is the point. Praise before it does not cancel a problem after it. */
function applyContrast(scan: Scan, contrastAt: number): void {
  let after = 0;
  for (const n of scan.scored) if (n.index > contrastAt && n.value < 0 && n.clause >= 0) after += n.value;
  if (after >= 0) return;
  const dropped: string[] = [];
  for (const p of scan.scored) {
    if (p.index >= contrastAt || p.value <= 0 || p.handled) continue;
    p.value = 0;
    p.handled = true;
    dropped.push(p.word);
  }
  if (dropped.length > 0) scan.rules.push(`contrast "${scan.words[contrastAt]}" outweighs "${dropped.join('", "')}"`);
}

/** Courtesy around a problem is not praise: "Two hours on hold. Thanks." Real praise keeps it. */
function applyCourtesy(scan: Scan): void {
  let praise = 0;
  for (const p of scan.scored) if (p.value > 0 && !p.handled && !(p.flags & Flag.Courtesy)) praise += p.value;
  if (praise >= STRONG_PRAISE) return;
  const polite: string[] = [];
  for (const p of scan.scored) {
    if (p.value <= 0 || p.handled || !(p.flags & Flag.Courtesy)) continue;
    p.value = 0;
    p.handled = true;
    polite.push(p.word);
  }
  if (polite.length > 0) scan.rules.push(`courtesy around a problem "${polite.join('", "')}"`);
}

/** The score of each clause, before the rules after the scan. */
function clauseSums(scan: Scan): number[] {
  const sums = new Array<number>(scan.clauses).fill(0);
  for (const s of scan.scored) if (s.clause >= 0) sums[s.clause] = (sums[s.clause] as number) + s.value;
  return sums;
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

/** Whether the clause around `index` has more than `limit` words (looks no further than it must). */
function isLongerThan(words: readonly string[], index: number, limit: number): boolean {
  let size = 1;
  for (let k = index - 1; k >= 0 && words[k] !== BREAK; k--) if (++size > limit) return true;
  for (let k = index + 1; k < words.length && words[k] !== BREAK; k++) if (++size > limit) return true;
  return false;
}

/** `list` without repeats, in order (rule lists are short). */
function unique(list: string[]): string[] {
  if (list.length < 2) return list;
  const out: string[] = [];
  for (const item of list) if (!out.includes(item)) out.push(item);
  return out;
}
