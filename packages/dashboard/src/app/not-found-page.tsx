import { Link } from 'react-router';

/** Any path of /app the dashboard does not have. */
export function NotFoundPage() {
  return (
    <main className="auth-layout">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p className="muted">This page does not exist, or it moved.</p>
        <Link to="/">Back to the dashboard</Link>
      </div>
    </main>
  );
}
