/**
 * The customer-service layer on top of AFINN-165: vocabulary for any brand that answers customers
 * (software outages, billing, shipping, support queues, travel). Nothing here names a brand or an
 * industry. Scores use AFINN's scale, -5 (very negative) to +5.
 *
 * A phrase is written as plain words; `N` stands for any number ("2", "45", "two", "several").
 */

/**
 * Words whose AFINN score is replaced. Words at 0 are polite or functional rather than positive
 * ("please help", "looks like", "kind of", "customer care", "any chance"). The rest are problems a
 * customer reports.
 */
export const SERVICE_WORDS: Readonly<Record<string, number>> = {
  // Polite or functional, not positive.
  please: 0, pls: 0, plz: 0, help: 0, helping: 0, like: 0, want: 0, wants: 0, wanted: 0, hope: 0, hoping: 0,
  wish: 0, pretty: 0, yes: 0, yeah: 0, kind: 0, care: 0, free: 0, sure: 0, dear: 0, god: 0, true: 0,
  chance: 0, clear: 0, well: 0, ok: 0, okay: 0, save: 0, matter: 0, top: 0, credit: 0, worth: 0,
  no: 0, ill: 0, pay: 0, paid: 0, support: 0, supported: 0, fine: 0, reach: 0, number: 0, charge: 0,
  // Problems a customer reports.
  delayed: -2, delay: -2, delays: -2, late: -1, later: 0, cancelled: -2, canceled: -2, cancellation: -2,
  cancellations: -2, stuck: -2, stranded: -3, lost: -2, missing: -2, damaged: -2,
  broken: -2, broke: -2, outage: -3, outages: -3, crash: -2, crashed: -2, crashes: -2, crashing: -2,
  error: -2, errors: -2, bug: -1, bugs: -1, glitch: -2, glitches: -2, refund: -2, refunds: -2,
  refunded: 0, resolved: 2, overcharged: -3, charged: -2, fee: -1, fees: -1, unanswered: -2, ignoring: -2,
  ignored: -2, unreachable: -2, unresponsive: -2, useless: -3, worse: -3, worst: -3, issue: -1,
  issues: -1, problem: -2, problems: -2, complaint: -2, complaints: -2, unable: -2, rude: -3,
  joke: -2, sigh: -2, smh: -2, ugh: -2, seriously: -1, ridiculous: -3, unacceptable: -3,
  misplaced: -2, wrong: -2, incorrect: -2, failed: -2, failing: -2,
  fails: -2, fail: -2, disconnected: -2, nobody: -2, excuse: -2, excuses: -2,
  waited: -1, disconnect: -2, nightmare: -3, absurd: -2, slow: -1, slower: -1, unfortunately: -1, nope: -1,
  hassle: -2, impossible: -2, lose: -2, lies: -3, lying: -3, expensive: -1, overpriced: -2,
  subpar: -2, mediocre: -2, spotty: -1, inconvenienced: -2, inconveniences: -2, disgraceful: -3, cramped: -1,
  ripoff: -3, scammed: -3, unhelpful: -2, sucked: -3, abysmal: -3, miscommunication: -2, meh: -1,
  wait: -1, waiting: -2, still: -1, again: -1, why: -2, fix: -1, shoutout: 2,
  sorry: 0, apologize: 0, apology: -1, apologies: -1, compensation: -1, compensate: -1,
  // Laughter in a complaint is rarely delight; "thx" is plain thanks.
  lol: 1, haha: 1, lmao: 1, thx: 2, thnx: 2, thanx: 2, bs: -3, wth: -4,
};

/**
 * Problems that a negation right before them turns into good news ("not delayed", "no more outages",
 * "wasn't charged"). Other problem words stay problems when negated: "no refund", "didn't get my lost bag".
 */
