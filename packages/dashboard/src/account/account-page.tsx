import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSession } from '../auth/use-session.js';
import { instanceEmailQuery } from '../instance/instance-email-query.js';
import { PageHeader } from '../ui/page-header.js';
import { NameForm } from './name-form.js';
import { PasswordForm } from './password-form.js';

const ROLE_LABELS = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;

/**
 * Account settings: the name others see, the password, and the workspaces the
 * account belongs to; for the instance owner, the instance's email settings too.
 */
export function AccountPage() {
  const session = useSession().data!;
  // Answered to the instance owner only: anyone else never sees the section.
  const instanceEmail = useQuery(instanceEmailQuery());
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
      {instanceEmail.isSuccess && (
        <section className="card" aria-labelledby="instance-heading">
          <h2 id="instance-heading">This Lumio instance</h2>
          <p>You own this Lumio instance (you completed its setup).</p>
          <p>
            <Link to="/instance/email">Email settings</Link>{' '}
            <span className="badge">
              {instanceEmail.data.source === 'none'
                ? 'Not set up'
                : instanceEmail.data.source === 'environment'
                  ? 'Set by the server'
                  : 'Set up'}
            </span>
          </p>
        </section>
      )}
    </main>
  );
}
