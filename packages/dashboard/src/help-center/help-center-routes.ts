import type { RouteObject } from 'react-router';

/** The help center pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const helpCenterRoutes: RouteObject[] = [
  { path: 'help', lazy: async () => ({ Component: (await import('./help-center-page.js')).HelpCenterPage }) },
  { path: 'help/articles/new', lazy: async () => ({ Component: (await import('./article-editor-page.js')).ArticleEditorPage }) },
  { path: 'help/articles/:articleId', lazy: async () => ({ Component: (await import('./article-editor-page.js')).ArticleEditorPage }) },
];