export const NEGATABLE_PROBLEMS: readonly string[] = [
  'delayed', 'delay', 'delays', 'late', 'cancelled', 'canceled', 'cancellation', 'cancellations', 'lost',
  'missing', 'damaged', 'broken', 'outage', 'outages', 'crash', 'crashed', 'crashes', 'crashing', 'error',
  'errors', 'bug', 'bugs', 'glitch', 'glitches', 'charged', 'overcharged', 'fee', 'fees', 'issue', 'issues',
  'problem', 'problems', 'complaint', 'complaints', 'wrong', 'incorrect', 'failed', 'fail', 'disconnected',
  'stuck', 'stranded', 'slow', 'expensive', 'hassle', 'rude',
];

/** Determiners allowed between a negation and the problem it negates ("no more delays", "not a single bug"). */
export const NEGATION_FILLERS: readonly string[] = ['a', 'an', 'any', 'the', 'more', 'single', 'too', 'so', 'very', 'many', 'much'];

/** Words that turn the score of the next few words around ("not happy", "never helpful"). */
export const NEGATORS: readonly string[] = [
  'not', 'no', 'never', 'cant', "can't", 'cannot', 'dont', "don't", 'doesnt', "doesn't", 'didnt', "didn't",
  'isnt', "isn't", 'wasnt', "wasn't", 'arent', "aren't", 'werent', "weren't", 'wont', "won't", 'havent',
  "haven't", 'hasnt', "hasn't", 'hadnt', "hadn't", 'couldnt', "couldn't", 'wouldnt', "wouldn't",
  'shouldnt', "shouldn't", 'aint', "ain't", 'without', 'nor', 'nothing', 'hardly', 'zero', 'neither',
];

export type PhraseKind = 'complaint' | 'sarcasm' | 'praise' | 'neutral';

export interface PhraseEntry {
  phrase: string;
  score: number;
  kind: PhraseKind;
}

const complaint = (score: number, ...phrases: string[]): PhraseEntry[] =>
  phrases.map((phrase) => ({ phrase, score, kind: 'complaint' }));
const sarcasm = (score: number, ...phrases: string[]): PhraseEntry[] =>
  phrases.map((phrase) => ({ phrase, score, kind: 'sarcasm' }));
const praise = (score: number, ...phrases: string[]): PhraseEntry[] =>
  phrases.map((phrase) => ({ phrase, score, kind: 'praise' }));
const neutral = (...phrases: string[]): PhraseEntry[] => phrases.map((phrase) => ({ phrase, score: 0, kind: 'neutral' }));

