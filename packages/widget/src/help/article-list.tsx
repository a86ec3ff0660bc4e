import type { HelpArticleSummary } from '@lumio/protocol/browser';
import { snippetParts } from './snippet-parts.js';

/** Props of a list of articles. */
export interface ArticleListProps {
  articles: readonly HelpArticleSummary[];
  /** What to say when the list is empty. */
  empty: string;
  onOpen: (article: HelpArticleSummary) => void;
}

/**
 * Articles as a list of buttons named by their titles, each described by its
 * search snippet (highlighted words in `<mark>`, the rest as text) or its
 * excerpt. The whole row is clickable; `data-nav` lets Back find the row again.
 */
export function ArticleList({ articles, empty, onOpen }: ArticleListProps) {
  if (articles.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="help-list">
      {articles.map((article) => {
        const textId = `lumio-article-text-${article.id}`;
        const text =
          article.snippet !== undefined
            ? snippetParts(article.snippet).map((part, index) => (part.mark ? <mark key={index}>{part.text}</mark> : part.text))
            : article.excerpt;
        const hasText = Array.isArray(text) ? text.length > 0 : Boolean(text);
        return (
          <li key={article.id} class="help-row">
            <button
              type="button"
              class="help-row-button"
              data-nav={`article:${article.id}`}
              aria-describedby={hasText ? textId : undefined}
              onClick={() => onOpen(article)}
            >
              {article.title}
            </button>
            {hasText && (
              <p id={textId} class="help-row-text" data-snippet={article.snippet !== undefined ? '' : undefined}>
                {text}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
