import regjsparser, { type AstNode, type CharacterClassBody, type RootNode } from 'regjsparser';
import { checkPattern, foldCase } from './safe-pattern.js';

/**
 * Translates a `$regex`/`$regexi` pattern into a PostgreSQL advanced regular
 * expression (for `~`) that matches exactly the same strings, or returns why it
 * cannot. The pattern is first checked as {@link checkPattern} checks it; case
 * folding for `$regexi` is done in the pattern, as the JavaScript side does, so
 * no PostgreSQL flag or locale is involved. Every character is written as an
 * escape or a code-point range, so nothing in the pattern can mean something
 * else to PostgreSQL. Greedy and lazy quantifiers are both written greedy:
 * whether a string matches at all does not depend on which is used.
 *
 * Characters beyond U+FFFF cannot agree: JavaScript (without the `u` flag)
 * sees them as two code units, PostgreSQL as one character.
 *
 * @example toPostgresPattern('^acme\\.', false) // { ok: true, pattern: '^acme\\u002e' }
 */
export function toPostgresPattern(source: string, caseInsensitive: boolean): { ok: true; pattern: string } | { ok: false; error: string } {
  const checked = checkPattern(source, caseInsensitive);
  if (typeof checked === 'string') return { ok: false, error: checked };
  let ast: RootNode = regjsparser.parse(source, '');
  if (caseInsensitive) ast = foldCase(ast);
  try {
    return { ok: true, pattern: translate(ast) };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, error: error.message };
    throw error;
  }
}

class Untranslatable extends Error {}

// PostgreSQL's bound on {m,n} (RE_DUP_MAX).
const MAX_REPEAT = 255;
const MAX_CODE_POINT = 0x10ffff;

/** A set of code points as sorted, disjoint, non-adjacent [from, to] ranges. */
type Ranges = Array<[number, number]>;

function translate(node: RootNode): string {
  switch (node.type) {
    case 'alternative':
      return node.body.length === 0 ? '(?:)' : node.body.map(translate).join('');
    case 'disjunction':
      return `(?:${node.body.map((alternative) => (isEmpty(alternative) ? '(?:)' : translate(alternative))).join('|')})`;
    case 'group':
      // Lookaround was refused by checkPattern; capturing makes no difference to a match test.
      return `(?:${node.body.map(translate).join('')})`;
    case 'quantifier': {
      const { min, max } = node;
      if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT))
        throw new Untranslatable(`repetition counts above ${MAX_REPEAT} cannot be counted in SQL; use * or +.`);
      const bound = max === undefined ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === max ? `{${min}}` : `{${min},${max}}`;
      return `(?:${translate(node.body[0])})${bound}`;
    }
    case 'anchor':
      switch (node.kind) {
        case 'start':
          return '^';
        case 'end':
          return '$';
        // JavaScript's word characters are ASCII only; PostgreSQL's \y follows the locale, so spell it out.
        case 'boundary':
          return `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
        case 'not-boundary':
          return `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
      }
      throw new Untranslatable('this anchor has no SQL equivalent.');
    case 'dot':
      return bracket(complement(lineTerminators()));
    case 'value':
      return literal(node.codePoint);
    case 'characterClassEscape':
    case 'characterClass':
      return bracket(classRanges(node));
    default:
      throw new Untranslatable(`${node.raw} has no SQL equivalent.`);
  }
}

function isEmpty(node: RootNode): boolean {
  return node.type === 'alternative' && node.body.length === 0;
}

function literal(codePoint: number): string {
  if (codePoint >= 0xd800 && codePoint <= 0xdfff)
    throw new Untranslatable('patterns with lone surrogate code units (\\ud800–\\udfff) cannot run in SQL.');
  // PostgreSQL text holds no NUL: a pattern needing one never matches there, nor in JavaScript on stored text.
  if (codePoint === 0) return NEVER;
  if ((codePoint >= 0x30 && codePoint <= 0x39) || (codePoint >= 0x41 && codePoint <= 0x5a) || (codePoint >= 0x61 && codePoint <= 0x7a))
    return String.fromCharCode(codePoint);
  return escape(codePoint);
}

function escape(codePoint: number): string {
  return codePoint > 0xffff ? `\\U${codePoint.toString(16).padStart(8, '0')}` : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

// Matches no character PostgreSQL text can hold.
const NEVER = '[\\u0000]';

function bracket(ranges: Ranges): string {
  // Surrogates and NUL cannot occur in PostgreSQL text; leaving them out keeps the escapes valid.
  const usable = intersect(ranges, [
    [1, 0xd7ff],
    [0xe000, MAX_CODE_POINT],
  ]);
  if (usable.length === 0) return NEVER;
  return `[${usable.map(([from, to]) => (from === to ? escape(from) : `${escape(from)}-${escape(to)}`)).join('')}]`;
}

function classRanges(node: AstNode | CharacterClassBody): Ranges {
  switch (node.type) {
    case 'value':
      return explicit(node.codePoint, node.codePoint);
    case 'characterClassRange':
      return explicit(node.min.codePoint, node.max.codePoint);
    case 'characterClassEscape':
      return escapeRanges(node.value);
    case 'characterClass': {
      const union = normalise(node.body.flatMap((item) => classRanges(item)));
      return node.negative ? complement(union) : union;
    }
    default:
      throw new Untranslatable(`${node.raw} has no SQL equivalent.`);
  }
}

function explicit(from: number, to: number): Ranges {
  if (from <= 0xdfff && to >= 0xd800) throw new Untranslatable('patterns naming surrogate code units (\\ud800–\\udfff) cannot run in SQL.');
  return [[from, to]];
}

// \d, \w and \s as this JavaScript engine defines them, read off the engine itself once.
let escapes: Record<'d' | 'w' | 's', Ranges> | undefined;
function escapeRanges(name: 'd' | 'D' | 'w' | 'W' | 's' | 'S'): Ranges {
  escapes ??= { d: rangesOf(/\d/), w: rangesOf(/\w/), s: rangesOf(/\s/) };
  const base = escapes[name.toLowerCase() as 'd' | 'w' | 's'];
  return name === name.toLowerCase() ? base : complement(base);
}

function rangesOf(regex: RegExp): Ranges {
  const points: Array<[number, number]> = [];
  for (let c = 0; c <= 0xffff; c++) if (regex.test(String.fromCharCode(c))) points.push([c, c]);
  return normalise(points);
}

function lineTerminators(): Ranges {
  return normalise([
    [0x0a, 0x0a],
    [0x0d, 0x0d],
    [0x2028, 0x2029],
  ]);
}

const WORD = '[0-9A-Z_a-z]';

function normalise(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function complement(ranges: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) out.push([next, from - 1]);
    next = Math.max(next, to + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  for (const [af, at] of a)
    for (const [bf, bt] of b) {
      const from = Math.max(af, bf);
      const to = Math.min(at, bt);
      if (from <= to) out.push([from, to]);
    }
  return normalise(out);
}
