import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkPattern } from './safe-pattern.js';

describe('checkPattern', () => {
  it('folds case into the pattern the way the i flag would, for the linear engine', () => {
    const cases: Array<[string, string, boolean]> = [
      ['^ada$', 'ADA', true],
      ['^[a-c]+$', 'aBc', true],
      ['^[^a]$', 'A', false],
      ['straße', 'STRASSE', false], // the i flag does not expand ß to SS either
      ['^é', 'É', true],
      ['\\w+', '_', true],
      ['^k$', '\u212a', false], // the Kelvin sign folds to K only under the u flag
    ];
    for (const [pattern, subject, expected] of cases) {
      const folded = checkPattern(pattern, true);
      if (typeof folded === 'string') throw new Error(folded);
      expect(folded.test(subject), pattern).toBe(expected);
      expect(new RegExp(pattern, 'i').test(subject), `${pattern} (native i flag)`).toBe(expected);
    }
  });

  it('tests values as GrowthBook does, through their string form', () => {
    const pattern = checkPattern('^nu', false);
    if (typeof pattern === 'string') throw new Error(pattern);
    expect(pattern.test(null)).toBe(true);
    expect(pattern.test(['nu', 'x'])).toBe(true);
    expect(pattern.test(12)).toBe(false);
  });

  it('without the linear engine, refuses patterns whose backtracking could blow up (built package, plain node)', () => {
    const dist = new URL('../../dist/index.js', import.meta.url).href;
    const script = `import { checkPattern, linearRegExpAvailable } from ${JSON.stringify(dist)};
      const verdict = (p) => typeof checkPattern(p, false) === 'string' ? 'refused' : 'ok';
      console.log(JSON.stringify([linearRegExpAvailable(), ...['(a+)+$', 'a*a*b', '(ab)*', '^acme', '[0-9]+$', 'a{1,3}b+'].map(verdict)]));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([false, 'refused', 'refused', 'refused', 'ok', 'ok', 'ok']);
  });
});
