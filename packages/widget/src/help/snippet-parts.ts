/** A piece of a search snippet: plain text, highlighted or not. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'", '#x2F': '/' };

/**
 * Reads a search snippet (HTML-escaped text with `<mark>…</mark>` around the
 * matched words) into text parts, so the widget renders it as text nodes and
 * `<mark>` elements only: whatever else the snippet holds, even markup a
 * faulty server let through, is shown as text and never parsed as HTML.
 *
 * @example
 * snippetParts('Reset your <mark>password</mark> &amp; PIN')
 * // [{ text: 'Reset your ', mark: false }, { text: 'password', mark: true }, { text: ' & PIN', mark: false }]
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const pieces = String(snippet ?? '').split(/<mark>([\s\S]*?)<\/mark>/);
  pieces.forEach((piece, index) => {
    // split with a capture group: odd indexes are what was inside <mark>.
    const text = decode(piece);
    if (text) parts.push({ text, mark: index % 2 === 1 });
  });
  return parts;
}

function decode(text: string): string {
  return text.replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? entity);
}
