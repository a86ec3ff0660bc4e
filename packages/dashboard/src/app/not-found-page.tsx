import { Link } from 'react-router';

/** Any path of /app the dashboard does not have: inside the shell when signed in, on its own otherwise. */
export function NotFoundPage({ standalone = false }: { standalone?: boolean }) {
  const card = (
    <div className="auth-card">
      <h1>Page not found</h1>
      <p className="muted">This page does not exist, or it moved.</p>
      <Link to="/">Back to the dashboard</Link>
    </div>
  );
  return standalone ? <main className="auth-layout">{card}</main> : card;
}
