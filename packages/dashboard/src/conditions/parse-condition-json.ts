/** A place in the typed text, counted from 1 as editors show it. */
export interface TextPlace {
  line: number;
  column: number;
}

/** A condition's JSON read: the value and where each key stands, or the first syntax fault in plain words. */
export type ConditionJsonResult =
  { ok: true; value: unknown; placeOf: (path: string) => TextPlace | undefined } | { ok: false; place: TextPlace; message: string };

/**
 * Reads a condition typed as JSON. A syntax fault comes back as a located
 * sentence ("Line 2, column 11: expected a comma or } …") instead of the
 * engine's text (`Unexpected token 'p'`), which differs between browsers and
 * names no place a person can find. On success, `placeOf` maps a condition
 * path as the server reports it (`$or[1].plan.$in`) to where that key was typed.
 *
 * @example parseConditionJson('{ plan: "pro" }') // { ok: false, message: 'Line 1, column 3: expected a name in double quotes, such as "plan", but found p.' }
 */
export function parseConditionJson(text: string): ConditionJsonResult {
  const places = new Map<string, number>();
  const reader = new Reader(text, places);
  const fault = reader.document();
  if (fault) {
    const place = placeAt(text, fault.at);
    return { ok: false, place, message: `Line ${place.line}, column ${place.column}: ${fault.message}` };
  }
  // The reader accepts exactly what JSON.parse accepts; JSON.parse builds the value (own `__proto__` keys and all).
  return {
    ok: true,
    value: JSON.parse(text) as unknown,
    placeOf: (path) => {
      const at = places.get(path);
      return at === undefined ? undefined : placeAt(text, at);
    },
  };
}

/** An issue's message with where it was typed, when the condition came from the JSON text. */
export function locatedIssue(issue: { path: string; message: string }, placeOf?: (path: string) => TextPlace | undefined): string {
  const place = issue.path && placeOf ? placeOf(issue.path) : undefined;
  const where = issue.path ? `${issue.path}: ` : '';
  return place ? `Line ${place.line}, column ${place.column} (${where.slice(0, -2)}): ${issue.message}` : `${where}${issue.message}`;
}

function placeAt(text: string, at: number): TextPlace {
  let line = 1;
  let start = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: at - start + 1 };
}

interface Fault {
  at: number;
  message: string;
}

const VALUE_WORDS = 'a value (text in double quotes, a number, true, false, null, a list [ … ] or an object { … })';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORDS = ['true', 'false', 'null'] as const;

