import type { ValueSource } from '@lumio/protocol';
import type { TestApp } from './test-app.js';
import { call, type Session } from './api-helpers.js';
import { insertStoredUsers } from './stored-users.js';
import { personOf, type EventRow } from '../analytics/event-store.js';
import type { ProfileSnapshot } from '../analytics/event-snapshots.js';

// A small analytics data set whose report figures are checked by hand in
// analytics-reports.test.ts and analytics-routes.test.ts. Times are fixed UTC
// days before the TestClock's 2026-11-21; events are written straight through
// EventSnapshots + EventStore, as ingestion would store them.

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Sunday 2026-11-15, Monday 2026-11-16, Tuesday 2026-11-17, Wednesday 2026-11-18 (00:00 UTC). */
export const D1 = Date.UTC(2026, 10, 15);
export const D2 = D1 + DAY;
export const D3 = D2 + DAY;
export const D4 = D3 + DAY;
export const WIDGET = 'wgt_fixture';
export const OTHER_WIDGET = 'wgt_fixture_b';

type Trust = 'verified' | 'identified';
interface FixtureUser {
  userId: string;
  trust: Trust;
  gender: string | null;
  birthday: string | null;
  properties: Record<string, unknown>;
  source: ValueSource;
  /** Per-key sources that differ from `source`. */
  sources?: Record<string, ValueSource>;
}

/**
 * The people: five users as their events recorded them (the snapshot), and two
 * anonymous browsers. Dave's plan changes to `pro` after his events: the
 * users table (the current profile) says `pro`, his snapshot `free`.
 */
export const FIXTURE_USERS: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', FixtureUser> = {
  alice: {
    userId: 'alice',
    trust: 'verified',
    gender: 'female',
    birthday: '1990-05-01',
    properties: { plan: 'pro', role: 'admin', region: 'eu', seats: 5, beta: true, tags: ['a', 'b'] },
    source: 'trusted',
  },
  bob: {
    userId: 'bob',
    trust: 'identified',
    gender: null,
    birthday: null,
    properties: { plan: 'free', role: 'member', region: 'us' },
    source: 'unverified',
  },
  carol: {
    userId: 'carol',
    trust: 'verified',
    gender: 'female',
    birthday: null,
    properties: { plan: 'pro', role: 'member', region: 'us', seats: 2.5 },
    source: 'trusted',
    sources: { 'properties.plan': 'unverified' },
  },
  dave: {
    userId: 'dave',
    trust: 'verified',
    gender: 'male',
    birthday: null,
    properties: { plan: 'free', role: 'admin', region: 'eu' },
    source: 'trusted',
  },
  erin: {
    userId: 'erin',
    trust: 'verified',
    gender: null,
    birthday: null,
    properties: { plan: 'team', role: 'member' },
    source: 'trusted',
  },
};
/** What the users table holds now. */
const CURRENT_PLAN: Record<string, string> = { dave: 'pro' };

type Who = keyof typeof FIXTURE_USERS | 'anon1' | 'anon2';

/** Ids of what the fixture created through the API. */
export interface ReportFixture {
  announcementId: string;
  articleIds: { started: string; billing: string };
}

/**
 * Seeds the fixture into the owner's workspace: users, snapshots, one
 * announcement ("Welcome aboard") and two articles ("Getting started",
 * "Billing") through the API, and the events below.
 */
