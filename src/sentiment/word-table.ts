/**
 * One classifier's private word table: AFINN-165, the customer-service layer, the brand's names and
 * the user's words, compiled so that each token of a text costs one Map lookup.
 */
import {
  CONTRAST_WORDS,
  COURTESY_WORDS,
  EXCLAIM_WORDS,
  NEGATABLE_PROBLEMS,
  NEGATION_FILLERS,
  NEGATORS,
  NUMBER_WORDS,
  RESOLUTION_WORDS,
  REQUEST_STARTS,
  SECOND_PERSON,
  SERVICE_PHRASES,
  SERVICE_WORDS,
  type PhraseKind,
} from './lexicon.js';
import { BREAK, tokenize } from './tokenize.js';

/** What the table knows about a word, as bits. */
export const Flag = {
  Negator: 1,
  SecondPerson: 2,
  Resolution: 4,
  Contrast: 8,
  Brand: 16,
  Problem: 32,
  User: 64,
  Courtesy: 128,
  Exclaim: 256,
  Number: 512,
  Request: 1024,
  Negatable: 2048,
  Filler: 4096,
} as const;
export type Flag = (typeof Flag)[keyof typeof Flag];

/** Stands for any number in a phrase ("N hours"). */
export const NUMBER = '<n>';
/** User phrases weigh like the strongest built-in ones (and force the verdict). */
export const USER_PHRASE_SCORE = -3;

export type CompiledKind = PhraseKind | 'user' | 'word' | 'brand';

export interface CompiledPhrase {
  words: string[];
  text: string;
  hasNumber: boolean;
  score: number;
  kind: CompiledKind;
}

export interface Entry {
  /** AFINN-scale score; 0 means the word only carries flags. */
  score: number;
  flags: number;
  /** Phrases that start with this word, longest first. */
  phrases: CompiledPhrase[] | undefined;
}

export interface WordTableOptions {
  brandNames?: string[] | undefined;
  extraWords?: Record<string, number> | undefined;
  complaintPhrases?: string[] | undefined;
}

export function isDigit(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

export class WordTable {
  readonly #entries = new Map<string, Entry>();
  readonly #brandWords = new Set<string>();
  #numberPhrases: CompiledPhrase[] | undefined;
  /** Emoji and other symbols that are words of their own. */
  readonly symbols: Set<string>;
  /** Where the last phrase found by `matchPhrase` ends (exclusive). */
  matchEnd = 0;

  constructor(symbols: Iterable<string>) {
    this.symbols = new Set(symbols);
  }

  get(word: string): Entry | undefined {
    return this.#entries.get(word);
  }

  /** A phrase or word as the tokenizer splits it; `N` becomes NUMBER. */
  split(text: string): string[] {
    return tokenize(text, this.symbols)
      .words.filter((w) => w !== BREAK)
      .map((w) => (w === 'n' ? NUMBER : w));
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
    const words = this.split(text);
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

  /** The longest phrase starting at `start` (whose entry is `entry`), if any. Sets `matchEnd`. */
  matchPhrase(entry: Entry | undefined, words: readonly string[], start: number): CompiledPhrase | undefined {
    const found = entry?.phrases === undefined ? undefined : this.#first(entry.phrases, words, start);
    if (found !== undefined || this.#numberPhrases === undefined) return found;
    const word = words[start] as string;
    const isNumber = isDigit(word) || ((entry?.flags ?? 0) & Flag.Number) !== 0;
    return isNumber ? this.#first(this.#numberPhrases, words, start) : undefined;
  }

  /** The first (longest) phrase of `list` at `start`. The brand's names may sit inside: "is Acme down" is "is down". */
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

/**
 * Compiles the tables: `afinn` and `emoji` (word → score) first, then the customer-service layer,
 * then the user's words and phrases, then the brand's names. The inputs are only read.
 */
export function buildWordTable(
  afinn: Readonly<Record<string, number>>,
  emoji: Readonly<Record<string, number>>,
  options: WordTableOptions,
): WordTable {
  const table = new WordTable(Object.keys(emoji));
  for (const [word, score] of Object.entries(afinn)) {
    if (word.includes(' ')) table.addPhrase(word, score, 'word');
    else table.setScore(word, score);
  }
  for (const [symbol, score] of Object.entries(emoji)) table.setScore(symbol, score);
  for (const [word, score] of Object.entries(SERVICE_WORDS)) {
    table.setScore(word, score);
    if (score < 0) table.flag([word], Flag.Problem);
  }
  for (const entry of SERVICE_PHRASES) table.addPhrase(entry.phrase, entry.score, entry.kind);
  table.flag(NEGATORS, Flag.Negator);
  table.flag(SECOND_PERSON, Flag.SecondPerson);
  table.flag(RESOLUTION_WORDS, Flag.Resolution);
  table.flag(CONTRAST_WORDS, Flag.Contrast);
  table.flag(COURTESY_WORDS, Flag.Courtesy);
  table.flag(EXCLAIM_WORDS, Flag.Exclaim);
  table.flag(NUMBER_WORDS, Flag.Number);
  table.flag(REQUEST_STARTS, Flag.Request);
  table.flag(NEGATABLE_PROBLEMS, Flag.Negatable);
  table.flag(NEGATION_FILLERS, Flag.Filler);

  for (const [raw, score] of Object.entries(options.extraWords ?? {})) {
    const key = raw.trim();
    let words = table.split(key);
    if (words.length === 0 && key.length > 0 && [...key].length === 1) {
      // A symbol of its own, such as an emoji the AFINN table does not know.
      table.symbols.add(key);
      words = [key];
    }
    if (words.length === 1) {
      const word = words[0] as string;
      table.setScore(word, score);
      table.unflag(word, Flag.Problem);
    } else {
      table.addPhrase(key, score, 'word');
    }
  }
  for (const phrase of options.complaintPhrases ?? []) {
    const words = table.split(phrase);
    if (words.length === 1) {
      table.setScore(words[0] as string, USER_PHRASE_SCORE);
      table.flag(words, Flag.User);
    } else {
      table.addPhrase(phrase, USER_PHRASE_SCORE, 'user');
    }
  }
  for (const name of options.brandNames ?? []) {
    const bare = name.trim().replace(/^[@#]/, '');
    const words = table.split(bare);
    if (words.length === 1) table.flag(words, Flag.Brand);
    else table.addPhrase(words.join(' '), 0, 'brand');
    // "@AcmeSupport" never reaches the scorer (handles are dropped); "#AcmeSupport" or "AcmeSupport" do.
    if (/^[A-Za-z0-9_]+$/.test(bare)) table.flag([bare.toLowerCase()], Flag.Brand);
  }
  return table;
}
