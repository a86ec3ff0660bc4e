// The simulated product behind seed:analytics: who uses the widget, when, and
// what they do in a session. Deterministic from a seed (the same seed and size
// give the same people, sessions and events, relative to the end time), so
// every run of the benchmark reads the same data.
//
// - People: known users (identified from their first session; most verified,
//   some identified-unverified) and anonymous visitors, a share of whom
//   identify in a later session. Users have a plan (free/pro/enterprise,
//   skewed), a role, a region, seats, a birthday (ages 16–80), a gender
//   (Genders, some unset); some change plan mid-range.
// - Activity: a heavy-tailed number of sessions per person within their own
//   active window (sign-ups arrive, some churn), placed by weekday and
//   hour-of-day rhythm with slow growth over the 90 days.
// - Sessions: widget opened, article views (popular articles first),
//   searches with and without results, announcements shown → clicked or
//   dismissed while they are live (each shown once per person), the host's
//   own track events, ratings and saves, then closed.
import { Genders } from '@lumio/protocol';
import { seededRandom } from '@lumio/targeting/test-support';

export const DAY_MS = 86_400_000;
export const RANGE_DAYS = 90;

/** Average events per session the sizing assumes (the exact total is fixed up afterwards). */
const EVENTS_PER_SESSION = 9;
/** Events per person over the range: 10M events ≈ 83,000 people, 1M ≈ 8,300. */
const EVENTS_PER_PERSON = 120;

const HOUR_WEIGHTS = [2, 1.5, 1, 1, 1, 1.5, 3, 5, 7, 8, 8.5, 8, 7, 7.5, 8, 8, 7.5, 6.5, 5.5, 5, 4.5, 4, 3.5, 2.5];
// Sunday first, as Date#getUTCDay counts.
const WEEKDAY_WEIGHTS = [0.3, 1, 1.05, 1.05, 1, 0.85, 0.35];
const MAX_RHYTHM = Math.max(...HOUR_WEIGHTS) * Math.max(...WEEKDAY_WEIGHTS) * 1.2;

export const PLANS = weighted({ free: 62, pro: 30, enterprise: 8 });
export const ROLES = weighted({ admin: 15, member: 60, viewer: 25 });
export const REGIONS = weighted({
  'us-east': 22,
  'us-west': 14,
  canada: 5,
  latam: 8,
  uk: 10,
  'eu-west': 16,
  'eu-central': 12,
  apac: 13,
});
const GENDERS = weighted({ [Genders.Male]: 40, [Genders.Female]: 40, [Genders.Other]: 3, [Genders.PreferNotToSay]: 5, '': 12 });
const FIRST_NAMES =
  'Ada Grace Alan Edsger Barbara Donald Margaret Linus Katherine Dennis Frances John Radia Ken Hedy Tim Anita Guido Sophie Yukihiro'.split(
    ' ',
  );
const LAST_NAMES =
  'Lovelace Hopper Turing Dijkstra Liskov Knuth Hamilton Torvalds Johnson Ritchie Allen Backus Perlman Thompson Lamarr Berners Borg Rossum Wilson Matsumoto'.split(
    ' ',
  );

const MIDDLE_EVENTS = weighted({ view: 40, search: 14, custom: 26, announcement: 8, rate: 4, save: 2, reopen: 6 });
const SEARCHES_WITH_RESULTS = [
  'reset password',
  'Reset Password',
  'invoice',
  'export csv',
  'sso',
  'api key',
  'webhooks',
  'change email',
  'billing',
  'invite team',
  'delete account',
  'dark mode',
  'slack integration',
  'two factor',
  'refund',
  'pricing',
  '  export   CSV ',
];
const SEARCHES_WITHOUT_RESULTS = [
  'okta scim',
  'pasword reset',
  'gdpr dpa',
  'quickbooks',
  'offline mode android',
  'custom domain ssl',
  'hipaa',
];
const CUSTOM_EVENTS = weighted({
  'Dashboard Viewed': 30,
  'Project Created': 12,
  'Report Exported': 10,
  'Invite Sent': 6,
  'Integration Connected': 4,
  'Checkout Started': 2,
});
const ARTICLES = 240;
export const ANNOUNCEMENTS = 10;

/**
 * A deterministic product: its people and sessions, and the events of each
 * session. `events` is the exact total the sessions hold; `end` the time the
 * 90 days end (epoch ms).
 */
