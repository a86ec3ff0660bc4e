import { useRef, useState } from 'preact/hooks';
import type { HelpArticle } from '@lumio/protocol/browser';
import type { HelpStore } from './help-store.js';

/** Props of the article screen. */
export interface ArticleViewProps {
  article: HelpArticle;
  store: HelpStore;
  /** A link to another article (`#article/<slug>`) was followed; `href` finds the link again on Back. */
  onFollow: (slug: string, href: string) => void;
  /** The article changed here (saved, feedback): Back to it shows it so. */
  onChange: (article: HelpArticle) => void;
  /** Says something through the help center's live region. */
  announce: (text: string) => void;
}

const ARTICLE_LINK = '#article/';

/**
 * One article: its title, its HTML (sanitised by the server when saved), a
 * Save toggle (`aria-pressed`) and "Was this helpful?". Links to other
 * articles open inside the widget instead of a new tab. Saving is shown at
 * once and undone if the server did not record it.
 */
export function ArticleView({ article, store, onFollow, onChange, announce }: ArticleViewProps) {
  const [saved, setSaved] = useState(article.saved);
  const [helpful, setHelpful] = useState(article.helpful);
  const [thanks, setThanks] = useState(false);
  const busy = useRef(false);
  const latest = useRef(article);

  const change = (patch: Partial<HelpArticle>) => {
    latest.current = { ...latest.current, ...patch };
    onChange(latest.current);
  };

  const toggleSaved = async () => {
    if (busy.current) return;
    busy.current = true;
    const next = !saved;
    setSaved(next);
    const ok = await store.setSaved(latest.current, next);
    busy.current = false;
    if (ok) change({ saved: next });
    else {
      setSaved(!next);
      announce(next ? 'The article could not be saved. Try again.' : 'The article could not be removed from Saved. Try again.');
    }
  };

  const answer = async (value: boolean) => {
    const before = helpful;
    setHelpful(value);
    if (await store.feedback(article.id, value)) {
      change({ helpful: value });
      setThanks(true);
      announce('Thanks for your feedback.');
    } else {
      setHelpful(before);
      announce('Your feedback could not be sent. Try again.');
    }
  };

  // The server's sanitiser gives every link target=_blank; links between articles stay in the widget.
  const onClick = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a');
    const href = link?.getAttribute('href');
    if (!href?.startsWith(ARTICLE_LINK) || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const slug = safeDecode(href.slice(ARTICLE_LINK.length));
    if (slug) onFollow(slug, href);
  };

  return (
    <article class="help-article" aria-labelledby="lumio-article-title" data-article-id={article.id}>
      <div class="help-article-head">
        <h3 id="lumio-article-title" tabIndex={-1} data-landing="">
          {article.title}
        </h3>
        <button type="button" class="help-save" aria-pressed={saved ? 'true' : 'false'} onClick={toggleSaved}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 3h12v18l-6-4-6 4z" />
          </svg>
          {saved ? 'Saved' : 'Save'}
        </button>
      </div>
      <div class="html" onClick={onClick} dangerouslySetInnerHTML={{ __html: article.html }} />
      <div class="helpful" role="group" aria-labelledby="lumio-helpful">
        <span id="lumio-helpful">Was this helpful?</span>
        <button type="button" class="chip" aria-pressed={helpful === true ? 'true' : 'false'} onClick={() => answer(true)}>
          Yes
        </button>
        <button type="button" class="chip" aria-pressed={helpful === false ? 'true' : 'false'} onClick={() => answer(false)}>
          No
        </button>
      </div>
      {thanks && <p class="thanks">Thanks for your feedback.</p>}
    </article>
  );
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text).trim() || null;
  } catch {
    return null;
  }
}