/** Phrases matched before single words; the longest match wins and its words are not scored again. */
export const SERVICE_PHRASES: readonly PhraseEntry[] = [
  // Waiting and being ignored.
  ...complaint(-3, 'still waiting', 'still no', 'still not', "still haven't", 'still havent', "still hasn't",
    'still hasnt', "still don't", "still can't", 'still cant', 'still nothing', 'been waiting', 'keep waiting',
    'no response', 'no reply', 'no replies', 'no answer', 'no answers', 'no one', 'no update', 'no updates',
    'no info', 'no information', 'no communication', 'no help', 'not helpful', 'on hold', 'put on hold',
    'hung up', 'hang up', 'hangs up', 'no way to', 'no option', 'no call back', 'no callback', 'no email',
    'never heard back', 'never got back', 'never called back', 'nobody answers', 'no show'),
  ...complaint(-2, 'N hours', 'N hrs', 'N hour', 'N hr', 'N minutes', 'N mins', 'N min', 'N days', 'N weeks',
    'an hour', 'over an hour', 'for hours', 'for days', 'for weeks', 'all day', 'all night', 'all morning',
    'hours later', 'days later', 'weeks later'),
  // Money.
  ...complaint(-3, 'charged twice', 'double charged', 'charged me twice', 'money back', 'my money',
    'want a refund', 'want my refund', 'where is my refund', 'cancel my account', 'cancel my subscription',
    'cancel my order', 'close my account', 'hidden fee', 'hidden fees'),
  // Things that do not work.
  ...complaint(-3, 'down again', 'down for', 'still down', 'goes down', 'been down', 'was down', 'were down',
    "it's down", 'its down', 'not working', 'stopped working', "doesn't work", 'doesnt work', 'does not work',
    "didn't work", "won't let me", "can't log in", "can't login", 'cant login', 'cant log in', 'cannot log in',
    "can't get through", 'cant get through', "can't reach", 'cant reach', "can't get", 'cant get', 'unable to',
    'keeps crashing', 'keeps failing', 'not loading', "won't load", 'wont load', 'went down', 'is down', 'are down',
    'broken again', 'no wifi', 'no signal', 'no service', 'never arrived', 'never received', 'never got',
    "haven't received", 'havent received', "didn't receive", 'didnt receive', 'not received', "hasn't arrived",
    'never again', 'not acceptable', 'not ok', 'not okay', 'not happy', 'not impressed', 'not cool',
    'fix this', 'fix it', 'do better', 'get it together', 'waste of', 'what a joke', 'so disappointed'),
  // Asking where something is.
  ...complaint(-2, 'where is my', "where's my", 'wheres my', 'where are my', 'what happened to', "what's going on",
    'whats going on', 'what is going on', 'how long', 'how much longer', 'any update', 'any updates',
    'any news', 'what is the point', "what's the point", 'is anyone', 'anyone there', 'anybody there',
    'again and again', 'third time', 'second time', 'every time', 'N times',
    'told me', 'was told', 'were told', 'supposed to', 'lack of', 'should have', "should've", 'shouldve',
    'could have', "could've", 'better be', 'you should', 'not able to', "can't access", 'cant access',
    'cannot access', "can't find", 'cant find', 'cannot find', "couldn't get", 'couldnt get', "couldn't find",
    'never came', 'never showed', 'never responded', "didn't respond", 'didnt respond', "haven't heard",
    'havent heard', 'gave up', 'what gives', "what's up with", 'whats up with', 'want my', 'find my',
    'takes forever', 'taking forever', 'took forever', 'too long', 'waste my time', 'wasted my time',
    'trying to', 'tried to', 'been trying', 'last time', 'please help', 'pls help', 'plz help', 'help please',
    'need help', 'how about you', 'be nice if', 'be great if', 'be good if', 'would be nice', 'you need to',
    'need to learn', 'could be more', 'should be more', 'speak to a', 'speak to an', 'speak with a',
    'speak to someone', 'speak with someone', 'talk to a', 'talk to an', 'talk to someone', 'talk with someone',
    'chat with a', 'actual human', 'actual person', 'real person', 'real human', 'a supervisor', 'a manager',
    'answer the phone', 'answer your phone', 'answer your phones', 'pick up the phone', 'hope someone',
    'hope somebody', 'hoping someone', 'hope to hear', 'hoping to hear'),
  ...complaint(-1, 'i paid', 'we paid', 'paid for'),
  ...complaint(-1, 'customer service', 'customer support'),
  // Sarcasm: polite or positive words used about a problem.
  ...sarcasm(-3, 'thanks for nothing', 'thank you for nothing', 'so much for', 'yeah right',
    'just great', 'just perfect', 'just what i needed', 'way to go', 'nice try', 'love how', 'love that',
    'love when', 'love the fact', 'good luck', 'oh great', 'oh good', 'lucky me', 'how nice',
    'how lovely', 'thanks for wasting', 'thanks for ruining'),
  // Praise that individual words under-rate.
  ...praise(3, 'no problem', 'no problems', 'no worries', 'no issues', 'not a problem', 'not bad', 'not too bad',
    "can't wait", 'cant wait', "can't beat", 'cant beat', 'never disappoints', 'never fails',
    'ahead of schedule', 'above and beyond', 'shout out', 'thank you so much', 'thanks so much', 'made my day',
    'well done'),
  ...praise(2, 'i like', 'we like', 'really like', 'like it', 'like this', 'like the new', 'still love',
    'still like', 'no complaints', 'never had a problem', 'never had any problems', 'never had an issue',
    'never had any issues', 'never have any issues', 'never an issue', 'without any issues', 'without a problem',
    'without any problems', 'without issue', 'without issues', 'zero issues', 'not a single issue'),
  // Functional phrases that only look emotional.
  ...neutral('kind of', 'sort of', 'as well', 'feel free', 'free to', 'look like', 'looks like', 'seems like',
    'would like', "i'd like", 'id like', 'like to', 'if you can', 'let me know', 'you guys', 'is why', "that's why",
    'thats why', 'not sure', 'nothing but', 'non stop', "can't believe", 'cant believe', "couldn't believe", 'cannot believe'),
];

