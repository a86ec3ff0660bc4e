import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ at /app (packages/server/src/dashboard-app). Pages are
// split by route (React Router's lazy routes), so the first page loads only
// the shell and itself; charts come with the analytics pages.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // Budgets are checked by bench:size's dashboard part, not by a warning.
    chunkSizeWarningLimit: 1_000,
  },
  server: {
    // `npm run dev -w @lumio/dashboard` beside `npm start`: the API stays same-origin through the proxy.
    proxy: { '/api': 'http://127.0.0.1:8080', '/sdk': 'http://127.0.0.1:8080', '/widget': 'http://127.0.0.1:8080' },
  },
});
