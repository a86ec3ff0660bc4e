import type { AuditEntryView, AuditLogAnswer } from '@lumio/protocol';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { ManagersOnly } from '../team/managers-only.js';
import { membersQuery } from '../team/members-query.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import './audit-log.css';

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
      api<AuditLogAnswer>(`/workspaces/${workspace.id}/audit-log?limit=${PAGE_SIZE}${pageParam === null ? '' : `&before=${pageParam}`}`),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
  // Account ids read better as names; a removed member stays an id.
  const members = useQuery(membersQuery(workspace.id));
  const nameOf = (id: string | null) => {
    const member = members.data?.find((m) => m.accountId === id);
    return member ? `${member.name} (${member.email})` : id;
  };
  const actor = (a: AuditEntryView['actor']) =>
    a.type === 'account' ? (nameOf(a.id) ?? 'Unknown account') : `${ACTOR_TYPES[a.type] ?? a.type}${a.id ? ` ${a.id}` : ''}`;
  const target = (t: AuditEntryView['target']) =>
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
          <DataTable
            rows={rows}
            rowKey={(entry) => entry.id}
            columns={[
              { header: 'Time', cellClassName: 'audit-nowrap', cell: (entry) => formatTime(entry.createdAt) },
              {
                header: 'Actor',
                cell: (entry) => (
                  <>
                    {actor(entry.actor)}
                    {entry.ip && <div className="muted small">from {entry.ip}</div>}
                  </>
                ),
              },
              { header: 'Action', cell: (entry) => <code>{entry.action}</code> },
              { header: 'Target', cell: (entry) => target(entry.target) },
              { header: 'Details', cell: (entry) => <Details details={entry.details} /> },
            ]}
          />
          <ErrorMessage error={pageError} />
          <LoadMore
            pages={entries}
            label="Load older entries"
            shown={`${countOf(rows.length, { one: 'entry', other: 'entries' })} shown`}
            end="That is the oldest entry."
          />
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
