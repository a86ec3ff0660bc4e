import type { RouteObject } from 'react-router';

/** The companies pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const companiesRoutes: RouteObject[] = [
  { path: 'companies', lazy: async () => ({ Component: (await import('./companies-page.js')).CompaniesPage }) },
  { path: 'companies/:companyId', lazy: async () => ({ Component: (await import('./company-page.js')).CompanyPage }) },
];
