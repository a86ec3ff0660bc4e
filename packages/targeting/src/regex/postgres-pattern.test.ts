import { describe, expect, it } from 'vitest';
import { toPostgresPattern } from './postgres-pattern.js';

// Whether PostgreSQL matches the same strings is tested against a database in
// the server (condition-sql-differential.test.ts); here, the shape of the output.
describe('toPostgresPattern', () => {
  const translate = (source: string, caseInsensitive = false) => {
    const result = toPostgresPattern(source, caseInsensitive);
    if (!result.ok) throw new Error(result.error);
    return result.pattern;
  };

  it('writes every character that is not a plain letter or digit as an escape', () => {
    expect(translate('^acme\\.com$')).toBe('^acme\\u002ecom$');
    expect(translate("a'b\\\\c")).toBe('a\\u0027b\\u005cc');
    expect(translate('\\*\\*\\*:x')).toBe('\\u002a\\u002a\\u002a\\u003ax');
  });

  it("spells out JavaScript's classes, dot and word boundary instead of PostgreSQL's locale-dependent ones", () => {
    expect(translate('\\d')).toBe('[\\u0030-\\u0039]');
    expect(translate('.')).toBe('[\\u0001-\\u0009\\u000b-\\u000c\\u000e-\\u2027\\u202a-\\ud7ff\\ue000-\\U0010ffff]');
    expect(translate('\\bx')).toContain('(?<=[0-9A-Z_a-z])');
    expect(translate('a+?')).toBe('(?:a)+');
  });

  it('folds case into the pattern for $regexi', () => {
    // As JavaScript's non-unicode `i`: the Kelvin sign is not a K there.
    expect(translate('k', true)).toBe('[\\u004b\\u006b]');
  });

  it('refuses what it cannot translate exactly, and what checkPattern refuses', () => {
    expect(toPostgresPattern('\\ud83d', false)).toMatchObject({ ok: false, error: expect.stringContaining('surrogate') });
    expect(toPostgresPattern('[\\ud800-\\udbff]', false)).toMatchObject({ ok: false });
    expect(toPostgresPattern('(a)\\1', false)).toMatchObject({ ok: false, error: expect.stringContaining('backreferences') });
  });
});
