// NOTE: the snippets are read from docs/signing.md at build time, the very text
// that packages/node/src/signing/signing-docs.test.ts runs against the shared
// test vectors, so the dashboard never shows untested code.
import signingDoc from '../../../../docs/signing.md?raw';

/** One example of a language: the sentence that introduces it (if any) and the code. */
export interface SigningExample {
  intro: string | null;
  code: string;
}

/** The server-side signing code of one language. */
export interface SigningLanguage {
  id: string;
  name: string;
  examples: SigningExample[];
}

const LANGUAGES = [
  ['node', 'Node.js'],
  ['python', 'Python'],
  ['ruby', 'Ruby'],
  ['php', 'PHP'],
  ['go', 'Go'],
] as const;

/** The signing snippets of docs/signing.md for Node, Python, Ruby, PHP and Go. */
export const SIGNING_LANGUAGES: readonly SigningLanguage[] = parseSigningDoc(signingDoc);

/** Splits the signing guide into its languages' code blocks, each with the paragraph before it. */
export function parseSigningDoc(markdown: string): SigningLanguage[] {
  const sections = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    sections.set(part.slice(0, newline).trim(), part.slice(newline + 1));
  }
  return LANGUAGES.flatMap(([id, name]) => {
    const body = sections.get(name);
    if (body === undefined) return [];
    const examples: SigningExample[] = [];
    const fence = /```[a-z]*\n([\s\S]*?)```/g;
    let last = 0;
    for (let match = fence.exec(body); match; match = fence.exec(body)) {
      const before = body.slice(last, match.index).trim();
      examples.push({ intro: before ? before.replace(/\s+/g, ' ') : null, code: match[1]!.replace(/\n$/, '') });
      last = match.index + match[0].length;
    }
    return examples.length ? [{ id, name, examples }] : [];
  });
}
