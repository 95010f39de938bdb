/** Classifying mentions with the configured brand, extra words and complaint phrases. */
import type { Config } from '../config/types.js';
import { createClassifier } from '../sentiment/classify.js';
import type { Intent, Sentiment } from '../types.js';

export interface MentionVerdict {
  sentiment: Sentiment;
  complaint: boolean;
  intent: Intent;
  /** Why: the words and rules that decided it (shown by `show`). */
  verdict: { positive: string[]; negative: string[]; rules: string[] };
}

export type ClassifyMention = (m: { title: string | null; text: string; addressesBrand: boolean; own: boolean }) => MentionVerdict;

export function brandNamesOf(config: Config): string[] {
  const names = new Set<string>([config.brand.name, ...config.brand.keywords]);
  for (const accounts of Object.values(config.brand.accounts)) {
    for (const account of accounts ?? []) {
      names.add(account);
      names.add(account.split('@')[0]!);
    }
  }
  return [...names].filter((n) => n.length > 0);
}

export function createMentionClassifier(config: Config): ClassifyMention {
  const classify = createClassifier({
    brandNames: brandNamesOf(config),
    extraWords: config.classify.extraWords,
    complaintPhrases: config.classify.complaintPhrases,
  });
  return (m) => {
    const text = m.title && !m.text.startsWith(m.title) ? `${m.title}\n${m.text}` : m.text;
    const c = classify(text, { addressesBrand: m.addressesBrand });
    const own = m.own;
    return {
      sentiment: { score: c.score, comparative: c.comparative, label: c.label },
      // The brand's own posts are stored but never count as complaints (or as anything needing a reply).
      complaint: own ? false : c.complaint,
      intent: own ? 'other' : c.intent,
      verdict: { positive: c.positive, negative: c.negative, rules: own ? [...c.rules, "the brand's own post"] : c.rules },
    };
  };
}
