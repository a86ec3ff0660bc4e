import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ at /app (packages/server/src/dashboard-app). Pages are
// split by route (React Router's lazy routes), so the first page loads only
// the shell and itself; charts come with the analytics pages.
const LUMIO = process.env.LUMIO_URL ?? 'http://localhost:8080';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // bench:size reads the import graph from it: the JavaScript each first page needs.
    manifest: true,
    target: 'es2022',
    // Budgets are checked by bench:size's dashboard part, not by a warning.
    chunkSizeWarningLimit: 1_000,
  },
  server: {
    // `npm run dev -w @lumio/dashboard` beside `npm start`: the API is reached
    // through this proxy, which presents the server's own origin (the API
    // refuses state changes from any other).
    proxy: {
      '/api': {
        target: LUMIO,
        configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('origin', LUMIO)),
      },
      '/sdk': LUMIO,
      '/widget': LUMIO,
    },
  },
});
