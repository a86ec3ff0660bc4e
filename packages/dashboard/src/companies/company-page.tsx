import type { CompanyPageAnswer, CompanyProfileView } from '@lumio/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { SourceBadge, TrustBadge } from '../users/trust-badge.js';
import { encodeUserId } from '../users/encode-user-id.js';
import { eventLabel } from '../users/event-label.js';
import { EventAbout } from '../users/event-about.js';
import '../users/users.css';
import './companies.css';

/** One company: its name and properties with their sources, its people (pages of 50, each a link to the user), and their recent activity. */
export function CompanyPage() {
  const workspace = useWorkspace();
  const companyId = useParams().companyId!;
  // Each page repeats the company and its activity; the people of the pages add up.
  const company = useInfiniteQuery({
    queryKey: ['workspaces', workspace.id, 'companies', 'company', companyId],
    queryFn: ({ pageParam, signal }) =>
      api<CompanyPageAnswer>(
        `/workspaces/${workspace.id}/companies/${encodeUserId(companyId)}${pageParam ? `?cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextPeopleCursor,
  });
  const first = company.data?.pages[0];
  return (
    <>
      <p>
        <Link to={`/w/${workspace.id}/companies`}>← Companies</Link>
      </p>
      {company.isPending ? (
        <p className="muted" role="status">
          Loading the company…
        </p>
      ) : company.isError ? (
        <ErrorMessage error={company.error} />
      ) : (
        first && (
          <>
            <PageHeader
              title={first.company.name || first.company.companyId}
              description={
                <>
                  <code>{first.company.companyId}</code> · {countOf(first.peopleCount, { one: 'person', other: 'people' })}
                </>
              }
            />
            <div className="user-columns">
              <DetailsCard company={first.company} />
              <PropertiesCard company={first.company} />
            </div>
            <PeopleCard workspaceId={workspace.id} pages={company} />
            <ActivityCard workspaceId={workspace.id} activity={first.activity} />
          </>
        )
      )}
    </>
  );
}

function DetailsCard({ company }: { company: CompanyProfileView }) {
  return (
    <section className="card" aria-labelledby="company-details-title">
      <h2 id="company-details-title">Company</h2>
      <dl className="profile-list">
        <dt>Name</dt>
        <dd>
          {company.name ?? <span className="muted">not set</span>} {company.name !== null && <SourceBadge source={company.sources.name} />}
        </dd>
        <dt>First seen</dt>
        <dd>{formatTime(company.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(company.updatedAt)}</dd>
      </dl>
    </section>
  );
}

function PropertiesCard({ company }: { company: CompanyProfileView }) {
  const entries = Object.entries(company.properties).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section className="card" aria-labelledby="company-properties-title">
      <h2 id="company-properties-title">Properties</h2>
      <DataTable
        rows={entries}
        rowKey={([key]) => key}
        empty="No properties."
        columns={[
          { header: 'Property', cell: ([key]) => <code>{key}</code> },
          { header: 'Value', cell: ([, value]) => formatValue(value) },
          { header: 'Source', cell: ([key]) => <SourceBadge source={company.sources[`properties.${key}`]} /> },
        ]}
      />
      <p className="muted small">
        Trusted values come from a signed token or the server API; claimed and unverified ones were sent by a browser and never overwrite a
        trusted value. Targeting reads them as <code>company.&lt;key&gt;</code>.
      </p>
    </section>
  );
}

function PeopleCard({
  workspaceId,
  pages,
}: {
  workspaceId: string;
  pages: {
    data: { pages: CompanyPageAnswer[] } | undefined;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
}) {
  const rows = pages.data?.pages.flatMap((p) => p.people) ?? [];
  const total = pages.data?.pages[0]?.peopleCount ?? 0;
  return (
    <section className="card" aria-labelledby="company-people-title">
      <h2 id="company-people-title">People</h2>
      <DataTable
        rows={rows}
        rowKey={(p) => p.userId}
        empty="Nobody belongs to this company yet."
        columns={[
          {
            header: 'User id',
            cell: (p) => (
              <Link to={`/w/${workspaceId}/users/${encodeUserId(p.userId)}`}>
                <code>{p.userId}</code>
              </Link>
            ),
          },
          { header: 'Name', cell: (p) => p.name ?? <span className="muted">—</span> },
          { header: 'Email', cell: (p) => p.email ?? <span className="muted">—</span> },
          { header: 'Trust', cell: (p) => <TrustBadge trust={p.trust} /> },
          { header: 'Membership', cell: (p) => <SourceBadge source={p.membership} /> },
          { header: 'Last seen', cellClassName: 'small', cell: (p) => formatTime(p.lastSeenAt) },
        ]}
      />
      {rows.length > 0 && (
        <LoadMore
          pages={pages}
          label="More people"
          shown={`${rows.length} of ${countOf(total, { one: 'person', other: 'people' })} shown`}
        />
      )}
      <p className="muted small">
        A membership is trusted when it came from the server API or a signed token; one sent with a signed identify is claimed (the
        signature covers the user id only).
      </p>
    </section>
  );
}

function ActivityCard({ workspaceId, activity }: { workspaceId: string; activity: CompanyPageAnswer['activity'] }) {
  return (
    <section className="card" aria-labelledby="company-activity-title">
      <h2 id="company-activity-title">Recent activity</h2>
      {activity.length === 0 ? (
        <p className="muted">No events recorded for this company's people.</p>
      ) : (
        <DataTable
          rows={activity}
          rowKey={(e) => e.eventId}
          columns={[
            { header: 'When', cellClassName: 'small', cell: (e) => formatTime(e.at) },
            {
              header: 'Person',
              cell: (e) =>
                e.userId ? (
                  <Link to={`/w/${workspaceId}/users/${encodeUserId(e.userId)}`}>
                    <code>{e.userId}</code>
                  </Link>
                ) : (
                  '—'
                ),
            },
            {
              header: 'Event',
              cell: (e) => {
                const label = eventLabel(e);
                return label ? <span title={e.name}>{label}</span> : <code>{e.name}</code>;
              },
            },
            { header: 'About', cellClassName: 'small', cell: (e) => <EventAbout event={e} /> },
            { header: 'Trust', cell: (e) => <TrustBadge trust={e.trust} /> },
          ]}
        />
      )}
      <p className="muted small">The latest events of the company's most recently seen people.</p>
    </section>
  );
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
