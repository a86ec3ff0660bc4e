import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

// One parser instance with its own options: marked's global defaults are
// shared module state that any other importer could change.
const parser = new Marked({ gfm: true, breaks: false, async: false });

// What team-written content may use: text structure, links, images, code and
// tables. Nothing that runs (script, on* handlers, javascript: URLs), nothing
// that restyles or frames the host page (style, iframe, form).
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'p',
    'br',
    'hr',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links leave the host page in a new tab, without handing it window.opener or the referrer.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer', target: '_blank' } }),
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
  },
};

/**
 * Renders team-written Markdown to sanitised HTML, once, when content is
 * saved: GitHub-flavoured Markdown by marked, then an allow-list by
 * sanitize-html, so raw HTML in the Markdown cannot smuggle in script, event
 * handlers or `javascript:` links. Links get `rel="noopener noreferrer"` and
 * open in a new tab.
 *
 * @example renderMarkdown('**New:** [dark mode](https://example.com)')
 * // '<p><strong>New:</strong> <a href="https://example.com" rel="noopener noreferrer" target="_blank">dark mode</a></p>'
 */
export function renderMarkdown(markdown: string): string {
  const html = parser.parse(markdown) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}
