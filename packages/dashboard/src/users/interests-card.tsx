import type { UserInterests } from '@lumio/protocol';
import { DataTable } from '../ui/data-table.js';
import { countOf } from '../ui/format.js';
import { activityText } from './interest-activity.js';

/**
 * The user's interest profile: the verified partition's strongest topics
 * (collections and article tags) with their level as a bar and the activity
 * behind each; activity of sessions that only claimed this userId is named
 * apart, never mixed in.
 */
export function InterestsCard({ interests }: { interests: UserInterests }) {
  const { verified, unverified, halfLifeDays } = interests;
  return (
    <section className="card" aria-labelledby="interests-title">
      <h2 id="interests-title">Interests</h2>
      <DataTable
        rows={verified}
        rowKey={(t) => t.topic}
        empty="No interests yet: they grow from this user's verified article views, saves, helpful votes, search clicks and announcement clicks."
        columns={[
          { header: 'Topic', cell: (t) => <code>{t.topic}</code> },
          { header: 'Level', cell: (t) => <LevelBar level={t.level} /> },
          { header: 'Activity behind it', cellClassName: 'small', cell: (t) => activityText(t.activity) },
        ]}
      />
      {unverified.length > 0 && (
        <p className="small" role="note">
          Sessions that only claimed this user id (unverified) also showed interest in{' '}
          {countOf(unverified.length, { one: 'topic', other: 'topics' })} ({unverified.map((t) => t.topic).join(', ')}). That activity is
          kept apart and never shapes this profile.
        </p>
      )}
      <p className="muted small">
        Topics are help collections and article tags. Levels (0–100%) fade by half every{' '}
        {countOf(halfLifeDays, { one: 'day', other: 'days' })} without activity; the activity counts are totals.
      </p>
    </section>
  );
}

function LevelBar({ level }: { level: number }) {
  const percent = Math.round(level * 100);
  return (
    <span className="interest-level">
      <span className="interest-bar" aria-hidden="true">
        <span style={{ width: `${percent}%` }} />
      </span>
      {percent}%
    </span>
  );
}
