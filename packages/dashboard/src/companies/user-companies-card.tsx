import type { CompanyListAnswer } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { QueryState } from '../ui/query-state.js';
import { encodeUserId } from '../users/encode-user-id.js';
import './companies.css';

// A person belongs to a handful of companies; past this many the card says there are more.
const SHOWN = 50;

/** The companies a user belongs to, each a link to its page (on the user page). */
export function UserCompaniesCard({ workspaceId, userId }: { workspaceId: string; userId: string }) {
  const companies = useQuery({
    queryKey: ['workspaces', workspaceId, 'companies', 'of-user', userId],
    queryFn: ({ signal }) =>
      api<CompanyListAnswer>(`/workspaces/${workspaceId}/companies?${new URLSearchParams({ userId, limit: String(SHOWN) })}`, { signal }),
  });
  return (
    <section className="card" aria-labelledby="user-companies-title">
      <h2 id="user-companies-title">Companies</h2>
      <QueryState query={companies} loading="Loading companies…">
        {({ companies: list, nextCursor }) =>
          list.length === 0 ? (
            <p className="muted">Not in any company.</p>
          ) : (
            <>
              <ul className="company-links">
                {list.map((c) => (
                  <li key={c.companyId}>
                    <Link to={`/w/${workspaceId}/companies/${encodeUserId(c.companyId)}`}>{c.name ?? c.companyId}</Link>{' '}
                    {c.name !== null && <code className="muted small">{c.companyId}</code>}
                  </li>
                ))}
              </ul>
              {nextCursor && <p className="muted small">And more: the first {SHOWN} are shown.</p>}
            </>
          )
        }
      </QueryState>
    </section>
  );
}
