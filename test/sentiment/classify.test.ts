import { describe, expect, it } from 'vitest';
import { createClassifier, type Classification } from '../../src/sentiment/classify.js';
import { tokenize } from '../../src/sentiment/tokenize.js';

// Hand-written customer posts for an imaginary brand, "Acme" (a cloud app that also ships hardware).
const brandNames = ['Acme', 'Acme Cloud', '@acmesupport'];
const classify = createClassifier({ brandNames });
const toBrand = { addressesBrand: true };

type Expected = Pick<Classification, 'complaint' | 'intent' | 'label'>;
const complaint: Expected = { complaint: true, intent: 'complaint', label: 'negative' };
const question: Expected = { complaint: false, intent: 'question', label: 'neutral' };
const praise: Expected = { complaint: false, intent: 'praise', label: 'positive' };
const other: Expected = { complaint: false, intent: 'other', label: 'neutral' };

function verdict(result: Classification): Expected {
  return { complaint: result.complaint, intent: result.intent, label: result.label };
}

describe('createClassifier: complaints without sentiment words', () => {
  it.each<[string, string]>([
    ['I have been on hold for 2 hours', 'phrase "on hold"'],
    ['still waiting on the replacement router', 'phrase "still waiting"'],
    ['No response to my ticket since Monday', 'phrase "no response"'],
    ['I was charged twice this month', 'phrase "charged twice"'],
    ['where is my order? It was due last week', 'phrase "where is my"'],
    ['I want to cancel my account', 'phrase "cancel my account"'],
    ['Acme Cloud is down again', 'phrase "is down"'],
    ['the app keeps crashing since the update', 'phrase "keeps crashing"'],
    ['my package never arrived', 'phrase "never arrived"'],
    ["I can't log in since yesterday", `phrase "can't log in"`],
    ['3 weeks and no refund', 'phrase "3 weeks"'],
    ['the invoice shows a different amount, why?', 'problem word "why"'],
    ["the replacement part didn't arrive", `negation "didn't"`],
    ['another week, another bug #servicefail', 'hashtag "#servicefail"'],
    ['when will this be fixed??', 'exasperated "??"'],
  ])('%j is a complaint (%s)', (text, rule) => {
    const result = classify(text, toBrand);
    expect(verdict(result)).toEqual(complaint);
    expect(result.score).toBeLessThan(0);
    expect(result.rules).toContain(rule);
  });

  it('plain AFINN would miss them: the words alone score zero or more', () => {
    // "hold", "hours", "order" and "account" are not in AFINN-165; "help" and "please" are positive there.
    const result = classify('please help, on hold for 2 hours', toBrand);
    expect(result.complaint).toBe(true);
    expect(result.positive).toEqual([]);
  });
});

describe('createClassifier: polite complaints and sarcasm', () => {
  it.each<[string, string]>([
    ['please help, the export button does nothing', 'phrase "please help"'],
    ['Thanks for nothing', 'sarcasm "thanks for nothing"'],
    ['Great, another outage.', 'sarcasm "great" beside a problem'],
    ['My order never arrived. Awesome!', 'sarcasm "awesome" beside a problem'],
    ['So much for next-day delivery', 'sarcasm "so much for"'],
    ['Two hours on hold. Thanks.', 'courtesy around a problem "thanks"'],
    ['I love the new editor, but it keeps crashing', 'contrast "but" outweighs "love"'],
    ['Love the new look. Hate the new menu.', 'a problem outweighs equal praise'],
  ])('%j is a complaint (%s)', (text, rule) => {
    const result = classify(text, toBrand);
    expect(verdict(result)).toEqual(complaint);
    expect(result.rules).toContain(rule);
  });

  it('keeps gratitude for a solved problem', () => {
    expect(classify('Refund arrived this morning, thank you!', toBrand).complaint).toBe(false);
    expect(verdict(classify('Thanks for the quick fix, you are awesome', toBrand))).toEqual(praise);
  });
});

