import { Link } from 'react-router';
import { useSession } from '../auth/use-session.js';
import { PageHeader } from '../ui/page-header.js';

/** The signed-in account: who it is and its workspaces. */
export function AccountPage() {
  const session = useSession().data!;
  return (
    <main className="content narrow" id="main">
      <p>
        <Link to="/">← Dashboard</Link>
      </p>
      <PageHeader title="Your account" description={session.account.email} />
      <section className="card">
        <h2>Workspaces</h2>
        <ul className="plain-list">
          {session.workspaces.map((w) => (
            <li key={w.id}>
              <Link to={`/w/${w.id}`}>{w.name}</Link> <span className="muted small">{w.role}</span>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
