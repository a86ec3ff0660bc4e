import type { RenderedArticle } from '@lumio/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../api/api-client.js';
import { ErrorMessage } from '../ui/error-message.js';
import { helpKey, helpPath } from './help-center-queries.js';

// Rendering waits for a pause in typing: one request per pause, not per key.
const DEBOUNCE_MS = 400;

/** The article as the widget will show it: the body rendered and sanitised by the server's renderer. */
export function ArticlePreview({ workspaceId, title, body }: { workspaceId: string; title: string; body: string }) {
  const [settled, setSettled] = useState(body);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(body), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [body]);
  const preview = useQuery({
    queryKey: [...helpKey(workspaceId), 'preview', settled],
    queryFn: ({ signal }) => api<RenderedArticle>(`${helpPath(workspaceId)}/articles/preview`, { body: { body: settled }, signal }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  return (
    <section className="card article-preview" aria-labelledby="preview-title" aria-busy={preview.isFetching || settled !== body}>
      <h2 id="preview-title" className="muted small">
        Preview
      </h2>
      <h3>{title || 'Untitled'}</h3>
      {preview.isError && <ErrorMessage error={preview.error} />}
      {preview.data && (
        <div
          className="article-html"
          // The server's renderer sanitised this HTML (sanitize-html allow list, as when saved): no script, handlers or styles.
          dangerouslySetInnerHTML={{ __html: nestHeadings(preview.data.html) }}
        />
      )}
      {preview.data && !preview.data.html && <p className="muted">Nothing written yet.</p>}
    </section>
  );
}

// The page has its one h1 and the preview sits under an h3: the article's
// headings move below them (h1 → h4 …), keeping their look through a class.
// Only element names change; DOMParser runs nothing it parses.
function nestHeadings(html: string): string {
  if (!/<h[1-4][\s>]/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  for (const heading of [...doc.body.querySelectorAll('h1, h2, h3, h4')]) {
    const level = Number(heading.tagName[1]);
    const nested = doc.createElement(`h${Math.min(6, level + 3)}`);
    nested.className = `md-h${level}`;
    nested.append(...heading.childNodes);
    heading.replaceWith(nested);
  }
  return doc.body.innerHTML;
}
