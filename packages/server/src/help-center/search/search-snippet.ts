import { foldText } from './search-text.js';

/** About how long a snippet is, in characters of text. */
export const SNIPPET_LENGTH = 160;
// Text shown before the first match of a passage, so it does not open on the match.
const LEAD = 30;
// Enough for any passage; a body with more matches is scanned no further.
const MAX_MATCHES = 500;

// Like search-text.ts's words, but on the text as written: a word may carry combining marks.
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

interface Hit {
  start: number;
  end: number;
  word: string;
}

/** What a snippet marks: folded words, and words starting with a folded prefix. */
export interface SnippetTerms {
  words: ReadonlySet<string>;
  prefix: string | null;
}

/**
 * The passage of `text` (plain text) with the most distinct matched words, as
 * HTML: every character escaped, each matched word wrapped in `<mark>`, and
 * nothing else. Without a match, the opening of the text.
 */
export function buildSnippet(text: string, terms: SnippetTerms, length = SNIPPET_LENGTH): string {
  const hits = NON_ASCII.test(text) ? tokenHits(text, terms) : asciiHits(text, terms);
  if (hits.length === 0) return passage(text, 0, length, []);

  // The window starting at each hit: the one covering the most distinct words wins, the earliest on a tie.
  let best = 0;
  let bestCount = 0;
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<string>();
    for (let j = i; j < hits.length && hits[j]!.end - hits[i]!.start <= length - LEAD; j++) seen.add(hits[j]!.word);
    if (seen.size > bestCount) {
      best = i;
      bestCount = seen.size;
    }
  }
  const start = hits[best]!.start;
  return passage(text, Math.max(0, start - LEAD), length, hits);
}

// Any text: every word folded and looked up.
function tokenHits(text: string, terms: SnippetTerms): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = foldText(m[0]);
    if (terms.words.has(word) || (terms.prefix !== null && word.startsWith(terms.prefix))) {
      hits.push({ start: m.index, end: m.index + m[0].length, word });
      if (hits.length >= MAX_MATCHES) break;
    }
  }
  return hits;
}

// ASCII text (most articles), where folding is lower-casing and keeps offsets: only the
// searched words are looked for (indexOf), which is many times faster than splitting every word.
function asciiHits(text: string, terms: SnippetTerms): Hit[] {
  const lower = text.toLowerCase();
  const hits: Hit[] = [];
  const needles: Array<[string, boolean]> = [...terms.words].map((w) => [w, false]);
  if (terms.prefix !== null) needles.push([terms.prefix, true]);
  for (const [needle, isPrefix] of needles) {
    for (let at = lower.indexOf(needle); at >= 0 && hits.length < MAX_MATCHES; at = lower.indexOf(needle, at + 1)) {
      if (at > 0 && isAsciiWordChar(lower.charCodeAt(at - 1))) continue;
      let end = at + needle.length;
      if (isPrefix) while (end < lower.length && isAsciiWordChar(lower.charCodeAt(end))) end++;
      else if (end < lower.length && isAsciiWordChar(lower.charCodeAt(end))) continue;
      hits.push({ start: at, end, word: lower.slice(at, end) });
    }
  }
  // A word may be both a searched word and start with the prefix: keep one hit per place.
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return hits.filter((h, i) => i === 0 || h.start !== hits[i - 1]!.start);
}

function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}

// Escaped text of [from, from + length), widened to whole words, with hits marked.
function passage(text: string, from: number, length: number, hits: Hit[]): string {
  let start = from;
  if (start > 0) {
    const space = text.lastIndexOf(' ', start);
    start = space < 0 ? 0 : space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const hit of hits) {
    if (hit.start < start) continue;
    if (hit.end > end) break;
    out += `${escapeHtml(text.slice(at, hit.start))}<mark>${escapeHtml(text.slice(hit.start, hit.end))}</mark>`;
    at = hit.end;
  }
  out += escapeHtml(text.slice(at, end));
  return end < text.length ? `${out.trimEnd()}…` : out;
}