describe('createClassifier: negation', () => {
  it.each<[string, Expected, string]>([
    ['not happy with the new billing page', complaint, 'phrase "not happy"'],
    ['the new dashboard is not good', complaint, 'phrase "not good"'], // an AFINN phrase
    ['the new pricing is not fair', complaint, 'negation "not fair"'],
    ['the sync is not very reliable', complaint, 'negation "not … reliable"'],
    ['the new release is not bad at all', praise, 'phrase "not bad"'],
    ['no problem, support sorted it in minutes', praise, 'phrase "no problem"'],
    ["don't worry about it", other, `negation "don't worry"`],
    ['no more outages since the migration', other, 'negation "no … outages"'],
    ['the deploy was not delayed', other, 'negation "not delayed"'],
    ['no refund yet', complaint, 'problem word "refund"'], // a missing refund stays a problem
    ['never had an issue with them', praise, 'phrase "never had an issue"'],
  ])('%j', (text, expected, rule) => {
    const result = classify(text);
    expect(verdict(result)).toEqual(expected);
    expect(result.rules).toContain(rule);
  });
});

describe('createClassifier: questions to the brand', () => {
  it.each<[string, boolean | undefined, Expected]>([
    ['how do I export my data to CSV?', true, question],
    ['does the pro plan include SSO?', true, question],
    ['can you tell me when the EU region launches?', undefined, question], // "you" puts it to the brand
    ['does Acme have an API?', undefined, question], // the brand is named
    ['anyone know a static site host with PHP?', undefined, other], // asks nobody in particular
    ['any update on my ticket?', true, complaint],
  ])('%j (addressesBrand: %s)', (text, addressesBrand, expected) => {
    const hints = addressesBrand === undefined ? undefined : { addressesBrand };
    expect(verdict(classify(text, hints))).toEqual(expected);
  });

  it('names the rule', () => {
    expect(classify('is there a student discount?', toBrand).rules).toEqual(['question to the brand']);
  });
});

describe('createClassifier: praise and other', () => {
  it.each<[string, Expected]>([
    ['Love the new dashboard, great work team!', praise],
    ['Support fixed it within the hour. Brilliant service', praise],
    ['Acme just shipped version 2.0', other],
    ['', other],
  ])('%j', (text, expected) => {
    expect(verdict(classify(text))).toEqual(expected);
  });
});

describe('createClassifier: brand names do not move the score', () => {
  const united = createClassifier({ brandNames: ['United', '@united'] });
  const bestBuy = createClassifier({ brandNames: ['Best Buy'] });
  const plain = createClassifier();

  it.each<[string, ReturnType<typeof createClassifier>]>([
    ['United flight tomorrow', united], // AFINN scores "united" +1
    ['Picked up a cable at Best Buy', bestBuy], // AFINN scores "best" +3
    ['#united lounge', united],
    ['unitedsupport', createClassifier({ brandNames: ['@UnitedSupport'] })],
  ])('%j scores 0', (text, scorer) => {
    const result = scorer(text);
    expect(result.score).toBe(0);
    expect(result.positive).toEqual([]);
  });

  it('still scores the words when they are not the brand', () => {
    expect(plain('United flight tomorrow').score).toBe(1);
    expect(plain('Picked up a cable at Best Buy').score).toBe(3);
    expect(bestBuy('the best support team').score).toBe(3);
  });

  it('lets a brand name sit inside a phrase', () => {
    expect(classify('is Acme down for everyone?').rules).toContain('phrase "is down"');
  });

  it('ignores @handles and links', () => {
    expect(plain('@happy_customer https://example.com/love/great').score).toBe(0);
  });
});

