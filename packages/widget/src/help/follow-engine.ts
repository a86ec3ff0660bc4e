import type { LumioEngine } from '@lumio/sdk';
import type { HelpArticleAnswer, HelpArticlesAnswer, HelpCollectionsAnswer } from '@lumio/protocol/browser';
import type { HelpApi, HelpStore } from './help-store.js';

/**
 * The widget API's help center calls, made through the SDK engine (session
 * token, ordering after identify, console hints). A missing article is an
 * answer, not a mistake: it prints nothing.
 */
export function engineHelpApi(engine: LumioEngine): HelpApi {
  const article = (id: string) => `help/articles/${encodeURIComponent(id)}`;
  return {
    collections: () => engine.call<HelpCollectionsAnswer>('help.collections', (t, token) => t.get('help/collections', token)),
    articles: ({ collection, query, saved }) => {
      // NOTE: the same query string as the SDK's lumio.articles.list (articles-client.ts).
      const params = new URLSearchParams();
      if (collection) params.set('collection', collection);
      if (query) params.set('query', query);
      if (saved) params.set('saved', 'true');
      const search = params.toString();
      return engine.call<HelpArticlesAnswer>('help.articles', (t, token) => t.get(`help/articles${search ? `?${search}` : ''}`, token));
    },
    // A short list above the collections (the server allows up to 10).
    suggested: () => engine.call<HelpArticlesAnswer>('help.suggested', (t, token) => t.get('help/suggested?limit=3', token)),
    article: (idOrSlug) => engine.call<HelpArticleAnswer>('help.article', (t, token) => t.get(article(idOrSlug), token), ['not_found']),
    setSaved: (id, saved) =>
      engine.call(saved ? 'help.save' : 'help.unsave', (t, token) => t.post(`${article(id)}/${saved ? 'save' : 'unsave'}`, {}, token)),
    feedback: (id, helpful) => engine.call('help.feedback', (t, token) => t.post(`${article(id)}/feedback`, { helpful }, token)),
    record: (name, ...props) => engine.record(name, ...props),
  };
}

/**
 * Keeps the help store in step with the engine: what a viewer saved belongs
 * to that viewer, so a change of identity (logout, another user, an identify
 * that verified or was refused) drops what is shown and fetches again; a plain
 * identify (a profile update) refetches too, as it may change what is readable.
 * The store fetches nothing before the Help tab was first opened. Returns a
 * function that stops following.
 */
export function followEngineHelp(engine: LumioEngine, store: HelpStore): () => void {
  // An identify that changed the state emits stateChange then identify in one go: one fetch is enough.
  let restarted = false;
  const restart = () => {
    store.clear();
    void store.refresh();
    restarted = true;
    queueMicrotask(() => (restarted = false));
  };
  const stops = [
    engine.on('stateChange', restart),
    engine.on('identify', () => void (restarted || store.refresh())),
    engine.on('reset', restart),
  ];
  return () => stops.forEach((stop) => stop());
}
