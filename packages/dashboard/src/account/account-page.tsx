import { Link } from 'react-router';
import { useSession } from '../auth/use-session.js';
import { PageHeader } from '../ui/page-header.js';
import { NameForm } from './name-form.js';
import { PasswordForm } from './password-form.js';

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;

/** Account settings: the name others see, the password, and the workspaces the account belongs to. */
export function AccountPage() {
  const session = useSession().data!;
  return (
    <main className="content narrow" id="main">
      <p>
        <Link to="/">← Dashboard</Link>
      </p>
      <PageHeader title="Your account" description={`Signed in as ${session.account.email}`} />
      <NameForm current={session.account.name} />
      <PasswordForm />
      <section className="card" aria-labelledby="workspaces-heading">
        <h2 id="workspaces-heading">Workspaces</h2>
        <ul className="plain-list">
          {session.workspaces.map((w) => (
            <li key={w.id}>
              <Link to={`/w/${w.id}`}>{w.name}</Link> <span className="badge">{ROLE_LABELS[w.role]}</span>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/workspaces/new">Create a workspace</Link>
        </p>
      </section>
    </main>
  );
}
