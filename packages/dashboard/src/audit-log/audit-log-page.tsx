import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { ManagersOnly } from '../team/managers-only.js';
import type { MemberView } from '../team/team-types.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import './audit-log.css';

/** One audit row. NOTE: keep in step with packages/server/src/audit/audit-log.ts (AuditEntry). */
interface AuditEntry {
  id: number;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: number;
}

const PAGE_SIZE = 50;
const ACTOR_TYPES: Record<string, string> = { api_key: 'API key', cli: 'Command line', system: 'Lumio' };

/** The workspace's audit log (owners and admins): who did what, newest first, page by page. */
export function AuditLogPage() {
  return (
    <ManagersOnly title="Audit log">
      <AuditLog />
    </ManagersOnly>
  );
}

function AuditLog() {
  const workspace = useWorkspace();
  const entries = useInfiniteQuery({
    queryKey: ['audit-log', workspace.id],
    queryFn: ({ pageParam }) =>
      api<{ entries: AuditEntry[]; nextBefore: number | null }>(
        `/workspaces/${workspace.id}/audit-log?limit=${PAGE_SIZE}${pageParam === null ? '' : `&before=${pageParam}`}`,
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
  // Account ids read better as names; a removed member stays an id.
  const members = useQuery({
    queryKey: ['members', workspace.id],
    queryFn: () => api<{ members: MemberView[] }>(`/workspaces/${workspace.id}/members`),
  });
  const nameOf = (id: string | null) => {
    const member = members.data?.members.find((m) => m.accountId === id);
    return member ? `${member.name} (${member.email})` : id;
  };
  const actor = (a: AuditEntry['actor']) =>
    a.type === 'account' ? (nameOf(a.id) ?? 'Unknown account') : `${ACTOR_TYPES[a.type] ?? a.type}${a.id ? ` ${a.id}` : ''}`;
  const target = (t: AuditEntry['target']) =>
    t.type === null ? '—' : t.type === 'account' ? `Account: ${nameOf(t.id)}` : `${t.type.replace(/_/g, ' ')}: ${t.id ?? ''}`;
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  // A failed "load older" keeps the pages already shown: its error goes under the table.
  const pageError = entries.isFetchNextPageError ? entries.error : null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security-relevant changes in this workspace: who did what, when and from where. Secret values are never recorded."
      />
      {entries.isPending ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : entries.isError && !entries.data ? (
        <ErrorMessage error={entries.error} />
      ) : rows.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <div className="stack">
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((entry) => (
                  <tr key={entry.id}>
                    <td className="audit-nowrap">{formatTime(entry.createdAt)}</td>
                    <td>
                      {actor(entry.actor)}
                      {entry.ip && <div className="muted small">from {entry.ip}</div>}
                    </td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>{target(entry.target)}</td>
                    <td>
                      <Details details={entry.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ErrorMessage error={pageError} />
          <div className="row">
            {entries.hasNextPage ? (
              <Button onClick={() => entries.fetchNextPage()} busy={entries.isFetchingNextPage}>
                Load older entries
              </Button>
            ) : (
              <p className="muted small">That is the oldest entry.</p>
            )}
            <span className="muted small" role="status">
              {rows.length} entries shown
            </span>
          </div>
        </div>
      )}
    </>
  );
}

function Details({ details }: { details: Record<string, unknown> }) {
  const pairs = Object.entries(details);
  if (pairs.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="audit-details">
      {pairs.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