export class Population {
  constructor({ events, seed, end }) {
    this.total = events;
    this.seed = seed;
    this.end = end;
    this.start = end - RANGE_DAYS * DAY_MS;
    const r = seededRandom(seed);
    this.announcements = announcementWindows(r, this.start, end);
    this.articleWeights = cumulative(Array.from({ length: ARTICLES }, (_, i) => 1 / (i + 1)));
    this.people = [];
    const count = Math.max(20, Math.round(events / EVENTS_PER_PERSON));
    for (let i = 0; i < count; i++) this.people.push(this.#person(r, i));
    this.#sessions(r);
  }

  /** Users to store in the users table: everyone who is identified at some point, with their latest profile. */
  *users() {
    for (const p of this.people) if (p.userId) yield p;
  }

  /**
   * The events of the `n`-th session in time order: `{ person, events, identifyAt }`
   * where `events` are wire events (`{ id, name, at, props }`) and
   * `identifyAt` the index of the first event after the visitor identified
   * (-1: no identify in this session).
   */
  session(n) {
    const s = this.order[n];
    const person = this.people[this.sessionPerson[s]];
    // Each session has its own stream, so a session's events do not depend on the ones before it.
    const r = seededRandom((this.seed * 2654435761 + s * 40503) >>> 0);
    const length = this.sessionLength[s];
    let at = this.sessionStart[s];
    const events = [];
    let identifyAt = -1;
    const identifyHere = person.identifySession === s;
    const push = (name, props) => {
      at += 2_000 + Math.floor(r() * 60_000);
      events.push({ id: eventId(r, at), name, at, ...(props ? { props } : {}) });
    };
    events.push({ id: eventId(r, at), name: '$widget_opened', at });
    let middle = length - 2;
    const identifyIndex = identifyHere ? Math.floor(r() * middle) : -1;
    for (let k = 0; k < middle; k++) {
      if (k === identifyIndex) {
        identifyAt = events.length;
        push('$identify', { outcome: person.trust });
        continue;
      }
      const kind = MIDDLE_EVENTS.pick(r);
      if (kind === 'view' || kind === 'rate' || kind === 'save') {
        const articleId = this.#article(r);
        push('$article_viewed', { articleId });
        if (kind !== 'view' && k + 1 < middle && k + 1 !== identifyIndex) {
          k++;
          if (kind === 'rate') push('$article_rated', { articleId, helpful: r() < 0.7 });
          else push('$article_saved', { articleId, saved: r() < 0.85 });
        }
      } else if (kind === 'search') {
        const found = r() < 0.82;
        const pool = found ? SEARCHES_WITH_RESULTS : SEARCHES_WITHOUT_RESULTS;
        const query = pool[Math.floor(r() * r() * pool.length)];
        push('$article_searched', { query, results: found ? 1 + (hash(query) % 25) : 0 });
      } else if (kind === 'custom') {
        const name = CUSTOM_EVENTS.pick(r);
        push(name, customProps(r, name));
      } else if (kind === 'announcement') {
        const a = this.#unseenAnnouncement(r, person, at);
        if (a === -1) {
          push('$article_viewed', { articleId: this.#article(r) });
          continue;
        }
        const announcementId = this.announcements[a].id;
        push('$announcement_shown', { announcementId });
        if (k + 1 < middle && k + 1 !== identifyIndex) {
          const outcome = r();
          if (outcome < 0.14) {
            k++;
            push('$announcement_clicked', { announcementId });
          } else if (outcome < 0.64) {
            k++;
            push('$announcement_dismissed', { announcementId });
          }
        }
      } else {
        // Closed and opened again within the session.
        if (k + 1 < middle && k + 1 !== identifyIndex) {
          push('$widget_closed');
          k++;
          push('$widget_opened');
        } else push('$widget_closed');
      }
    }
    push('$widget_closed');
    return { person, events, identifyAt, state: this.#stateAt(person, s) };
  }

  /** The index (in `people`) of whoever had the `n`-th session in time order. */
  personIndexOf(n) {
    return this.sessionPerson[this.order[n]];
  }

  /** The profile (one of `person.profiles`) a person had at a time. */
  profileAt(person, at) {
    return person.planChangeAt !== null && at >= person.planChangeAt ? person.profiles[1] : person.profiles[0];
  }

  #stateAt(person, s) {
    if (!person.userId) return 'anonymous';
    if (person.identifySession === -1) return person.trust;
    // A visitor: anonymous up to the session it identifies in (a person's sessions are numbered in time order).
    return s < person.identifySession ? 'anonymous' : s === person.identifySession ? 'identifying' : person.trust;
  }

  #person(r, index) {
    const visitor = r() < 0.3;
    const identifies = !visitor || r() < 0.3;
    const anonymousId = `anon_${randomText(r, 22, BASE64URL)}`;
    // 60% were there before the range; the rest sign up (or first visit) during it; 15% churn.
    const firstSeen = r() < 0.6 ? this.start : this.start + Math.floor(r() * (RANGE_DAYS - 1) * DAY_MS);
    const lastSeen = r() < 0.15 ? firstSeen + Math.floor(r() * (this.end - firstSeen)) : this.end;
    // Heavy-tailed activity (Pareto, α = 1.3, capped): a few people use the widget every day.
    const weight = Math.min(60, (1 - r()) ** (-1 / 1.3)) * (visitor ? 0.3 : 1);
    const person = {
      index,
      visitor,
      anonymousId,
      userId: null,
      trust: 'anonymous',
      firstSeen,
      lastSeen,
      weight,
      identifySession: -1,
      planChangeAt: null,
      profiles: [],
      shown: 0,
    };
    if (!identifies) return person;
    person.userId = `user_${String(index).padStart(7, '0')}`;
    person.trust = r() < 0.88 ? 'verified' : 'identified';
    const first = FIRST_NAMES[Math.floor(r() * FIRST_NAMES.length)];
    const last = LAST_NAMES[Math.floor(r() * LAST_NAMES.length)];
    const plan = PLANS.pick(r);
    const base = {
      name: r() < 0.9 ? `${first} ${last}` : null,
      email: r() < 0.95 ? `${first}.${last}.${index}@example.com`.toLowerCase() : null,
      birthday: r() < 0.7 ? birthday(r, this.end) : null,
      gender: GENDERS.pick(r) || null,
      properties: { plan, role: ROLES.pick(r), region: REGIONS.pick(r), seats: seats(r, plan) },
    };
    person.profiles.push(base);
    if (r() < 0.08) {
      const next = plan === 'free' ? 'pro' : plan === 'enterprise' ? 'pro' : r() < 0.45 ? 'enterprise' : 'free';
      person.planChangeAt = firstSeen + Math.floor((0.2 + 0.6 * r()) * (lastSeen - firstSeen));
      person.profiles.push({ ...base, properties: { ...base.properties, plan: next, seats: seats(r, next) } });
    }
    return person;
  }

  #sessions(r) {
    const sessions = Math.ceil(this.total / EVENTS_PER_SESSION);
    const share = this.people.map((p) => p.weight * ((p.lastSeen - p.firstSeen) / (this.end - this.start) || 0.01));
    const sum = share.reduce((a, b) => a + b, 0);
    const counts = share.map((w) => Math.max(1, Math.floor((sessions * w) / sum + r())));
    const n = counts.reduce((a, b) => a + b, 0);
    this.sessionStart = new Float64Array(n);
    this.sessionPerson = new Int32Array(n);
    this.sessionLength = new Uint16Array(n);
    let s = 0;
    for (const [i, p] of this.people.entries()) {
      const from = s;
      const times = Array.from({ length: counts[i] }, () => this.#when(r, p.firstSeen, p.lastSeen)).sort((a, b) => a - b);
      for (const t of times) {
        this.sessionStart[s] = t;
        this.sessionPerson[s] = i;
        // opened + closed + a geometric-like number of things in between (mean ≈ 7).
        this.sessionLength[s] = Math.min(80, 3 + Math.floor(-Math.log(1 - r()) * 6));
        s++;
      }
      // A visitor who identifies does so in one of its first sessions (or its only one).
      if (p.visitor && p.userId) p.identifySession = from + Math.min(counts[i] - 1, Math.floor(r() * 4));
    }
    this.#fixTotal();
    this.order = Uint32Array.from({ length: n }, (_, k) => k).sort((a, b) => this.sessionStart[a] - this.sessionStart[b]);
    this.sessionCount = n;
  }

  // Lengths are random: nudge them so the sessions hold exactly the events asked for.
  #fixTotal() {
    const lengths = this.sessionLength;
    let diff = this.total - lengths.reduce((a, b) => a + b, 0);
    const stride = 7919;
    let k = 0;
    while (diff !== 0) {
      const s = k % lengths.length;
      k += stride;
      if (diff > 0 && lengths[s] < 200) {
        lengths[s]++;
        diff--;
      } else if (diff < 0 && lengths[s] > 3) {
        lengths[s]--;
        diff++;
      }
    }
  }

  #when(r, from, to) {
    const span = Math.max(to - from, 3_600_000);
    for (;;) {
      const t = from + Math.floor(r() * span);
      const date = new Date(t);
      const growth = 1 + (0.2 * (t - this.start)) / (this.end - this.start);
      if (r() * MAX_RHYTHM < WEEKDAY_WEIGHTS[date.getUTCDay()] * HOUR_WEIGHTS[date.getUTCHours()] * growth)
        return Math.min(t, this.end - 3_600_000);
    }
  }

