import { describe, expect, it } from 'vitest';
import { locatedIssue, parseConditionJson } from './parse-condition-json.js';

function fault(text: string): string {
  const result = parseConditionJson(text);
  if (result.ok) throw new Error(`expected a fault for ${text}`);
  return result.message;
}

describe('parseConditionJson', () => {
  it('reads what JSON.parse reads, with the same value', () => {
    for (const text of [
      '{}',
      '{ "plan": "pro", "seats": { "$gte": 5 } }',
      '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"],"b":{}}',
      ' [ ] ',
      '"x"',
      '{"__proto__": 1}',
    ]) {
      const result = parseConditionJson(text);
      expect(result.ok, text).toBe(true);
      if (result.ok) expect(result.value).toEqual(JSON.parse(text));
    }
  });

  it('locates an unquoted name by line and column and names what was expected, not the engine text', () => {
    const message = fault('{\n  "plan": "pro",\n  seats: 5\n}');
    expect(message).toBe('Line 3, column 3: expected a name in double quotes, such as "plan", but found seats.');
    expect(message).not.toMatch(/Unexpected token/);
  });

  it('says a bare word is not a value', () => {
    expect(fault('{ "plan": pro }')).toBe(
      'Line 1, column 11: expected a value (text in double quotes, a number, true, false, null, a list [ … ] or an object { … }), but found pro.',
    );
  });

  it('explains single quotes, a missing comma, a missing colon and a trailing comma', () => {
    expect(fault("{ 'plan': 1 }")).toBe(
      'Line 1, column 3: names and text are written in double quotes ("), not single quotes, but found \'.',
    );
    expect(fault('{ "a": 1 "b": 2 }')).toBe('Line 1, column 10: expected a comma or } after the value, but found ".');
    expect(fault('{ "a" 1 }')).toBe('Line 1, column 7: expected a colon (:) after the name "a", but found 1.');
    expect(fault('{ "a": [1, 2,] }')).toBe('Line 1, column 14: a comma must be followed by another item; remove the last comma.');
  });

  it('says which bracket is left open when the text ends early', () => {
    expect(fault('{\n  "a": { "b": 1\n')).toBe(
      'Line 3, column 1: the text ends before the { opened on line 2, column 8 is closed; expected a comma or }.',
    );
    expect(fault('{ "a": "open')).toBe('Line 1, column 8: this text is never closed: add the closing double quote (").');
    expect(fault('   ')).toMatch(/^Line 1, column 4: the condition is empty/);
    expect(fault('{} x')).toBe('Line 1, column 4: expected nothing after the end of the condition, but found x.');
  });

  it('refuses what JSON refuses in numbers and escapes', () => {
    expect(fault('{ "a": 01 }')).toMatch(/^Line 1, column 9: expected a comma or }/);
    expect(fault('{ "a": - }')).toMatch(/^Line 1, column 8: this number is not written/);
    expect(fault('{ "a": "\\x" }')).toMatch(/^Line 1, column 9: a backslash starts/);
  });

  it('maps a server path to where its key was typed', () => {
    const result = parseConditionJson('{\n  "$or": [\n    { "plan": "pro" },\n    { "seats": { "$gtee": 5 } }\n  ]\n}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.placeOf('$or[1].seats.$gtee')).toEqual({ line: 4, column: 18 });
    expect(result.placeOf('$or[0].plan')).toEqual({ line: 3, column: 7 });
    expect(locatedIssue({ path: '$or[1].seats.$gtee', message: 'not an operator.' }, result.placeOf)).toBe(
      'Line 4, column 18 ($or[1].seats.$gtee): not an operator.',
    );
    expect(locatedIssue({ path: 'nowhere', message: 'm.' }, result.placeOf)).toBe('nowhere: m.');
    expect(locatedIssue({ path: '', message: 'm.' }, result.placeOf)).toBe('m.');
  });

  it('reads deep nesting without running out of stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseConditionJson(deep).ok).toBe(true);
  });
});
