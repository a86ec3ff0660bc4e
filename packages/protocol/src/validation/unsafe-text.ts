/** Where a string unfit for storage was found, and why. */
export interface UnsafeText {
  /** The field's path, dotted into objects and lists (`properties.plan`, `events.0.name`); `body` for the whole. */
  field: string;
  reason: 'nul' | 'lone_surrogate';
}

// U+0000 or a UTF-16 surrogate; the exact check follows only on a hit, so clean text costs one regex scan.
const SUSPECT = /[\u0000\ud800-\udfff]/;
// PostgreSQL's text and jsonb cannot hold U+0000 (SQLite stores it and cuts
// strings at it in some functions), and neither can store a lone surrogate as
// valid UTF-8: refused up front, both databases answer alike.
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Nesting past this is not walked further: bodies are bounded by the body
// limit, and a deeper value is refused by its schema anyway.
const MAX_DEPTH = 64;

/** Why a string is unfit for storage (U+0000 or a lone surrogate), or undefined when it is fine. */
export function unsafeTextReason(text: string): UnsafeText['reason'] | undefined {
  if (!SUSPECT.test(text)) return undefined;
  const match = UNSAFE.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000' ? 'nul' : 'lone_surrogate';
}

/**
 * Finds the first string, key or value, anywhere in a parsed JSON value (a
 * body, a query, path params) that contains U+0000 or a lone surrogate, which
 * no database of Lumio's can store alike. Keys count too: property names are
 * stored.
 *
 * @example findUnsafeText({ name: 'a\u0000b' }); // { field: 'name', reason: 'nul' }
 */
export function findUnsafeText(value: unknown, field = ''): UnsafeText | undefined {
  return walk(value, field, 0);
}

function walk(value: unknown, field: string, depth: number): UnsafeText | undefined {
  if (typeof value === 'string') {
    const reason = unsafeTextReason(value);
    return reason ? { field: field || 'body', reason } : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], join(field, String(i)), depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const reason = unsafeTextReason(key);
    const at = join(field, reason ? printable(key) : key);
    if (reason) return { field: at, reason };
    const found = walk((value as Record<string, unknown>)[key], at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

// A bad key is named in the answer with its bad characters replaced, so the message itself stays storable text.
function printable(key: string): string {
  return key.replace(/\u0000/g, '\\u0000').toWellFormed();
}

function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

/** The message of an `invalid_string` refusal: names the field and what to send instead. */
export function unsafeTextMessage(found: UnsafeText): string {
  return found.reason === 'nul'
    ? `${found.field} contains a NUL character (U+0000); remove it.`
    : `${found.field} contains an unpaired surrogate; send valid Unicode text.`;
}