  #article(r) {
    return `art_${String(this.articleWeights.pick(r)).padStart(4, '0')}`;
  }

  #unseenAnnouncement(r, person, at) {
    const live = [];
    for (const [i, a] of this.announcements.entries()) if (at >= a.startsAt && at < a.endsAt && !(person.shown & (1 << i))) live.push(i);
    if (live.length === 0) return -1;
    const i = live[Math.floor(r() * live.length)];
    person.shown |= 1 << i;
    return i;
  }
}

function announcementWindows(r, start, end) {
  return Array.from({ length: ANNOUNCEMENTS }, (_, i) => {
    const startsAt = start + Math.floor(r() * 80) * DAY_MS;
    const endsAt = Math.min(end, startsAt + (7 + Math.floor(r() * 38)) * DAY_MS);
    return { index: i, id: `ann_bench${i}`, title: ANNOUNCEMENT_TITLES[i], startsAt, endsAt };
  });
}

const ANNOUNCEMENT_TITLES = [
  'New: dark mode',
  'Scheduled maintenance on Saturday',
  'Slack integration is here',
  'Try the new report builder',
  'Pricing update for annual plans',
  'Two-factor authentication for everyone',
  'Webinar: getting started with dashboards',
  'CSV export is 10× faster',
  'We have a new mobile app',
  'Help us improve: 2-minute survey',
];

