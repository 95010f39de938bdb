/**
 * Distinctive terms of a post, for spike top words and repeated-complaint topics: lower-cased words of
 * three or more letters or digits ("login", "503", "2fa"), without stop words, filler common to every
 * complaint, @handles, URLs, and the brand's own names. Pure.
 */
import type { BrandConfig } from '../config/types.js';

const STOP_WORDS = new Set(
  `a about above after again against all almost already also although always am among an and another any anybody anyone anything
  anyway anywhere are aren't around as at back be became because become been before being below between both but by can can't
  cannot cant could couldn't did didn't do does doesn't doing don't done dont each either else enough even ever every
  everyone everything few for from further get gets getting give given go goes going gone got gotta had hadn't has hasn't have
  haven't having he he's her here hers herself him himself his how however i i'd i'll i'm i've if im in into is isn't it it's its
  itself ive just keep kept know last least less let let's like lot lots made make makes many may maybe me might mine more most
  much must my myself need needs never new next no nobody none nor not nothing now of off oh ok okay on once one only onto or
  other others our ours ourselves out over own per please pretty quite rather re really right said same say says see seem seems
  seen several shall she she's should shouldn't since so some somebody someone something sometimes soon still such sure take
  than that that's the their theirs them themselves then there there's these they they'd they'll they're they've thing things
  think this those though through thru till to today together too tried try trying under until up upon us use used using very
  via want wanted wants was wasn't way we we'd we'll we're we've well went were weren't what what's whatever when where which
  while who whom whose why will with within without won't would wouldn't yes yet you you'd you'll you're you've your yours
  yourself yourselves yeah yep nope hey hi hello thanks thank lol lmao omg wtf ugh guys anyone's someone's everybody
  again actually literally seriously honestly totally basically day days week weeks hour hours minute minutes time times
  yesterday tomorrow morning tonight since ago`.split(/\s+/),
);

/** Words of the brand itself: name, keywords and account handles, split into words. */
export function brandWords(brand: Pick<BrandConfig, 'name' | 'keywords' | 'accounts'>): Set<string> {
  const words = new Set<string>();
  const add = (text: string): void => {
    for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w) words.add(w);
  };
  add(brand.name);
  for (const k of brand.keywords) add(k);
  for (const list of Object.values(brand.accounts)) for (const a of list ?? []) add(a.split('@')[0] ?? a);
  return words;
}

/** The distinct terms of a text, in order of first appearance. */
export function extractTerms(text: string, exclude: ReadonlySet<string>): string[] {
  const cleaned = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_.@-]+/gu, ' ')
    .replace(/[’‘]/g, "'");
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of cleaned.split(/[^\p{L}\p{N}']+/u)) {
    const word = raw.replace(/^'+|'+$/g, '').replace(/'s$/, '');
    if (word.length < 3 || seen.has(word)) continue;
    if (STOP_WORDS.has(word) || exclude.has(word)) continue;
    if (/^\d+$/.test(word) && word.length > 4) continue; // ids, phone numbers, timestamps
    seen.add(word);
    out.push(word);
  }
  return out;
}

/** The words found in the most of these texts (at least `minDocs` of them), most frequent first, then alphabetical. */
export function topTerms(texts: string[], exclude: ReadonlySet<string>, limit: number, minDocs = 2): string[] {
  const counts = new Map<string, number>();
  for (const text of texts) for (const term of extractTerms(text, exclude)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= minDocs)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([term]) => term);
}
