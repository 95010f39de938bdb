/**
 * Feed dates → epoch ms UTC, or null when unreadable. Accepts RFC 822/1123 and its variants
 * (`Wed, 6 Apr 2022 21:07:47 +0000`, `03 Apr 02 1500 GMT`, `Seg, 24 Set 2018 19:42:40 -0300`),
 * ISO 8601 / W3C-DTF (`2019-07-10T11:53:37Z`, `2017-06-21T11:33:12-07:00`, `2003-12`) and Unix epochs
 * in seconds or milliseconds (`1518478934`, seen in `dc:date`). A date without a zone is taken as UTC.
 */

/** Month abbreviations: English, plus the Portuguese, Spanish, French, German and Italian ones feeds use. */
const MONTHS: Record<string, number> = {
  jan: 1, ene: 1, gen: 1, janv: 1,
  feb: 2, fev: 2, 'fév': 2, 'févr': 2,
  mar: 3, 'mär': 3, mrz: 3,
  apr: 4, abr: 4, avr: 4,
  may: 5, mai: 5, mag: 5,
  jun: 6, giu: 6, juin: 6,
  jul: 7, lug: 7, juil: 7,
  aug: 8, ago: 8, 'aoû': 8, aou: 8,
  sep: 9, set: 9,
  oct: 10, out: 10, okt: 10, ott: 10,
  nov: 11,
  dec: 12, dez: 12, dic: 12, 'déc': 12,
};

const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7,
  akst: -9, akdt: -8, hst: -10, ast: -4, adt: -3,
  bst: 1, cet: 1, cest: 2, met: 1, mest: 2, eet: 2, eest: 3, msk: 3, jst: 9, kst: 9, aest: 10, aedt: 11,
};

const WORD = '[A-Za-z\\u00C0-\\u024F]';
const TIME = '(\\d{1,2}):?(\\d{2})(?::?(\\d{2}))?(?:[.,]\\d+)?';
const ZONE = '([A-Za-z]{1,5}|[+-]\\d{1,2}:?\\d{2})';
/** `[Day,] DD Mon YY[YY] [HH:MM[:SS]] [zone]` */
const DAY_FIRST = new RegExp(
  `^(?:${WORD}+\\.?,?\\s*)?(\\d{1,2})[\\s-]+(${WORD}{3,})\\.?,?[\\s-]+(\\d{4}|\\d{2})(?:[\\sT,]+${TIME})?\\s*${ZONE}?\\s*(?:\\([^()]*\\))?$`,
);
/** `[Day,] Mon DD[,] YYYY [HH:MM[:SS]] [zone]` */
const MONTH_FIRST = new RegExp(
  `^(?:${WORD}+\\.?,?\\s+)?(${WORD}{3,})\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})(?:[\\sT,]+${TIME})?\\s*${ZONE}?\\s*(?:\\([^()]*\\))?$`,
);
const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ISO_MONTH = /^(\d{4})(?:-(\d{2}))?$/;

export function parseFeedDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const text = value.trim().replace(/\s+/g, ' ');
  if (text === '' || text.length > 80) return null;

  if (/^\d{9,10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{12,13}$/.test(text)) return Number(text);

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    return build(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms, zoneOffsetMinutes(zone));
  }
  const isoMonth = ISO_MONTH.exec(text);
  if (isoMonth) return build(Number(isoMonth[1]), Number(isoMonth[2] ?? 1), 1, 0, 0, 0, 0, 0);

  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, d, mon, y, h, mi, s, zone] = dayFirst;
    return buildWords(y, mon, d, h, mi, s, zone);
  }
  const monthFirst = MONTH_FIRST.exec(text);
  if (monthFirst) {
    const [, mon, d, y, h, mi, s, zone] = monthFirst;
    return buildWords(y, mon, d, h, mi, s, zone);
  }
  return null;
}

function buildWords(
  year: string | undefined,
  monthName: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  zone: string | undefined,
): number | null {
  const month = monthNumber(monthName ?? '');
  const offset = zoneOffsetMinutes(zone);
  if (month === undefined || offset === null) return null;
  let y = Number(year);
  if ((year ?? '').length === 2) y += y < 50 ? 2000 : 1900;
  return build(y, month, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), 0, offset);
}

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  return MONTHS[lower.slice(0, 4)] ?? MONTHS[lower.slice(0, 3)];
}

/** Minutes east of UTC; unknown zone names count as UTC (RFC 2822 §4.3), a malformed offset is null. */
function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (!zone) return 0;
  const offset = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    if (minutes > 18 * 60) return null;
    return offset[1] === '-' ? -minutes : minutes;
  }
  return (ZONES[zone.toLowerCase()] ?? 0) * 60;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number | null,
): number | null {
  if (offsetMinutes === null) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return Number.isFinite(time) ? time : null;
}