describe('createClassifier: extraWords and complaintPhrases', () => {
  it('extraWords add, replace and neutralise scores, single words and phrases', () => {
    const tuned = createClassifier({ extraWords: { laggy: -2, killer: 3, refund: 0, 'rage quit': -3 } });
    expect(tuned('the app is laggy').score).toBe(-2);
    expect(tuned('killer feature').label).toBe('positive'); // AFINN: "killer" -3
    expect(tuned('I asked about the refund policy').complaint).toBe(false);
    expect(tuned('about to rage quit').negative).toEqual(['rage quit']);
  });

  it('extraWords can score an emoji AFINN does not know', () => {
    const tuned = createClassifier({ extraWords: { '🫠': -2 } });
    expect(tuned('release day 🫠').score).toBe(-2);
    expect(createClassifier()('release day 🫠').score).toBe(0);
  });

  it('complaintPhrases force a complaint and say so', () => {
    const tuned = createClassifier({ complaintPhrases: ['Sync Conflict', 'downgrade'] });
    const result = tuned('Another sync conflict, love it');
    expect(verdict(result)).toEqual(complaint);
    expect(result.rules).toContain('your phrase "sync conflict"');
    expect(tuned('how do I downgrade?').rules).toContain('your phrase "downgrade"');
    expect(tuned('how do I downgrade?').complaint).toBe(true);
  });

  it('does not leak extraWords into another classifier or a second instance', () => {
    const first = createClassifier({ extraWords: { laggy: -4, refund: 5 } });
    expect(first('laggy').score).toBe(-4);
    const second = createClassifier();
    const third = createClassifier({ complaintPhrases: ['laggy'] });
    expect(second('laggy').score).toBe(0);
    expect(second('refund please').score).toBeLessThan(0);
    expect(third('refund please').score).toBeLessThan(0);
    expect(first('laggy').score).toBe(-4);
    expect(createClassifier()('laggy').score).toBe(0);
  });

  it('copies the options: changing them later changes nothing', () => {
    const extraWords: Record<string, number> = { laggy: -4 };
    const tuned = createClassifier({ extraWords });
    extraWords.laggy = 4;
    extraWords.snappy = 3;
    expect(tuned('laggy').score).toBe(-4);
    expect(tuned('snappy').score).toBe(0);
  });
});

describe('createClassifier: the result', () => {
  it('is plain JSON, with a comparative score per word', () => {
    const result = classify('@acmesupport I have been on hold for 2 hours', toBrand);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result).toEqual({
      score: -5,
      comparative: -5 / 8,
      label: 'negative',
      complaint: true,
      intent: 'complaint',
      positive: [],
      negative: ['on hold', '2 hours'],
      rules: ['phrase "on hold"', 'phrase "2 hours"'],
    });
  });

  it('is the same for the same text, whatever came before', () => {
    const text = 'Thanks, but the export is still broken';
    const before = classify(text);
    classify('Great, another outage.');
    createClassifier({ extraWords: { broken: 5, thanks: -5 } })(text);
    expect(classify(text)).toEqual(before);
  });
});

describe('tokenize', () => {
  const emoji = new Set(['😡']);
  it.each<[string, string[]]>([
    ["Don’t LOVE it", ["don't", 'love', 'it']],
    ['@acme_support hi #fail', ['hi', 'fail']],
    ['see https://x.co/a?b=1 now', ['see', 'now']],
    ['waited 2hrs.Then 45min', ['waited', '2', 'hrs', '.', 'then', '45', 'min']],
    ['late again😡', ['late', 'again', '😡']],
    ['one, two\nthree', ['one', '.', 'two', '.', 'three']],
    // Links and words that end the text: nothing is read past its end.
    ['see www.acme.example', ['see']],
    ['ends with www', ['ends', 'with', 'www']],
    ['ends with http:', ['ends', 'with', 'http']],
    ['ends with http://', ['ends', 'with']],
    ['https://acme.example', []],
  ])('%j', (text, words) => {
    expect(tokenize(text, emoji).words).toEqual(words);
  });

  it('counts question marks and spots "??"', () => {
    expect(tokenize('why?? really?', emoji)).toMatchObject({ questionMarks: 3, exasperated: true });
    expect(tokenize('great!!', emoji)).toMatchObject({ questionMarks: 0, exasperated: false });
  });
});
