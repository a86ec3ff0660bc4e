// A help center as the widget API answers it, for the Chromium component
// tests' fixture page: the same HelpApi the SDK engine implements in
// widget.js, over articles kept in memory, recording every call.
import type { HelpArticle, HelpArticleSummary, HelpCollection } from '@lumio/protocol/browser';
import type { RecordEvent } from '@lumio/sdk';
import type { HelpApi } from '../help/help-store.js';

/** The data of a fixture help center. */
export interface HelpFixture {
  collections: Omit<HelpCollection, 'articleCount'>[];
  articles: HelpArticle[];
  /** The snippet answered for a query (exact text); else the query is wrapped in `<mark>`. */
  snippets?: Record<string, string>;
  /** Milliseconds to wait before answering a query (exact text), to race answers. */
  delays?: Record<string, number>;
  /** The ids of the articles suggested for the viewer, best first (none when absent). */
  suggested?: string[];
}

/** A call the widget made, as `[name, ...arguments]`. */
export type HelpCall = [string, ...unknown[]];

const article = (fields: Partial<HelpArticle> & Pick<HelpArticle, 'id' | 'title'>): HelpArticle => ({
  slug: fields.id.replace(/^art_/, ''),
  excerpt: `About ${fields.title.toLowerCase()}.`,
  collectionId: 'col_account',
  updatedAt: Date.UTC(2025, 10, 1),
  tags: [],
  saved: false,
  html: `<p>${fields.title}.</p>`,
  helpful: null,
  ...fields,
});

/** Two collections, four articles; one links to another with `#article/<slug>` (target=_blank, as the server writes it). */
export function sampleHelp(overrides: Partial<HelpFixture> = {}): HelpFixture {
  const filler = Array.from({ length: 14 }, (_, i) => `<p>Step ${i + 1}: follow the instructions on the screen.</p>`).join('');
  return {
    collections: [
      { id: 'col_start', name: 'Getting started', slug: 'getting-started', description: 'The first steps.', pinned: true },
      { id: 'col_account', name: 'Account & security', slug: 'account', description: 'Sign-in, passwords and 2FA.', pinned: false },
    ],
    articles: [
      article({ id: 'art_invite', title: 'Invite your team', collectionId: 'col_start' }),
      article({ id: 'art_project', title: 'Create your first project', collectionId: 'col_start' }),
      article({
        id: 'art_reset',
        slug: 'reset-password',
        title: 'Reset your password',
        html:
          '<p>Open <a href="https://example.com/settings" target="_blank" rel="noopener">settings</a> and choose Reset.</p>' +
          filler +
          '<p>Then turn on <a href="#article/two-factor" target="_blank" rel="noopener">two-factor authentication</a>.</p>',
      }),
      article({ id: 'art_2fa', slug: 'two-factor', title: 'Turn on two-factor authentication' }),
    ],
    snippets: { password: 'Forgot your <mark>password</mark>? &lt;img src=x onerror=alert(1)&gt; Use <b>the</b> reset link.' },
    ...overrides,
  };
}

/** The fixture's HelpApi: answers like the server from `data`, records calls into `calls` and analytics events with `record`. */
export function fixtureHelpApi(data: HelpFixture, calls: HelpCall[], record: RecordEvent = () => {}): HelpApi {
  const saved: string[] = data.articles.filter((a) => a.saved).map((a) => a.id);
  const feedback = new Map<string, boolean>();
  const summary = (a: HelpArticle): HelpArticleSummary => {
    const { html: _html, helpful: _helpful, ...rest } = a;
    return { ...rest, saved: saved.includes(a.id) };
  };
  const ok = <T>(value: T) => ({ ok: true as const, value });
  return {
    async collections() {
      calls.push(['collections']);
      const collections = data.collections
        .map((c) => ({ ...c, articleCount: data.articles.filter((a) => a.collectionId === c.id).length }))
        .filter((c) => c.articleCount > 0);
      return ok({ collections });
    },
    async articles(query) {
      calls.push(['articles', query]);
      if (query.query) {
        const text = query.query;
        await new Promise((resolve) => setTimeout(resolve, data.delays?.[text] ?? 0));
        const found = data.articles.filter((a) => `${a.title} ${a.html}`.toLowerCase().includes(text.toLowerCase()));
        const snippet = data.snippets?.[text] ?? `… <mark>${text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</mark> …`;
        return ok({ articles: found.map((a) => ({ ...summary(a), snippet })) });
      }
      if (query.saved) return ok({ articles: saved.map((id) => summary(data.articles.find((a) => a.id === id)!)) });
      return ok({ articles: data.articles.filter((a) => !query.collection || a.collectionId === query.collection).map(summary) });
    },
    async suggested() {
      calls.push(['suggested']);
      return ok({ articles: (data.suggested ?? []).map((id) => summary(data.articles.find((a) => a.id === id)!)) });
    },
    async article(ref) {
      calls.push(['article', ref]);
      const found = data.articles.find((a) => a.id === ref || a.slug === ref);
      if (!found) return { ok: false, code: 'not_found', message: 'No such article.', status: 404 };
      return ok({ article: { ...found, saved: saved.includes(found.id), helpful: feedback.get(found.id) ?? found.helpful } });
    },
    async setSaved(id, value) {
      calls.push([value ? 'save' : 'unsave', id]);
      const index = saved.indexOf(id);
      if (index >= 0) saved.splice(index, 1);
      if (value) saved.unshift(id);
      return ok({ ok: true, saved: value });
    },
    async feedback(id, helpful) {
      calls.push(['feedback', id, helpful]);
      feedback.set(id, helpful);
      return ok({ ok: true });
    },
    record,
  };
}