export async function seedReportFixture(t: TestApp, owner: Session): Promise<ReportFixture> {
  const ws = owner.workspaceId;
  const announcement = await call(t.app, {
    method: 'POST',
    url: `/api/v1/workspaces/${ws}/announcements`,
    cookie: owner.cookie,
    payload: { kind: 'popup', title: 'Welcome aboard', body: 'Hello.' },
  });
  if (announcement.status !== 201) throw new Error(`announcement failed: ${JSON.stringify(announcement.body)}`);
  const article = async (title: string) => {
    const res = await call(t.app, {
      method: 'POST',
      url: `/api/v1/workspaces/${ws}/help/articles`,
      cookie: owner.cookie,
      payload: { title, body: 'Text.', status: 'published' },
    });
    if (res.status !== 201) throw new Error(`article failed: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const ids: ReportFixture = {
    announcementId: announcement.body.id,
    articleIds: { started: await article('Getting started'), billing: await article('Billing') },
  };

  const users = Object.values(FIXTURE_USERS);
  await insertStoredUsers(
    t.adapter,
    ws,
    users.map((u) => ({
      userId: u.userId,
      name: null,
      email: null,
      birthday: u.birthday,
      gender: u.gender,
      properties: { ...u.properties, ...(CURRENT_PLAN[u.userId] ? { plan: CURRENT_PLAN[u.userId] } : {}) },
      sources: sourcesOf(u),
      trust: u.trust,
    })),
    t.clock.now(),
  );

  const a = ids.announcementId;
  const { started, billing } = ids.articleIds;
  const at = (day: number, hours: number, minutes = 0) => day + hours * HOUR + minutes * 60_000;
  const events: Array<[Who, string, number, string?, Record<string, unknown>?, string?]> = [
    // $widget_opened over three days, and just outside the range on both sides.
    ['alice', '$widget_opened', D1 - 1],
    ['alice', '$widget_opened', at(D1, 9, 10)],
    ['alice', '$widget_opened', at(D1, 9, 40)],
    ['alice', '$widget_opened', at(D1, 14)],
    ['bob', '$widget_opened', at(D1, 10)],
    ['anon1', '$widget_opened', at(D1, 10, 30)],
    ['anon2', '$widget_opened', D2],
    ['alice', '$widget_opened', at(D2, 8)],
    ['carol', '$widget_opened', at(D2, 8, 30)],
    ['carol', '$widget_opened', at(D2, 20)],
    ['dave', '$widget_opened', at(D2, 9)],
    ['dave', '$widget_opened', at(D2, 9, 15)],
    ['anon1', '$widget_opened', D3 - 1],
    ['bob', '$widget_opened', at(D3, 12)],
    ['dave', '$widget_opened', at(D3, 12, 30)],
    ['erin', '$widget_opened', at(D3, 13), undefined, undefined, OTHER_WIDGET],
    ['alice', '$widget_opened', D4],
    // Announcement funnel.
    ['alice', '$announcement_shown', at(D2, 10), a],
    ['alice', '$announcement_shown', at(D2, 11), a],
    ['bob', '$announcement_shown', at(D2, 10), a],
    ['carol', '$announcement_shown', at(D2, 10), a],
    ['anon1', '$announcement_shown', at(D2, 10), a],
    ['alice', '$announcement_clicked', at(D2, 10, 1), a],
    ['carol', '$announcement_clicked', at(D2, 10, 1), a],
    ['dave', '$announcement_clicked', at(D2, 10, 1), a],
    ['bob', '$announcement_dismissed', at(D2, 10, 1), a],
    ['dave', '$announcement_shown', at(D2, 12), 'ann_gone'],
    ['dave', '$announcement_dismissed', at(D2, 12, 1), 'ann_gone'],
    ['erin', '$announcement_clicked', at(D3, 9), 'ann_orphan'],
    // Articles.
    ['alice', '$article_viewed', at(D2, 9), started, { articleId: started }],
    ['alice', '$article_viewed', at(D3, 9), started, { articleId: started }],
    ['bob', '$article_viewed', at(D2, 9), started, { articleId: started }],
    ['anon1', '$article_viewed', at(D2, 9), started, { articleId: started }],
    ['carol', '$article_viewed', at(D2, 9), billing, { articleId: billing }],
    ['dave', '$article_viewed', at(D2, 9), 'art_gone', { articleId: 'art_gone' }],
    ['dave', '$article_viewed', at(D2, 10), 'art_gone', { articleId: 'art_gone' }],
    ['dave', '$article_viewed', at(D2, 11), 'art_gone', { articleId: 'art_gone' }],
    ['alice', '$article_rated', at(D2, 9, 5), started, { articleId: started, helpful: true }],
    ['bob', '$article_rated', at(D2, 9, 5), started, { articleId: started, helpful: false }],
    ['carol', '$article_rated', at(D2, 9, 5), started, { articleId: started, helpful: true }],
    ['carol', '$article_rated', at(D2, 9, 6), started, { articleId: started, helpful: false }],
    // Searches: the object is the normalised query.
    ['alice', '$article_searched', at(D2, 10), 'reset password', { query: 'reset password', results: 3 }],
    ['bob', '$article_searched', at(D2, 11), 'reset password', { query: 'reset password', results: 3 }],
    ['carol', '$article_searched', at(D2, 10), 'invoice', { query: 'invoice', results: 0 }],
    ['carol', '$article_searched', at(D2, 12), 'invoice', { query: 'invoice', results: 0 }],
    ['dave', '$article_searched', at(D3, 9), 'invoice', { query: 'invoice', results: 0 }],
    ['alice', '$article_searched', at(D2, 9), 'sso', { query: 'sso', results: 0 }],
    ['bob', '$article_searched', at(D3, 10), 'sso', { query: 'sso', results: 2 }],
    ['anon1', '$article_searched', at(D2, 13), '=cmd|calc', { query: '=cmd|calc', results: 0 }],
  ];

  await t.deps.db.transaction().execute(async (trx) => {
    const snapshotIds = new Map<string, number>();
    for (const u of users) {
      const snapshot: ProfileSnapshot = {
        userId: u.userId,
        trust: u.trust,
        name: null,
        email: null,
        birthday: u.birthday,
        gender: u.gender,
        properties: u.properties,
        sources: sourcesOf(u),
      };
      snapshotIds.set(u.userId, (await t.services.snapshots.idFor(trx, ws, snapshot)).id);
    }
    const rows = events.map(([who, name, time, object, props, widget], i): EventRow => {
      const user = who === 'anon1' || who === 'anon2' ? null : FIXTURE_USERS[who];
      const anonymousId = `browser-${who}`;
      return {
        workspaceId: ws,
        eventId: `ev_fixture_${String(i).padStart(4, '0')}`,
        widgetId: widget ?? WIDGET,
        name,
        at: time,
        person: personOf(user?.userId, anonymousId),
        userId: user?.userId ?? null,
        anonymousId,
        trust: user?.trust ?? 'anonymous',
        snapshotId: user ? snapshotIds.get(user.userId)! : 0,
        object: object ?? null,
        props: props ?? null,
      };
    });
    await t.services.events.insert(trx, rows, t.clock.now());
  });
  return ids;
}

/**
 * Another workspace's events on the same days, under the same user ids and
 * the same announcement and article ids: no report of the fixture's
 * workspace may count them.
 */
export async function seedOtherWorkspace(t: TestApp, workspaceId: string, ids: ReportFixture): Promise<void> {
  await t.deps.db.transaction().execute(async (trx) => {
    const snapshot: ProfileSnapshot = {
      userId: 'alice',
      trust: 'verified',
      name: null,
      email: null,
      birthday: null,
      gender: null,
      properties: { plan: 'pro', role: 'admin' },
      sources: {},
    };
    const { id } = await t.services.snapshots.idFor(trx, workspaceId, snapshot);
    const names: Array<[string, string | null]> = [
      ['$widget_opened', null],
      ['$widget_opened', null],
      ['$announcement_shown', ids.announcementId],
      ['$announcement_clicked', ids.announcementId],
      ['$article_viewed', ids.articleIds.started],
      ['$article_searched', 'invoice'],
    ];
    const rows = names.map(([name, object], i): EventRow => ({
      workspaceId,
      eventId: `ev_other_${i}`,
      widgetId: WIDGET,
      name,
      at: D2 + HOUR * (i + 1),
      person: 'u:alice',
      userId: 'alice',
      anonymousId: 'browser-other',
      trust: 'verified',
      snapshotId: id,
      object,
      props: name === '$article_searched' ? { query: 'invoice', results: 0 } : null,
    }));
    await t.services.events.insert(trx, rows, t.clock.now());
  });
}

function sourcesOf(u: FixtureUser): Record<string, ValueSource> {
  const sources: Record<string, ValueSource> = {};
  for (const key of Object.keys(u.properties)) sources[`properties.${key}`] = u.source;
  if (u.gender) sources.gender = u.source;
  if (u.birthday) sources.birthday = u.source;
  return { ...sources, ...u.sources };
}
