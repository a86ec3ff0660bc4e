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
import { auditActionLabel } from './audit-action-labels.js';
import { AuditFilters, useAuditFilters } from './audit-filters.js';
import './audit-log.css';

const PAGE_SIZE = 50;
const ACTOR_TYPES: Record<string, string> = { api_key: 'API key', cli: 'Command line', system: 'Lumio' };
// What each kind of target is called in a sentence ("Widget: Checkout", "deleted widget").
const TARGET_TYPES: Record<string, string> = {
  account: 'member',
  api_key: 'API key',
  announcement: 'announcement',
  article: 'help article',
  collection: 'help collection',
  invite: 'invite',
  segment: 'segment',
  user: 'user',
  webhook: 'webhook endpoint',
  widget: 'widget',
  workspace: 'workspace',
};
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

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
  const [filters, setFilter, clearFilters] = useAuditFilters();
  const entries = useInfiniteQuery({
    queryKey: ['audit-log', workspace.id, filters.query],
    queryFn: ({ pageParam }) =>
      api<AuditLogAnswer>(
        `/workspaces/${workspace.id}/audit-log?limit=${PAGE_SIZE}${filters.query}${pageParam === null ? '' : `&before=${pageParam}`}`,
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
  // The actor filter offers the team; names in the rows come from the server (former members too).
  const members = useQuery(membersQuery(workspace.id));
  const rows = entries.data?.pages.flatMap((p) => p.entries) ?? [];
  // A failed "load older" keeps the pages already shown: its error goes under the table.
  const pageError = entries.isFetchNextPageError ? entries.error : null;
  const filtered = filters.query !== '';

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security-relevant changes in this workspace: who did what, when and from where. Secret values are never recorded."
      />
      <AuditFilters filters={filters} members={members.data ?? []} onChange={setFilter} onClear={clearFilters} />
      {entries.isPending ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : entries.isError && !entries.data ? (
        <ErrorMessage error={entries.error} />
      ) : rows.length === 0 ? (
        <p className="muted" role="status">
          {filtered ? 'No entries match these filters.' : 'Nothing recorded yet.'}
        </p>
      ) : (
        <div className="stack">
          <DataTable
            rows={rows}
            rowKey={(entry) => entry.id}
            label="Audit log entries"
            columns={[
              { header: 'Time', cellClassName: 'audit-nowrap', cell: (entry) => formatTime(entry.createdAt) },
              {
                header: 'Actor',
                cell: (entry) => (
                  <>
                    <ActorName actor={entry.actor} />
                    {entry.ip && <div className="muted small">from {entry.ip}</div>}
                  </>
                ),
              },
              { header: 'Action', cell: (entry) => <span title={entry.action}>{auditActionLabel(entry.action)}</span> },
              { header: 'Target', cell: (entry) => <TargetName target={entry.target} /> },
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

function ActorName({ actor }: { actor: AuditEntryView['actor'] }) {
  if (actor.type === 'account')
    return actor.name ? <span title={actor.id ?? undefined}>{actor.name}</span> : <>Unknown account {actor.id}</>;
  const kind = ACTOR_TYPES[actor.type] ?? actor.type;
  if (actor.name) return <span title={actor.id ?? undefined}>{`${kind} “${actor.name}”`}</span>;
  return <>{actor.id ? `${kind} ${actor.id}` : kind}</>;
}

// The thing's name, its id on hover; a deleted thing says so, with the name it had (if recorded) and its id in plain sight.
function TargetName({ target }: { target: AuditEntryView['target'] }) {
  if (target.type === null) return <span className="muted">—</span>;
  const kind = TARGET_TYPES[target.type] ?? target.type.replace(/_/g, ' ');
  if (target.deleted)
    return (
      <>
        {`Deleted ${kind}`}
        {target.name && <span className="audit-target"> “{target.name}”</span>}
        {target.id && <div className="muted small">{target.id}</div>}
      </>
    );
  if (target.name)
    return (
      <>
        {capitalise(kind)}:{' '}
        <span className="audit-target" title={target.id ?? undefined}>
          {target.name}
        </span>
      </>
    );
  return <>{target.id ? `${capitalise(kind)} ${target.id}` : capitalise(kind)}</>;
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