/**
 * Courtesy, not praise: in a post that reports a problem, and says nothing else positive, these
 * count for nothing ("Two hours on hold. Thanks.", "Thanks, but my order is still missing").
 */
export const COURTESY_WORDS: readonly string[] = [
  'thanks', 'thank', 'thx', 'thnx', 'thanx', 'appreciate', 'appreciated', 'glad', 'welcome', 'lol', 'haha',
  'lmao', 'better',
];

/**
 * Signs that a problem was solved ("Refund arrived, thanks!", "Thanks for the quick fix"): with one of
 * these, courtesy words keep their score.
 */
export const RESOLUTION_WORDS: readonly string[] = [
  'refunded', 'resolved', 'fixed', 'sorted', 'solved', 'arrived', 'received', 'found', 'quick', 'quickly',
  'fast', 'prompt', 'promptly', 'speedy',
];

/** Words that turn what follows into the point of the sentence ("Love the app, but it keeps crashing"). */
export const CONTRAST_WORDS: readonly string[] = ['but', 'however', 'though', 'although', 'except', 'yet'];

/** Exclamations that turn sarcastic in a short clause beside a problem ("Great, another outage"). */
export const EXCLAIM_WORDS: readonly string[] = [
  'great', 'awesome', 'perfect', 'wonderful', 'fantastic', 'nice', 'love', 'lovely', 'brilliant', 'amazing',
  'cool', 'fun', 'excellent', 'superb', 'terrific', 'yay', 'woohoo', 'impressive', 'classy',
];

/** Parts of compound hashtags that complain ("#epicfail", "#neveragain", "#wantmymoneyback"). */
export const HASHTAG_PROBLEMS: readonly string[] = [
  'fail', 'worst', 'sucks', 'never', 'ripoff', 'disappoint', 'frustrat', 'annoy', 'unhappy', 'nothappy',
  'badservice', 'poorservice', 'noservice', 'badcustomer', 'poorcustomer', 'badexperience', 'terrible', 'horrible', 'awful', 'angry', 'fml', 'shame', 'wtf',
  'smh', 'broken', 'delay', 'stranded', 'stuck', 'nohelp', 'refund', 'moneyback', 'boycott', 'ruined', 'hate',
];

/** Words that open a request to the brand: with a question mark or at the start of a clause, they ask for a reply. */
export const REQUEST_STARTS: readonly string[] = [
  'can', 'could', 'will', 'would', 'do', 'does', 'did', 'is', 'are', 'was', 'how', 'what', 'when', 'where',
  'which', 'who', 'whom', 'whose', 'any', 'anyone', 'should', 'may', 'have', 'has', 'help', 'please', 'pls',
  'plz', 'need', 'dm',
];

/** Second-person words: a question with one of these is put to the brand. */
export const SECOND_PERSON: readonly string[] = ['you', 'your', 'yours', "you're", 'youre', 'u', 'ur', "y'all", 'yall'];

/** Number words accepted where a phrase says `N`. */
export const NUMBER_WORDS: readonly string[] = [
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen',
  'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'several', 'few', 'many', 'multiple', 'couple', 'countless',
];
