import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { isUnauthenticated } from './api/api-error.js';
import { createDashboardRouter } from './app/router.js';
import { sessionQuery } from './auth/use-session.js';
import { ToastProvider } from './ui/toast-provider.js';
import './styles/app.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change on retry; a network blip may.
      retry: (failures, error) => failures < 2 && !(error instanceof Error && 'status' in error && Number(error.status) >= 400),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});
// A sign-in that ends while a page is open: back to the sign-in page, then here again.
queryClient.getQueryCache().subscribe((event) => {
  if (event.type === 'updated' && isUnauthenticated(event.query.state.error) && !window.location.pathname.startsWith('/app/sign-in')) {
    window.location.assign(
      `/app/sign-in?next=${encodeURIComponent(window.location.pathname.replace(/^\/app/, '') + window.location.search)}`,
    );
  }
});

// Ask who is signed in now, while the page's chunk loads, not after it renders.
void queryClient.prefetchQuery(sessionQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={createDashboardRouter()} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
