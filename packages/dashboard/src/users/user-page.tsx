import type { UserEventsAnswer, UserProfile, UserRecord } from '@lumio/protocol';
import { InterestsCard } from './interests-card.js';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatCount, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import { SourceBadge, TrustBadge } from './trust-badge.js';
import { encodeUserId } from './encode-user-id.js';
import { eventLabel } from './event-label.js';
import { EventAbout } from './event-about.js';
import { UserCompaniesCard } from '../companies/user-companies-card.js';
import './users.css';

const EVENTS_PAGE = 25;
const TRAITS = [
  ['name', 'Name'],
  ['email', 'Email'],
  ['birthday', 'Birthday'],
  ['gender', 'Gender'],
] as const;

/** One user: profile, properties with their sources, trust level, companies, interests, recent activity, and Erase (owners and admins). */
export function UserPage() {
  const workspace = useWorkspace();
  const userId = useParams().userId!;
  const path = `/workspaces/${workspace.id}/users/${encodeUserId(userId)}`;
  const profile = useQuery({ queryKey: ['workspaces', workspace.id, 'users', 'profile', userId], queryFn: () => api<UserProfile>(path) });
  return (
    <>
      <p>
        <Link to={`/w/${workspace.id}/users`}>← Users</Link>
      </p>
      <QueryState query={profile} loading="Loading the user…">
        {({ user, anonymousIds, interests }) => (
          <>
            <PageHeader
              title={user.name || user.userId}
              description={
                <>
                  <code>{user.userId}</code> · <TrustBadge trust={user.trust} />
                </>
              }
              actions={canManage(workspace.role) && <EraseButton workspaceId={workspace.id} path={path} userId={user.userId} />}
            />
            <div className="user-columns">
              <ProfileCard user={user} anonymousIds={anonymousIds} />
              <PropertiesCard user={user} />
            </div>
            <UserCompaniesCard workspaceId={workspace.id} userId={user.userId} />
            <InterestsCard interests={interests} />
            <RecentActivity workspaceId={workspace.id} userId={user.userId} />
          </>
        )}
      </QueryState>
    </>
  );
}

function ProfileCard({ user, anonymousIds }: { user: UserRecord; anonymousIds: number }) {
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl className="profile-list">
        <dt>Trust level</dt>
        <dd>
          <TrustBadge trust={user.trust} />
          <div className="muted small">
            {user.trust === 'verified'
              ? 'Has proven who they are with a valid signature or signed token.'
              : 'Only claimed this user id (no valid signature yet).'}
          </div>
        </dd>
        {TRAITS.map(([key, label]) => (
          <div key={key} className="contents">
            <dt>{label}</dt>
            <dd>
              {user[key] ?? <span className="muted">not set</span>} {user[key] !== null && <SourceBadge source={user.sources[key]} />}
            </dd>
          </div>
        ))}
        <dt>First seen</dt>
        <dd>{formatTime(user.createdAt)}</dd>
        <dt>Last seen</dt>
        <dd>{formatTime(user.lastSeenAt)}</dd>
        <dt>Profile updated</dt>
        <dd>{formatTime(user.updatedAt)}</dd>
        <dt>Linked browsers</dt>
        <dd>{countOf(anonymousIds, { one: 'anonymous id', other: 'anonymous ids' })}</dd>
      </dl>
    </section>
  );
}

function PropertiesCard({ user }: { user: UserRecord }) {
  const entries = Object.entries(user.properties).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section className="card" aria-labelledby="properties-title">
      <h2 id="properties-title">Custom properties</h2>
      <DataTable
        rows={entries}
        rowKey={([key]) => key}
        empty="No custom properties."
        columns={[
          { header: 'Property', cell: ([key]) => <code>{key}</code> },
          { header: 'Value', cell: ([, value]) => formatValue(value) },
          { header: 'Source', cell: ([key]) => <SourceBadge source={user.sources[`properties.${key}`]} /> },
        ]}
      />
      <p className="muted small">
        Trusted values come from a signed token or the server API; claimed and unverified ones were sent by a browser and never overwrite a
        trusted value.
      </p>
    </section>
  );
}

function RecentActivity({ workspaceId, userId }: { workspaceId: string; userId: string }) {
  const events = useInfiniteQuery({
    queryKey: ['workspaces', workspaceId, 'users', 'events', userId],
    queryFn: ({ pageParam, signal }) =>
      api<UserEventsAnswer>(
        `/workspaces/${workspaceId}/users/${encodeUserId(userId)}/events?limit=${EVENTS_PAGE}${pageParam ? `&before=${pageParam}` : ''}`,
        { signal },
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent activity</h2>
      {events.isPending ? (
        <p className="muted" role="status">
          Loading events…
        </p>
      ) : events.isError ? (
        <ErrorMessage error={events.error} />
      ) : rows.length === 0 ? (
        <p className="muted">No events recorded for this user.</p>
      ) : (
        <>
          <DataTable
            rows={rows}
            rowKey={(e) => e.eventId}
            columns={[
              { header: 'When', cellClassName: 'small', cell: (e) => formatTime(e.at) },
              {
                header: 'Event',
                cell: (e) => {
                  const label = eventLabel(e);
                  return label ? <span title={e.name}>{label}</span> : <code>{e.name}</code>;
                },
              },
              { header: 'About', cellClassName: 'small', cell: (e) => <EventAbout event={e} /> },
              { header: 'Trust', cell: (e) => <TrustBadge trust={e.trust} /> },
              {
                header: 'Details',
                cellClassName: 'event-props',
                cell: (e) => (Object.keys(e.props).length > 0 ? JSON.stringify(e.props) : '—'),
              },
            ]}
          />
          <LoadMore pages={events} label="Older events" />
        </>
      )}
    </section>
  );
}

function EraseButton({ workspaceId, path, userId }: { workspaceId: string; path: string; userId: string }) {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const erase = useMutation({
    mutationFn: () => api(path, { method: 'DELETE' }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['workspaces', workspaceId, 'users'] });
      navigate(`/w/${workspaceId}/users`, { replace: true });
    },
  });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Erase user
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Erase ${userId}?`}
        description="This deletes the user's profile and properties, all their analytics events, their identity log entries, the links to their browsers, what they saved, rated, saw or dismissed in the widget, and their interest profile. It cannot be undone; the audit log records that an erasure happened, not who was erased."
        confirmLabel="Erase user and their data"
        mutation={erase}
        onConfirm={() => erase.mutate()}
      />
    </>
  );
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
