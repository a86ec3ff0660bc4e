// Numbers and dates in the browser's locale (`undefined` makes Intl use it);
// plural words by the rules of the language the words are written in.

/** A locale for Intl, or undefined for the browser's own. */
export type Locale = string | undefined;

/**
 * The language the dashboard's words are written in: plural forms are picked
 * by its rules (an English word takes English plurals, whatever the locale
 * the numbers are written in).
 */
export const UI_LANGUAGE = 'en';

/** The words for a count by plural category (`Intl.PluralRules`); `other` is the fallback for any category not given. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

// Intl objects are costly to build and tables format thousands of cells: one per locale and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let formatter = formatters.get(key) as T | undefined;
  if (!formatter) formatters.set(key, (formatter = make()));
  return formatter;
}

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(`n\u0000${locale ?? ''}\u0000${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`d\u0000${locale ?? ''}\u0000${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

/** A time for people: local date and time to the minute; "never" for none. */
export function formatTime(at: number | null | undefined, locale?: Locale): string {
  if (at === null || at === undefined) return 'never';
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** A time for people in a chosen style (a short one for chart axes and tables), in the viewer's zone. */
export function formatDateTime(at: number, options: Intl.DateTimeFormatOptions, locale?: Locale): string {
  return dateFormat(locale, options).format(at);
}

/** A count with the locale's digit grouping, e.g. "12,345" (en) or "12.345" (de). */
export function formatCount(n: number, locale?: Locale): string {
  return numberFormat(locale).format(n);
}

/** A number with at most (and, with `exact`, exactly) `digits` decimals in the locale's style. */
export function formatNumber(n: number, digits: number, locale?: Locale, exact = true): string {
  return numberFormat(locale, { minimumFractionDigits: exact ? digits : 0, maximumFractionDigits: digits }).format(n);
}

/** A share in per cent, one decimal, in the locale's style ("12.5%", "12,5 %"); a dash when the whole is zero. */
export function formatPercent(part: number, whole: number, locale?: Locale): string {
  return whole === 0
    ? '—'
    : numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(part / whole);
}

/** A UTC day (epoch ms at its midnight) for people, e.g. "2 Dec 2026": the day as stored, whatever the viewer's zone. */
export function formatDay(day: number, locale?: Locale): string {
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(day);
}

/** The word for `n` by the plural rules of `language` (the UI's by default), e.g. `plural(1, { one: 'event', other: 'events' })` → "event". */
export function plural(n: number, forms: PluralForms, language: string = UI_LANGUAGE): string {
  const category = cached(`p\u0000${language}`, () => new Intl.PluralRules(language)).select(n);
  return forms[category] ?? forms.other;
}

/**
 * A count and its word: the number in the browser's locale, the word by the
 * UI language's plural rules.
 *
 * @example countOf(1234, { one: 'event', other: 'events' }) // "1,234 events" (en-US), "1.234 events" (de-DE)
 */
export function countOf(n: number, forms: PluralForms, locale?: Locale, language: string = UI_LANGUAGE): string {
  return `${formatCount(n, locale)} ${plural(n, forms, language)}`;
}