function customProps(r, name) {
  switch (name) {
    case 'Project Created':
      return { template: ['blank', 'kanban', 'roadmap', 'crm'][Math.floor(r() * 4)] };
    case 'Report Exported':
      return { format: ['csv', 'pdf', 'xlsx'][Math.floor(r() * 3)], rows: Math.floor(r() * 5000) };
    case 'Invite Sent':
      return { count: 1 + Math.floor(r() * 5) };
    case 'Integration Connected':
      return { provider: ['slack', 'github', 'jira', 'zapier'][Math.floor(r() * 4)] };
    case 'Checkout Started':
      return { plan: r() < 0.8 ? 'pro' : 'enterprise', annual: r() < 0.4 };
    default:
      return undefined;
  }
}

function seats(r, plan) {
  if (plan === 'free') return 1 + Math.floor(r() * 3);
  if (plan === 'pro') return 2 + Math.floor(r() * 48);
  return 50 + Math.floor(r() * 1950);
}

function birthday(r, end) {
  // Ages 16–80, most between 25 and 45.
  const age = 16 + Math.floor(64 * r() ** 1.6);
  const born = new Date(end - age * 365.25 * DAY_MS - Math.floor(r() * 365) * DAY_MS);
  return born.toISOString().slice(0, 10);
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A 26-character, time-ordered event id, as the SDK makes them. */
function eventId(r, at) {
  return at.toString(36).padStart(10, '0') + randomText(r, 16, BASE36);
}

function randomText(r, length, alphabet) {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(r() * alphabet.length)];
  return text;
}

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function weighted(weights) {
  const keys = Object.keys(weights);
  const table = cumulative(Object.values(weights));
  return { keys, pick: (r) => keys[table.pick(r)] };
}

function cumulative(weights) {
  const sums = [];
  let total = 0;
  for (const w of weights) sums.push((total += w));
  return {
    pick(r) {
      const x = r() * total;
      let lo = 0;
      let hi = sums.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sums[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
