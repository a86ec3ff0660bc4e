/** How deeply block quotes and lists may nest in one document; deeper is refused before rendering. */
export const MAX_MARKDOWN_NESTING = 100;

// A list item's marker: "-", "*", "+" or "1." / "1)" followed by a space or tab.
const BULLET = new Set(['-', '*', '+']);

/**
 * The deepest nesting of block quotes and lists in a Markdown document, found
 * by one linear pass over its lines, without parsing it. marked (like most
 * Markdown parsers) recurses once per level, so 100 k `>` overflow the stack;
 * this is checked first so that such a document is refused, not crashed on.
 * It may count a little more than marked would (an `- - -` rule counts as
 * three lists); it never counts less.
 *
 * @example markdownNesting('> > - a') // 3
 */
export function markdownNesting(markdown: string): number {
  let deepest = 0;
  // Content columns of the open list items, innermost last (popped when a line starts left of them).
  const lists: number[] = [];
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    let i = start;
    let quotes = 0;
    let markers = 0;
    let column = -1;
    // Columns count from after the last `>`, so lists nested inside a quote are counted too.
    let base = start;
    let indent = 0;
    for (;;) {
      while (i < end && (markdown[i] === ' ' || markdown[i] === '\t')) i++;
      if (i >= end) break;
      const c = markdown[i]!;
      if (c === '>') {
        quotes++;
        i++;
        base = i;
        continue;
      }
      if (markers === 0) indent = i - base;
      let next = i;
      if (BULLET.has(c)) next = i + 1;
      else {
        while (next < end && next - i < 10 && markdown.charCodeAt(next) >= 48 && markdown.charCodeAt(next) <= 57) next++;
        if (next === i || (markdown[next] !== '.' && markdown[next] !== ')')) break;
        next++;
      }
      if (next < end && markdown[next] !== ' ' && markdown[next] !== '\t') break;
      if (markers === 0) column = indent;
      markers++;
      i = next;
    }
    if (i < end) {
      // A non-blank line closes the list items it starts left of.
      while (lists.length > 0 && lists.at(-1)! > indent) lists.pop();
      if (column >= 0) lists.push(column + 1);
    }
    deepest = Math.max(deepest, quotes + markers + Math.max(0, lists.length - (column >= 0 ? 1 : 0)));
    start = end + 1;
  }
  return deepest;
}
