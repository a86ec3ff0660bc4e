import type { RouteObject } from 'react-router';

/** The segments pages, under /w/:workspaceId/. Each page is its own chunk (lazy). */
export const segmentsRoutes: RouteObject[] = [
  { path: 'segments', lazy: async () => ({ Component: (await import('./segments-page.js')).SegmentsPage }) },
  { path: 'segments/new', lazy: async () => ({ Component: (await import('./segment-editor-page.js')).SegmentEditorPage }) },
  { path: 'segments/:segmentId', lazy: async () => ({ Component: (await import('./segment-editor-page.js')).SegmentEditorPage }) },
];
