import regjsparser, { type AstNode, type CharacterClassBody, type RootNode } from 'regjsparser';
import regjsgen from 'regjsgen';
import { ConditionLimits } from '../condition/condition.js';

/** A user-written pattern that passed {@link checkPattern}, ready to test values. */
export interface SafePattern {
  source: string;
  caseInsensitive: boolean;
  /** Tests a value as GrowthBook does: `regex.test(value)`, so non-strings are tested as their string form. */
  test(value: unknown): boolean;
}

/**
 * Checks a `$regex`/`$regexi` pattern and builds its matcher. Patterns are
 * JavaScript regular expressions without backreferences or lookaround, so
 * they can run on V8's linear-time engine (see {@link linearRegExpAvailable}):
 * on it, no pattern can stall the server, whatever the input. Returns an
 * error message when the pattern is refused.
 */
export function checkPattern(source: string, caseInsensitive: boolean): SafePattern | string {
  if (source.length > ConditionLimits.maxPatternLength)
    return `the pattern is ${source.length} characters long; the limit is ${ConditionLimits.maxPatternLength}.`;
  let ast: RootNode;
  try {
    ast = regjsparser.parse(source, '');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message.split('\n')[0]}`;
  }
  const refused = findRefused(ast) ?? (LINEAR_ENGINE ? null : backtrackingRisk(ast));
  if (refused) return refused;
  // The linear engine has no case-insensitive mode: fold case into the pattern instead.
  const runnable = caseInsensitive ? regjsgen.generate(foldCase(ast)) : source;
  let regex: RegExp;
  try {
    regex = new RegExp(runnable, LINEAR_FLAGS);
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  return {
    source,
    caseInsensitive,
    test: (value) => regex.test(typeof value === 'string' ? value : String(value)),
  };
}

// Feature-detected once, when this module loads: the `l` flag exists when the
// process runs V8 with --enable-experimental-regexp-engine (the Lumio server's
// bin/lumio.js turns it on before loading anything else).
const LINEAR_ENGINE = (() => {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
})();
const LINEAR_FLAGS = LINEAR_ENGINE ? 'l' : '';

/** Whether patterns run on V8's linear-time engine in this process. */
export function linearRegExpAvailable(): boolean {
  return LINEAR_ENGINE;
}

// Without the linear engine (another runtime, or the flag off), only patterns
// whose backtracking stays quadratic at worst: one repeated character or class,
// nothing repeated inside a repeated group.
function backtrackingRisk(ast: RootNode): string | null {
  let repeats = 0;
  let nested = false;
  const walk = (node: AstNode | CharacterClassBody, insideRepeat: boolean): void => {
    if (node.type === 'quantifier') {
      const unbounded = node.max === undefined || node.max > 16;
      if (unbounded) repeats++;
      if (
        insideRepeat ||
        (unbounded &&
          node.body[0].type !== 'value' &&
          node.body[0].type !== 'characterClass' &&
          node.body[0].type !== 'characterClassEscape' &&
          node.body[0].type !== 'dot')
      )
        nested = true;
      walk(node.body[0], insideRepeat || unbounded);
    } else if (node.type === 'alternative' || node.type === 'disjunction' || node.type === 'group') {
      for (const child of node.body) walk(child, insideRepeat);
    }
  };
  walk(ast, false);
  return repeats > 1 || nested
    ? 'this pattern could take too long on the regular-expression engine this process runs (start Node with --enable-experimental-regexp-engine); use at most one repetition such as "a+" or "[0-9]*".'
    : null;
}

function findRefused(node: AstNode | CharacterClassBody): string | null {
  switch (node.type) {
    case 'reference':
      return 'backreferences (\\1) are not allowed: they cannot run in linear time.';
    case 'group':
      if (node.behavior !== 'normal' && node.behavior !== 'ignore')
        return 'lookahead and lookbehind are not allowed: they cannot run in linear time.';
      return firstRefused(node.body);
    case 'alternative':
    case 'disjunction':
      return firstRefused(node.body);
    case 'quantifier':
      return findRefused(node.body[0]);
    case 'characterClass':
      return firstRefused(node.body);
    case 'unicodePropertyEscape':
      return 'unicode property escapes are not allowed.';
    default:
      return null;
  }
}

function firstRefused(nodes: ReadonlyArray<AstNode | CharacterClassBody>): string | null {
  for (const child of nodes) {
    const refused = findRefused(child);
    if (refused) return refused;
  }
  return null;
}

// Case folding as JavaScript's non-unicode `i` flag does it (ECMA-262
// Canonicalize): two characters match when their canonical forms are equal.
function canonicalize(codeUnit: number): number {
  const upper = String.fromCharCode(codeUnit).toUpperCase();
  if (upper.length !== 1) return codeUnit;
  const mapped = upper.charCodeAt(0);
  return codeUnit >= 128 && mapped < 128 ? codeUnit : mapped;
}

let equivalents: Map<number, number[]> | undefined;
function caseVariants(codeUnit: number): number[] {
  if (!equivalents) {
    equivalents = new Map();
    const byCanonical = new Map<number, number[]>();
    for (let c = 0; c <= 0xffff; c++) {
      const key = canonicalize(c);
      const list = byCanonical.get(key);
      if (list) list.push(c);
      else byCanonical.set(key, [c]);
    }
    for (const list of byCanonical.values()) if (list.length > 1) for (const c of list) equivalents.set(c, list);
  }
  return equivalents.get(codeUnit) ?? [codeUnit];
}

function valueNode(codePoint: number): CharacterClassBody {
  const hex = codePoint.toString(16).padStart(4, '0');
  return { type: 'value', kind: 'unicodeEscape', codePoint, raw: `\\u${hex}`, range: [0, 0] } as CharacterClassBody;
}

/** The AST with case folded into it, as `$regexi` runs: each letter becomes the class of its case variants. */
export function foldCase<T extends AstNode | CharacterClassBody>(node: T): T {
  switch (node.type) {
    case 'value': {
      const variants = caseVariants(node.codePoint);
      if (variants.length === 1) return node;
      return { type: 'characterClass', kind: 'union', negative: false, body: variants.map(valueNode), raw: '', range: [0, 0] } as never;
    }
    case 'characterClass': {
      const body: CharacterClassBody[] = [];
      for (const item of node.body) {
        if (item.type === 'value') for (const c of caseVariants(item.codePoint)) body.push(valueNode(c));
        else if (item.type === 'characterClassRange') {
          body.push(item);
          const extra = new Set<number>();
          for (let c = item.min.codePoint; c <= item.max.codePoint; c++) for (const v of caseVariants(c)) extra.add(v);
          for (const c of extra) if (c < item.min.codePoint || c > item.max.codePoint) body.push(valueNode(c));
        } else body.push(item);
      }
      return { ...node, body };
    }
    case 'alternative':
    case 'disjunction':
    case 'group':
      return { ...node, body: node.body.map((child) => foldCase(child)) } as T;
    case 'quantifier':
      return { ...node, body: [foldCase(node.body[0])] } as T;
    default:
      return node;
  }
}