// A small RFC 8259 reader: iterative where JSON nests (a deep list cannot overflow the stack).
class Reader {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly places: Map<string, number>,
  ) {}

  document(): Fault | null {
    this.space();
    if (this.at >= this.text.length)
      return this.fail('the condition is empty; write an object such as { "plan": "pro" }, or {} for everyone');
    const fault = this.value();
    if (fault) return fault;
    this.space();
    if (this.at < this.text.length) return this.fail('expected nothing after the end of the condition', true);
    return null;
  }

  private value(): Fault | null {
    // Each open object or list: its path, its closing character, and how many items it has read.
    const stack: Array<{ path: string; close: '}' | ']'; count: number; opened: number }> = [];
    let path = '';
    for (;;) {
      this.space();
      const c = this.text[this.at];
      if (c === '{' || c === '[') {
        stack.push({ path, close: c === '{' ? '}' : ']', count: 0, opened: this.at });
        this.at++;
        this.space();
        if (this.text[this.at] === stack.at(-1)!.close) {
          this.at++;
          stack.pop();
        } else {
          const next = this.member(stack.at(-1)!);
          if (typeof next !== 'string') return next;
          path = next;
          continue;
        }
      } else {
        const fault = this.scalar();
        if (fault) return fault;
      }
      // A value is done: close what ends here, or go on to the next item.
      for (;;) {
        const top = stack.at(-1);
        if (!top) return null;
        this.space();
        const c2 = this.text[this.at];
        if (c2 === top.close) {
          this.at++;
          stack.pop();
          continue;
        }
        if (c2 === ',') {
          this.at++;
          top.count++;
          this.space();
          if (this.text[this.at] === top.close)
            return this.fail(`a comma must be followed by another ${top.close === '}' ? 'name and value' : 'item'}; remove the last comma`);
          const next = this.member(top);
          if (typeof next !== 'string') return next;
          path = next;
          break;
        }
        const opened = placeAt(this.text, top.opened);
        const end = this.at >= this.text.length;
        return this.fail(
          end
            ? `the text ends before the ${top.close === '}' ? '{' : '['} opened on line ${opened.line}, column ${opened.column} is closed; expected a comma or ${top.close}`
            : `expected a comma or ${top.close} after the value`,
          true,
        );
      }
    }
  }

  /** Reads the start of an item (a list index, or a name and its colon) and returns the item's path. */
  private member(top: { path: string; close: '}' | ']'; count: number }): string | Fault {
    if (top.close === ']') return `${top.path}[${top.count}]`;
    this.space();
    if (this.text[this.at] !== '"') {
      const single = this.text[this.at] === "'";
      return this.fail(
        single ? 'names and text are written in double quotes ("), not single quotes' : 'expected a name in double quotes, such as "plan"',
        true,
      );
    }
    const keyAt = this.at;
    const key = this.string();
    if (typeof key !== 'string') return key;
    this.space();
    if (this.text[this.at] !== ':') return this.fail(`expected a colon (:) after the name "${key}"`, true);
    this.at++;
    const path = top.path ? `${top.path}.${key}` : key;
    if (!this.places.has(path)) this.places.set(path, keyAt);
    return path;
  }

  private scalar(): Fault | null {
    const c = this.text[this.at];
    if (c === '"') {
      const read = this.string();
      return typeof read === 'string' ? null : read;
    }
    if (c === "'") return this.fail('text is written in double quotes ("), not single quotes', true);
    NUMBER.lastIndex = this.at;
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (!NUMBER.test(this.text)) return this.fail('this number is not written as JSON numbers are, such as 5, -2 or 1.5', true);
      this.at = NUMBER.lastIndex;
      return null;
    }
    for (const word of WORDS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return null;
      }
    }
    if (this.at >= this.text.length) return this.fail(`the text ends where ${VALUE_WORDS} was expected`);
    return this.fail(`expected ${VALUE_WORDS}`, true);
  }

  /** Reads a string at `"`; its text, or the fault. */
  private string(): string | Fault {
    const start = this.at;
    this.at++;
    let out = '';
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) {
        this.at = start;
        return this.fail('this text is never closed: add the closing double quote (")');
      }
      if (c === '"') {
        this.at++;
        return out;
      }
      if (c === '\n' || c < ' ') return this.fail('text in double quotes cannot run over a line break or hold a tab; write \\n or \\t');
      if (c === '\\') {
        const e = this.text[this.at + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6)))
            return this.fail('\\u is followed by four hexadecimal digits, such as \\u00e9');
          out += String.fromCharCode(parseInt(this.text.slice(this.at + 2, this.at + 6), 16));
          this.at += 6;
          continue;
        }
        const escaped = e === undefined ? undefined : ESCAPES[e];
        if (escaped === undefined)
          return this.fail('a backslash starts \\", \\\\, \\/, \\n, \\t, \\r, \\b, \\f or \\u; write \\\\ for a backslash');
        out += escaped;
        this.at += 2;
        continue;
      }
      out += c;
      this.at++;
    }
  }

  private space(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at]!)) this.at++;
  }

  /** A fault here; `found` adds what stands here, so "expected … but found p" names the character at fault. */
  private fail(message: string, found = false): Fault {
    const c = this.text[this.at];
    const shown = found && c !== undefined ? `, but found ${describeChar(this.text, this.at)}` : '';
    return { at: this.at, message: `${message}${shown}.` };
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

// The word at fault rather than one letter: `pro` reads better than `p`.
function describeChar(text: string, at: number): string {
  const word = /[\p{L}\p{N}_$]+/uy;
  word.lastIndex = at;
  const match = word.exec(text);
  if (match) return match[0].length > 20 ? `${match[0].slice(0, 20)}…` : match[0];
  return text[at]!;
}
