import sanitizeHtml from 'sanitize-html';

const BLOCK_TAG = /<(\/?)(p|div|li|dt|dd|h[1-6]|br|hr|tr|td|th|pre|blockquote|ul|ol|table|figure|figcaption)\b/gi;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/** The readable text of sanitised HTML (search index, excerpts), with block elements kept apart by spaces. */
export function htmlToText(html: string): string {
  // Without a space, "<li>Save</li><li>Export</li>" would index the word "saveexport".
  const spaced = html.replace(BLOCK_TAG, ' <$1$2');
  return sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
}
