// docs/targeting.md promises that every operator GrowthBook defines is either
// supported or listed as refused. This test keeps that literally true: the
// operators are read from the installed GrowthBook's evaluator (the `case`
// labels of its evalCondition / evalOperatorCondition switches, the code the
// agreement test compares with), so a GrowthBook upgrade that adds one fails
// here until the docs and the validator say what Lumio does with it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIELD_OPERATORS, LOGICAL_OPERATORS, REFUSED_OPERATORS } from './operators.js';
import { validateCondition } from './validate-condition.js';

const doc = fs.readFileSync(new URL('../../../../docs/targeting.md', import.meta.url), 'utf8');

/** Every operator GrowthBook's evaluator switches on, from the installed package. */
function growthBookOperators(): string[] {
  const entry = createRequire(import.meta.url).resolve('@growthbook/growthbook');
  const source = fs.readFileSync(path.join(path.dirname(entry), 'mongrule.js'), 'utf8');
  return [...new Set([...source.matchAll(/case "(\$[A-Za-z]+)"/g)].map((m) => m[1]!))].sort();
}

/** The text of a "## Heading" section of docs/targeting.md. */
function section(heading: string): string {
  const found = doc.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!found) throw new Error(`docs/targeting.md has no "## ${heading}" section`);
  return found;
}

/** The `$operators` in the first column of the Markdown tables of a section. */
function tableOperators(text: string): Set<string> {
  const operators = new Set<string>();
  for (const line of text.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1];
    if (first) for (const m of first.matchAll(/`(\$[A-Za-z]+)`/g)) operators.add(m[1]!);
  }
  return operators;
}

const operatorsSection = section('Operators');
const documentedSupported = tableOperators(operatorsSection);
// The logical operators are listed in the sentence after the table.
const topLevel = /At the top of a condition:([^]*?)An empty/.exec(operatorsSection)?.[1] ?? '';
for (const m of topLevel.matchAll(/`(\$[A-Za-z]+)`/g)) documentedSupported.add(m[1]!);
const documentedRefused = tableOperators(section('What is refused'));

const accepted = (op: string) => Object.hasOwn(FIELD_OPERATORS, op) || (LOGICAL_OPERATORS as readonly string[]).includes(op);

describe('docs/targeting.md operator lists', () => {
  it('reads a plausible operator list from the installed GrowthBook', () => {
    const operators = growthBookOperators();
    // A parse that found nothing would make the next test pass vacuously.
    expect(operators.length).toBeGreaterThanOrEqual(30);
    expect(operators).toEqual(expect.arrayContaining(['$and', '$or', '$in', '$regex', '$vgte', '$inGroup', '$notInGroup']));
  });

  it('lists every GrowthBook operator as supported (and the validator accepts it) or refused (and the validator refuses it)', () => {
    const unaccounted: string[] = [];
    for (const op of growthBookOperators()) {
      if (documentedSupported.has(op) && accepted(op)) continue;
      if (documentedRefused.has(op) && !accepted(op) && REFUSED_OPERATORS[op]) continue;
      unaccounted.push(op);
    }
    expect(unaccounted).toEqual([]);
  });

  it('documents what the validator does: supported operators are accepted, refused ones refused with a message', () => {
    for (const op of documentedSupported) expect(accepted(op), op).toBe(true);
    for (const op of documentedRefused) {
      expect(accepted(op), op).toBe(false);
      const result = validateCondition({ userId: { [op]: 'grp_beta' } });
      expect(result, op).toMatchObject({ ok: false, issues: [{ code: 'unknown_operator', message: REFUSED_OPERATORS[op] }] });
    }
    // Every operator the validator accepts is documented.
    for (const op of [...Object.keys(FIELD_OPERATORS), ...LOGICAL_OPERATORS]) expect(documentedSupported.has(op), op).toBe(true);
  });

  it('states the parity claim as the tables make it true', () => {
    expect(doc).not.toMatch(/For every operator GrowthBook defines, Lumio gives GrowthBook's answer/);
    expect(doc).toMatch(/Every operator GrowthBook's `evalCondition` defines is either supported,\s+with GrowthBook's answer, or refused/);
  });
});
